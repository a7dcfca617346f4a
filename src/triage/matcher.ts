/**
 * The engine shared by the red-flag rules, the danger topics and the dermatologist cues: phrase patterns compiled
 * once into word ids, then matched against a message with negation, "general question", "about me" and "now or
 * history" context (src/triage/history.ts).
 *
 * Pattern syntax (what clinicians write in the YAML files, documented in docs/SAFETY.md):
 *   {concept}      any phrase listed under that concept
 *   word|other     any of these words (a hyphenated or multi-word alternative is matched as a phrase)
 *   A B            B straight after A
 *   A ~N B         A and B within N words of each other, in either order, in the same sentence
 *   A ..N B        B after A, with at most N words between them, in the same sentence
 * An alternative list may mix concepts and words: {swelling}|hives.
 */
import { FuzzyIndex, type FuzzySettings } from './fuzzy.js';
import { toldAsHistory, type HistorySets, type HistorySpec } from './history.js';
import { phraseWords, splitWords } from './text.js';

export interface LanguageSpec {
  respell: Record<string, string>;
  realWords: string[];
  fuzzy: FuzzySettings & {
    /** Concepts of everyday words ("start", "take") that are only matched as typed. */
    exactConcepts: string[];
    /** Rule words that are only matched as typed. */
    exactWords: string[];
  };
  negation: { window: number; cues: string[]; pseudo: string[]; terminators: string[]; joiners: string[]; joinerReach: number };
  personal: string[];
  /** Words that may stand beside a bare symptom and still leave it a report ("its infected", "anaphylaxis now"). */
  reportFillers: string[];
  questions: { openers: string[]; leadIns: string[]; aboutThePerson?: string[] };
  /** How a match told as history is recognised; without it every match is read as happening now. */
  history?: HistorySpec;
}

export type GeneralQuestionPolicy = 'fire' | 'urgent' | 'skip';

export interface RuleSpec {
  id: string;
  patterns: string[];
  onlyPersonal: boolean;
  /** onlyPersonal rules: whether a sentence that is nothing but the match (plus report fillers) counts as personal. */
  bareReport: boolean;
  inGeneralQuestion: GeneralQuestionPolicy;
  /** The rule fires on the name of a condition (infected, anaphylaxis, blood clot): "I had …" tells it as history. */
  namesCondition: boolean;
  /** A relative who has it now ("my mum has DVT") is family history, not the patient's emergency. */
  familyHistory: boolean;
  /** A match may reach into the next sentence ("I had a DVT in 2019. Can I take rinvoq?"); gaps still apply. */
  acrossSentences: boolean;
}

/** Alternative word-id sequences, indexed by their first word. `slot` numbers the set within its matcher. */
export interface PhraseSet {
  slot: number;
  byFirst: Map<number, number[][]>;
}

interface Gap {
  /** Most words allowed between the two elements. */
  max: number;
  /** true: the second element must come after the first; false: either order. */
  ordered: boolean;
}

interface Pattern {
  source: string;
  elements: PhraseSet[];
  /** gaps[k] links element k-1 to element k; gaps[0] is unused. */
  gaps: Gap[];
}

const ADJACENT: Gap = { max: 0, ordered: true };

export interface CompiledRule<R extends RuleSpec> {
  spec: R;
  patterns: Pattern[];
}

export interface Matcher {
  vocabulary: Map<string, number>;
  /** For each word id, the phrase sets with a phrase starting there: one pass over a message finds them all. */
  starts: Map<number, { slot: number; seqs: number[][] }[]>;
  slots: number;
  fuzzy: FuzzyIndex;
  respell: Map<string, string[]>;
  /** First words of the multi-word respell keys. */
  respellStarts: Set<string>;
  respellLongest: number;
  window: number;
  negationCues: PhraseSet;
  pseudoNegations: PhraseSet;
  terminators: PhraseSet;
  personal: PhraseSet;
  reportFillers: PhraseSet;
  /** Words across which a negation carries on through a list ("no fever or any pus"), and how far each one adds. */
  joiners: Set<number>;
  joinerReach: number;
  openers: Set<number>;
  leadIns: Set<number>;
  aboutThePerson: PhraseSet;
  history: HistorySets | null;
}

