/**
 * Now versus history. A red flag or a danger topic fires on what is happening now; the same words told as
 * history ("I had a DVT two years ago", "my throat used to swell as a kid", "my mum had a blood clot", "I can't
 * swallow tablets") are a question about the patient's background, which a dermatologist weighs, not an
 * emergency. The word lists are data (`language.history` in a rule file); this module reads them around one match.
 *
 * A match is history when the clause it sits in (with a short time clause before or after it: "As a child, …"):
 *   - names no moment that is now (`now`: "now", "today", "since", "hours"), and
 *   - places it in the past (`past`: "years ago", "last year", "as a child", "used to", "history of", or a year
 *     such as "in 2019"), or
 *   - tells it with a past form (`pastForms`: "had", "died of") of a relative (`family`: mum, dad, brother; not
 *     the son, daughter or partner a patient writes for, who may be the one it is happening to), or of a
 *     condition a rule names (`namesCondition`: "I had anaphylaxis"; for a symptom, "she had a fever" is often
 *     last night), or
 *   - names a relative's condition where the rule says that is family history (`familyHistory`: "my mum has
 *     DVT"; a sister with a cold sore is a risk now, not history), or
 *   - is followed by something that makes it an ability (`abilities`: "can't swallow tablets").
 * Recent past tense is not history: "she collapsed after the shot" and "my face blew up after the cream" are
 * emergencies, so past-tense verbs alone never count.
 */
import type { Analysis, Matcher, PhraseSet, Span } from './matcher.js';

export interface HistorySpec {
  /** Time markers that place what follows in the past: "years ago", "as a child", "used to", "history of". */
  past: string[];
  /** Past forms ("had", "have had", "died of") that tell a condition, or a relative's event, as history. */
  pastForms: string[];
  /** Relatives whose events are family history (not the son, daughter or partner a patient writes for). */
  family: string[];
  /** Words that say it is happening now, whatever else the clause says: "now", "today", "since", "hours". */
  now: string[];
  /** Words right after a match that make it an ability, not a symptom: "can't swallow tablets". */
  abilities: string[];
}

/** The history lists compiled into the matcher's vocabulary. */
export interface HistorySets {
  past: PhraseSet;
  pastForms: PhraseSet;
  family: PhraseSet;
  now: PhraseSet;
  abilities: PhraseSet;
}

/** A clause this short that opens with a past marker ("When I was little, …") sets the time of the one beside it. */
const TIME_CLAUSE_WORDS = 6;
/** How far after a match an ability word may stand: "can't swallow big tablets". */
const ABILITY_REACH = 2;
const YEAR = /^(19|20)\d\d$/;

export interface HistoryOptions {
  /** The rule names a condition (infected, anaphylaxis, a clot): "I had …" tells it as history. */
  namesCondition: boolean;
  /** A relative who has it now is family history ("my mum has DVT"), not contagion ("my sister has a cold sore"). */
  familyHistory: boolean;
}

export function toldAsHistory(spans: readonly Span[], a: Analysis, m: Matcher, rule: HistoryOptions, thisYear: number = new Date().getFullYear()): boolean {
  const h = m.history;
  if (!h) return false;
  let first = Infinity;
  let last = -1;
  for (const s of spans) {
    first = Math.min(first, s.start);
    last = Math.max(last, s.end);
  }
  const sentenceStart = a.sentenceStart[a.sentence[first]];
  let from = first;
  while (from > sentenceStart && a.clause[from - 1] === a.clause[first]) from--;
  let to = last;
  while (to + 1 < a.ids.length && a.clause[to + 1] === a.clause[last]) to++;
  // A short clause that opens with a past marker sets the time of the clause beside it: "As a child, my throat
  // would close", "I couldn't breathe after a sting, when I was ten".
  const opensPast = (start: number): boolean => a.occurrences[h.past.slot].some((o) => o.start === start);
  if (from > sentenceStart) {
    let start = from - 1;
    while (start > sentenceStart && a.clause[start - 1] === a.clause[from - 1]) start--;
    if (from - start <= TIME_CLAUSE_WORDS && opensPast(start)) from = start;
  }
  if (to + 1 < a.ids.length && a.sentence[to + 1] === a.sentence[last]) {
    let end = to + 1;
    while (end + 1 < a.ids.length && a.clause[end + 1] === a.clause[to + 1]) end++;
    if (end - to <= TIME_CLAUSE_WORDS && opensPast(to + 1)) to = end;
  }
  const inRegion = (set: PhraseSet, upTo = to): boolean => a.occurrences[set.slot].some((o) => o.start >= from && o.end <= upTo);

  if (inRegion(h.now)) return false;
  if (inRegion(h.past)) return true;
  for (let i = from; i <= to; i++) if (YEAR.test(a.words[i]) && Number(a.words[i]) <= thisYear) return true;
  // A relative is the subject when no other person ("my mum thinks I have a clot") comes between them and the match.
  const relative = a.occurrences[h.family.slot].some(
    (f) => f.start >= from && f.end < first && !a.occurrences[m.personal.slot].some((p) => p.start > f.end && p.end < first),
  );
  if (relative && rule.familyHistory) return true;
  if (inRegion(h.pastForms) && (rule.namesCondition || relative)) return true;
  return a.occurrences[h.abilities.slot].some((o) => o.start > last && o.start <= last + ABILITY_REACH + 1 && a.clause[o.start] === a.clause[last]);
}