/** A problem in a rule file, reported by the loader with the file's name. */
export class PatternProblem extends Error {
  /** Set when the problem is inside a rule rather than in the language settings or concepts. */
  ruleId?: string;
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(problem);
  }
}

class Vocabulary {
  readonly ids = new Map<string, number>();
  readonly sets: PhraseSet[] = [];
  /** Words that come from symptom phrases and may be misspelt by patients. */
  readonly fuzzyTargets = new Map<string, number>();

  id(word: string, fuzzy: boolean): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
    }
    if (fuzzy && !this.fuzzyTargets.has(word)) this.fuzzyTargets.set(word, id);
    return id;
  }
}

function phraseSet(phrases: readonly string[], vocab: Vocabulary, fuzzy: boolean, field: string): PhraseSet {
  const byFirst = new Map<number, number[][]>();
  for (const phrase of phrases) {
    const words = phraseWords(phrase);
    if (words.length === 0) throw new PatternProblem(field, `"${phrase}" has no words in it`);
    // Only one-word entries are typo targets: the words inside phrases ("all over my body", "catch my breath")
    // are everyday words whose near neighbours are other everyday words.
    const seq = words.map((w) => vocab.id(w, fuzzy && words.length === 1));
    const list = byFirst.get(seq[0]);
    if (list) list.push(seq);
    else byFirst.set(seq[0], [seq]);
  }
  return register(byFirst, vocab);
}

function register(byFirst: Map<number, number[][]>, vocab: Vocabulary): PhraseSet {
  // Longest first, so "short of breath" wins over "short" when both are listed.
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  const set = { slot: vocab.sets.length, byFirst };
  vocab.sets.push(set);
  return set;
}

export interface Compiled<R extends RuleSpec> {
  matcher: Matcher;
  rules: CompiledRule<R>[];
}

/**
 * Compiles the language settings, the concepts and every rule's patterns. Throws PatternProblem (with the
 * rule id in `ruleId`) for unknown concepts or malformed patterns.
 */
export function compile<R extends RuleSpec>(
  language: LanguageSpec,
  concepts: Record<string, string[]>,
  specs: readonly R[],
): Compiled<R> {
  const vocab = new Vocabulary();
  const exactConcepts = new Set(language.fuzzy.exactConcepts);
  const conceptSets = new Map<string, PhraseSet>();
  for (const [name, phrases] of Object.entries(concepts)) {
    conceptSets.set(name, phraseSet(phrases, vocab, !exactConcepts.has(name), `concepts.${name}`));
  }

  const rules: CompiledRule<R>[] = [];
  for (const spec of specs) {
    try {
      rules.push({ spec, patterns: spec.patterns.map((p) => compilePattern(p, conceptSets, vocab)) });
    } catch (e) {
      if (e instanceof PatternProblem) e.ruleId = spec.id;
      throw e;
    }
  }

  const respell = new Map<string, string[]>();
  const respellStarts = new Set<string>();
  let respellLongest = 1;
  for (const [from, to] of Object.entries(language.respell)) {
    const key = phraseWords(from);
    const value = phraseWords(to);
    if (key.length === 0 || value.length === 0) throw new PatternProblem(`language.respell`, `"${from}: ${to}" needs words on both sides`);
    respell.set(key.join(' '), value);
    if (key.length > 1) respellStarts.add(key[0]);
    respellLongest = Math.max(respellLongest, key.length);
  }

  const words = (list: string[]) => new Set(list.flatMap((w) => phraseWords(w)).map((w) => vocab.id(w, false)));
  const negationCues = phraseSet(language.negation.cues, vocab, false, 'language.negation.cues');
  const pseudoNegations = phraseSet(language.negation.pseudo, vocab, false, 'language.negation.pseudo');
  const terminators = phraseSet(language.negation.terminators, vocab, false, 'language.negation.terminators');
  const personal = phraseSet(language.personal, vocab, false, 'language.personal');
  const reportFillers = phraseSet(language.reportFillers, vocab, false, 'language.reportFillers');
  const joiners = words(language.negation.joiners);
  const openers = words(language.questions.openers);
  const leadIns = words(language.questions.leadIns);
  const aboutThePerson = phraseSet(language.questions.aboutThePerson ?? [], vocab, false, 'language.questions.aboutThePerson');
  const h = language.history;
  const history: HistorySets | null = h
    ? {
        past: phraseSet(h.past, vocab, false, 'language.history.past'),
        pastForms: phraseSet(h.pastForms, vocab, false, 'language.history.pastForms'),
        family: phraseSet(h.family, vocab, false, 'language.history.family'),
        now: phraseSet(h.now, vocab, false, 'language.history.now'),
        abilities: phraseSet(h.abilities, vocab, false, 'language.history.abilities'),
      }
    : null;
  // Built last, once every word any list uses is in the vocabulary: known words are never "corrected".
  const realWords = new Set(language.realWords.map((w) => w.toLowerCase()));
  for (const word of language.fuzzy.exactWords) vocab.fuzzyTargets.delete(word.toLowerCase());
  const fuzzy = new FuzzyIndex(vocab.fuzzyTargets, realWords, language.fuzzy);
  const starts = new Map<number, { slot: number; seqs: number[][] }[]>();
  for (const set of vocab.sets) {
    for (const [first, seqs] of set.byFirst) {
      const list = starts.get(first);
      if (list) list.push({ slot: set.slot, seqs });
      else starts.set(first, [{ slot: set.slot, seqs }]);
    }
  }
  const matcher: Matcher = {
    vocabulary: vocab.ids,
    starts,
    slots: vocab.sets.length,
    fuzzy,
    respell,
    respellStarts,
    respellLongest,
    window: language.negation.window,
    negationCues,
    pseudoNegations,
    terminators,
    personal,
    reportFillers,
    joiners,
    joinerReach: language.negation.joinerReach,
    openers,
    leadIns,
    aboutThePerson,
    history,
  };
  return { matcher, rules };
}

function compilePattern(source: string, concepts: Map<string, PhraseSet>, vocab: Vocabulary): Pattern {
  const elements: PhraseSet[] = [];
  const gaps: Gap[] = [];
  let pending: Gap | null = null;
  for (const part of source.trim().split(/\s+/)) {
    const gap = /^(~|\.\.)(\d+)$/.exec(part);
    if (gap) {
      if (elements.length === 0 || pending !== null) throw new PatternProblem('patterns', `"${source}": "${part}" must stand between two words`);
      pending = { max: Number(gap[2]), ordered: gap[1] === '..' };
      continue;
    }
    if (/^(~|\.\.)/.test(part)) throw new PatternProblem('patterns', `"${source}": "${part}" should be ~ or .. followed by a number, like ~3`);
    gaps.push(pending ?? ADJACENT);
    elements.push(alternatives(source, part, concepts, vocab));
    pending = null;
  }
  if (elements.length === 0) throw new PatternProblem('patterns', 'a pattern is empty');
  if (pending !== null) throw new PatternProblem('patterns', `"${source}": a pattern cannot end with ~N or ..N`);
  return { source, elements, gaps };
}

/** One pattern element: words and {concepts} separated by "|", merged into one phrase set. */
function alternatives(source: string, part: string, concepts: Map<string, PhraseSet>, vocab: Vocabulary): PhraseSet {
  const words: string[] = [];
  const sets: PhraseSet[] = [];
  for (const alt of part.split('|')) {
    if (alt === '') throw new PatternProblem('patterns', `"${source}": "${part}" has an empty alternative`);
    const concept = /^\{([^{}]+)\}$/.exec(alt);
    if (concept) {
      const set = concepts.get(concept[1]);
      if (!set) throw new PatternProblem('patterns', `"${source}": unknown concept {${concept[1]}}`);
      sets.push(set);
    } else if (/[{}~]/.test(alt)) {
      throw new PatternProblem('patterns', `"${source}": "${alt}" is neither a word nor a {concept}`);
    } else {
      words.push(alt);
    }
  }
  if (words.length === 0 && sets.length === 1) return sets[0];
  const byFirst = new Map<number, number[][]>();
  const parts = words.length > 0 ? [phraseSet(words, vocab, true, 'patterns'), ...sets] : sets;
  for (const set of parts) {
    for (const [first, seqs] of set.byFirst) byFirst.set(first, [...(byFirst.get(first) ?? []), ...seqs]);
  }
  return register(byFirst, vocab);
}

// ---------------------------------------------------------------------------------------------------------
// Reading one message

export interface Span {
  start: number;
  end: number;
}

export interface Analysis {
  /** The message's words as matched (lower case, respelled), for showing what a rule matched. */
  words: string[];
  ids: Int32Array;
  sentence: number[];
  clause: number[];
  sentenceStart: number[];
  negationAt: Uint8Array;
  personal: boolean[];
  /** Some clause starts (after lead-ins) with a question word: "oozing yellow stuff, is it staph" asks. */
  asks: boolean;
  generalQuestion: boolean[];
  /** Where each phrase set matches (the longest phrase at each start), by slot. */
  occurrences: Span[][];
}

const NONE: Span[] = [];

export function analyse(text: string, m: Matcher): Analysis {
  const raw = splitWords(text);
  const words: string[] = [];
  const sentence: number[] = [];
  const punctClause: number[] = [];
  for (let i = 0; i < raw.words.length; ) {
    let to: string[] | undefined;
    let used = 1;
    // Multi-word keys ("hay fever") are only tried after a word that starts one.
    if (m.respellStarts.has(raw.words[i])) {
      for (let k = Math.min(m.respellLongest, raw.words.length - i); k >= 2 && !to; k--) {
        if (raw.sentence[i + k - 1] !== raw.sentence[i]) continue;
        to = m.respell.get(raw.words.slice(i, i + k).join(' '));
        used = k;
      }
    }
    if (!to) {
      to = m.respell.get(raw.words[i]);
      used = 1;
    }
    for (const w of to ?? [raw.words[i]]) {
      words.push(w);
      sentence.push(raw.sentence[i]);
      punctClause.push(raw.clause[i]);
    }
    i += used;
  }

  const n = words.length;
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = m.vocabulary.get(words[i]) ?? m.fuzzy.lookup(words[i]);

  const sentences = n === 0 ? 0 : sentence[n - 1] + 1;
  const sentenceStart: number[] = new Array<number>(sentences).fill(0);
  for (let i = n - 1; i >= 0; i--) sentenceStart[sentence[i]] = i;

  const a: Analysis = {
    words,
    ids,
    sentence,
    clause: new Array<number>(n),
    sentenceStart,
    negationAt: new Uint8Array(n),
    personal: new Array<boolean>(sentences).fill(false),
    asks: false,
    generalQuestion: new Array<boolean>(sentences).fill(false),
    occurrences: new Array<Span[]>(m.slots).fill(NONE),
  };
  for (let i = 0; i < n; i++) {
    const entries = m.starts.get(ids[i]);
    if (!entries) continue;
    for (const { slot, seqs } of entries) {
      for (const seq of seqs) {
        const end = i + seq.length - 1;
        if (end >= n || sentence[end] !== sentence[i]) continue;
        let ok = true;
        for (let k = 1; k < seq.length && ok; k++) ok = ids[i + k] === seq[k];
        if (!ok) continue;
        if (a.occurrences[slot] === NONE) a.occurrences[slot] = [];
        a.occurrences[slot].push({ start: i, end });
        break;
      }
    }
  }

  const terminatorAt = new Set(occurrencesOf(m.terminators, a).map((s) => s.start));
  let clause = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && (punctClause[i] !== punctClause[i - 1] || terminatorAt.has(i))) clause += 1;
    a.clause[i] = clause;
  }
  for (let i = 0; i < n && !a.asks; i++) {
    if (i > 0 && a.clause[i] === a.clause[i - 1]) continue;
    let k = i;
    while (k < n && a.clause[k] === a.clause[i] && m.leadIns.has(ids[k])) k++;
    a.asks = k < n && a.clause[k] === a.clause[i] && m.openers.has(ids[k]);
  }

  const pseudo = new Uint8Array(n);
  for (const s of occurrencesOf(m.pseudoNegations, a)) pseudo.fill(1, s.start, s.end + 1);
  // Marked on the cue's last word, so "how do i know if my eczema is infected" is measured from "if".
  for (const s of occurrencesOf(m.negationCues, a)) {
    if (!pseudo.subarray(s.start, s.end + 1).includes(1)) a.negationAt[s.end] = 1;
  }

  for (const s of occurrencesOf(m.personal, a)) a.personal[sentence[s.start]] = true;
  for (let s = 0; s < sentences; s++) {
    let i = sentenceStart[s];
    while (i < n && sentence[i] === s && m.leadIns.has(ids[i])) i++;
    const question = i < n && sentence[i] === s && m.openers.has(ids[i]);
    a.generalQuestion[s] = question && !a.personal[s];
  }
  return a;
}

/**
 * What the message asks, if anything: 'person' when a part of it that asks (from a question word at the start of a
 * clause to the end of its sentence) names the patient or someone they write for, or a word about suiting them
 * ("is dupixent safe?", "what are the chances"); 'general' when it only asks in general ("how does methotrexate
 * work?"); 'nothing' when no clause asks.
 */
export type Asking = 'person' | 'general' | 'nothing';

export function whatItAsks(a: Analysis, m: Matcher): Asking {
  const n = a.ids.length;
  const personal = occurrencesOf(m.personal, a);
  const about = occurrencesOf(m.aboutThePerson, a);
  let asks = false;
  for (let i = 0; i < n; i++) {
    if (i > 0 && a.clause[i] === a.clause[i - 1]) continue;
    let k = i;
    while (k < n && a.clause[k] === a.clause[i] && m.leadIns.has(a.ids[k])) k++;
    if (k >= n || a.clause[k] !== a.clause[i] || !m.openers.has(a.ids[k])) continue;
    asks = true;
    const s = a.sentence[k];
    const inAsk = (o: Span) => o.start >= k && a.sentence[o.start] === s;
    if (personal.some(inAsk) || about.some(inAsk)) return 'person';
  }
  return asks ? 'general' : 'nothing';
}

function occurrencesOf(set: PhraseSet, a: Analysis): Span[] {
  return a.occurrences[set.slot];
}

/**
 * How a rule fits a message: 'full' when it fires (on something happening now); 'history' when its only matches
 * are told as history; 'general-question' when its only matches sit in general questions and the rule asks to be
 * capped there; null when it does not match.
 */
export type Fit = 'full' | 'history' | 'general-question' | null;

export interface RuleMatch {
  fit: Exclude<Fit, null>;
  /** The words that matched, as the patient wrote them (after respelling), parts joined with "…". */
  matched: string;
}

/** The rule's best match in the message: a 'full' one if any, else one told as history, else a capped one. */
export function ruleMatch<R extends RuleSpec>(rule: CompiledRule<R>, a: Analysis, m: Matcher): RuleMatch | null {
  let capped: RuleMatch | null = null;
  let history: RuleMatch | null = null;
  const policy = rule.spec.inGeneralQuestion;
  for (const pattern of rule.patterns) {
    if (!present(pattern, a)) continue;
    let full: Span[] | null = null;
    visitMatches(pattern, a, rule.spec.acrossSentences, (spans) => {
      const s = a.sentence[spans[0].start];
      // Within one sentence unless the rule reaches across: then any of its sentences may be the personal one,
      // and it is a general question only if all of them are.
      const sentences = rule.spec.acrossSentences ? [...new Set(spans.map((sp) => a.sentence[sp.start]))] : [s];
      // A report with no personal word of its own ("Red, gritty eyes since starting adbry. Should I stop it?") is
      // about the patient when another sentence of the message is; a general question stays general.
      const personal = sentences.some((x) => a.personal[x]) || (a.personal.includes(true) && !sentences.some((x) => a.generalQuestion[x] || startsAsQuestion(a, x, m)));
      const general = sentences.every((x) => a.generalQuestion[x]);
      if (rule.spec.onlyPersonal && !personal && !(rule.spec.bareReport && sentences.length === 1 && isBareReport(a, s, spans, m))) return false;
      if (isNegated(spans, a, m)) return false;
      if (general && policy !== 'fire') {
        if (policy === 'urgent' && capped === null) capped = { fit: 'general-question', matched: matchedWords(spans, a) };
        return false;
      }
      if (m.history && toldAsHistory(spans, a, m, rule.spec)) {
        history ??= { fit: 'history', matched: matchedWords(spans, a) };
        return false;
      }
      full = [...spans];
      return true;
    });
    if (full) return { fit: 'full', matched: matchedWords(full, a) };
  }
  return history ?? capped;
}

export function ruleFit<R extends RuleSpec>(rule: CompiledRule<R>, a: Analysis, m: Matcher): Fit {
  return ruleMatch(rule, a, m)?.fit ?? null;
}

/** Whether the sentence opens (after lead-ins) with a question word, personal or not. */
function startsAsQuestion(a: Analysis, s: number, m: Matcher): boolean {
  let i = a.sentenceStart[s];
  while (i < a.ids.length && a.sentence[i] === s && m.leadIns.has(a.ids[i])) i++;
  return i < a.ids.length && a.sentence[i] === s && m.openers.has(a.ids[i]);
}

function matchedWords(spans: readonly Span[], a: Analysis): string {
  return [...spans]
    .sort((x, y) => x.start - y.start)
    .map((s) => a.words.slice(s.start, s.end + 1).join(' '))
    .join(' … ');
}

/**
 * A sentence that is nothing but the match, give or take a filler ("anaphylaxis", "its infected", "infected
 * now?"), is a report even without a personal word: patients in a chat often type only the symptom.
 * "rinvoq blood clots" or "what is anaphylaxis" is not.
 */
function isBareReport(a: Analysis, s: number, spans: readonly Span[], m: Matcher): boolean {
  if (a.generalQuestion[s]) return false;
  const fillers = occurrencesOf(m.reportFillers, a);
  for (let i = a.sentenceStart[s]; i < a.sentence.length && a.sentence[i] === s; i++) {
    if (!inSpans(spans, i) && !inSpans(fillers, i)) return false;
  }
  return true;
}

function inSpans(spans: readonly Span[], i: number): boolean {
  return spans.some((span) => i >= span.start && i <= span.end);
}

/** Calls `visit` with each full match of the pattern until it returns true; says whether it did. */
/** Whether every element of the pattern occurs somewhere: most patterns miss most messages, and this costs nothing. */
function present(p: Pattern, a: Analysis): boolean {
  for (let k = 0; k < p.elements.length; k++) if (a.occurrences[p.elements[k].slot].length === 0) return false;
  return true;
}

function visitMatches(p: Pattern, a: Analysis, acrossSentences: boolean, visit: (spans: Span[]) => boolean): boolean {
  if (!present(p, a)) return false;
  const occ = p.elements.map((e) => occurrencesOf(e, a));
  const acc: Span[] = [];
  const extend = (k: number): boolean => {
    if (k === p.elements.length) return visit(acc);
    for (const span of occ[k]) {
      if (k > 0) {
        const prev = acc[k - 1];
        if (!acrossSentences && a.sentence[span.start] !== a.sentence[prev.start]) continue;
        if (acc.some((o) => span.start <= o.end && o.start <= span.end)) continue;
        const gap = p.gaps[k];
        const after = span.start > prev.end;
        if (gap.ordered && !after) continue;
        const between = after ? span.start - prev.end - 1 : prev.start - span.end - 1;
        if (between > gap.max) continue;
      }
      acc.push(span);
      const stop = extend(k + 1);
      acc.pop();
      if (stop) return true;
    }
    return false;
  };
  return extend(0);
}

/**
 * NegEx-style: a negation cue in the few words before the match (same clause) or between its parts denies it.
 * Words that belong to the match itself never count, so "can't breathe" or "not working" can be symptoms.
 */
function isNegated(spans: readonly Span[], a: Analysis, m: Matcher): boolean {
  let first = Infinity;
  let last = -1;
  for (const s of spans) {
    first = Math.min(first, s.start);
    last = Math.max(last, s.end);
  }
  // "no fever or any pus": every joiner before the match lets the cue reach further.
  let reach = m.window;
  for (let i = first - 1; i >= Math.max(0, first - reach); i--) if (m.joiners.has(a.ids[i])) reach += m.joinerReach;
  const from = Math.max(first - reach, a.sentenceStart[a.sentence[first]]);
  for (let c = from; c <= last; c++) {
    if (!a.negationAt[c]) continue;
    if (inSpans(spans, c)) continue;
    if (c < first && a.clause[c] !== a.clause[first]) continue;
    return true;
  }
  return false;
}
