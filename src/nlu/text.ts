/**
 * Text preparation for patient questions: normalise, tokenise, drop filler words, stem.
 * Everything here is deterministic and free of model state; the spelling tolerance, which needs the
 * vocabulary, lives in vocabulary.ts.
 */
import { stem, tokenize } from './natural.js';

/**
 * Filler words that carry no intent. Unlike natural's list (and most English lists) this one keeps question
 * words (what, how, when, why, where, who, which), modal verbs (can, should, could, will), "see", and every
 * negation: "should I see a doctor" and "when not to use steroids" must survive preparation.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'and', 'or', 'but', 'as', 'so', 'than', 'then',
  'is', 'are', 'am', 'was', 'were', 'be', 'been', 'being', 'do', 'does', 'did', 'doing', 'have', 'has', 'had',
  'i', 'me', 'my', 'mine', 'myself', 'we', 'us', 'our', 'ours', 'you', 'your', 'yours', 'it', 'its', 'itself',
  'he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'theirs',
  'this', 'that', 'these', 'those', 'there', 'here', 'some', 'any', 'just', 'really', 'very', 'quite', 'also',
  'please', 'pls', 'plz', 'um', 'uh', 'hmm', 'ok', 'okay', 'well', 'like', 'u', 'ur', 'im', 'ive', 'id',
]);

/** Words kept as features but which, alone, do not show that a question is about something we know. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  ...STOP_WORDS,
  'what', 'whats', 'how', 'when', 'why', 'where', 'who', 'which', 'whose', 'whom',
  'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might', 'must',
  'not', 'no', 'never', 'without', 'nor', 'none',
  'with', 'from', 'about', 'into', 'if', 'after', 'before', 'up', 'out', 'all', 'more', 'most', 'much', 'many',
  'get', 'got', 'go', 'make', 'know', 'tell', 'want', 'need', 'thing', 'things', 'something', 'anything',
]);

// Contractions spelt with or without the apostrophe. Negations become a separate "not" so that
// "don't", "dont" and "do not" all give the same tokens.
const CONTRACTIONS: ReadonlyMap<string, string> = new Map([
  ['dont', 'do not'], ['doesnt', 'does not'], ['didnt', 'did not'], ['cant', 'can not'], ['cannot', 'can not'],
  ['wont', 'will not'], ['isnt', 'is not'], ['arent', 'are not'], ['wasnt', 'was not'], ['werent', 'were not'],
  ['shouldnt', 'should not'], ['couldnt', 'could not'], ['wouldnt', 'would not'], ['havent', 'have not'],
  ['hasnt', 'has not'], ['hadnt', 'had not'], ['aint', 'is not'], ['mustnt', 'must not'],
]);

/**
 * Lower-cases, folds accents (münchen → munchen, ß → ss), expands contractions, and joins short letter
 * prefixes to the number that follows them (IL-4, il 4 and IL4 are the same cytokine; the same for Th2).
 */
export function normalise(text: string): string {
  let s = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
  s = s.replace(/[\u2018\u2019\u02bc`´]/g, "'");
  s = s.replace(/n't\b/g, ' not').replace(/'(s|re|ve|ll|d|m)\b/g, ' ').replace(/'/g, '');
  // Patients write the long name, often misspelt ("interlukin 31"); the articles and answers say "IL-31".
  s = s.replace(/\binter[a-z]{0,3}(?:l|ll)[a-z]{0,2}kin[es]?\b/g, 'il');
  s = s.replace(/\b([a-z]{1,3})[\s-]?(\d{1,3})\b/g, (whole: string, letters: string, digits: string) =>
    STOP_WORDS.has(letters) || FUNCTION_WORDS.has(letters) ? whole : letters + digits);
  // Version numbers, years and doses ("12.04", "2016", "200mg" stays a word) are almost never seen twice; as one
  // shared token they say "a number was here" instead of being unknown. One- and two-digit numbers (ages, "3
  // times a day") stay as written.
  s = s.replace(/\b\d+(?:[.,]\d+)+\b|\b\d{3,}\b/g, '0');
  return s;
}

export interface TextOptions {
  /** Remove STOP_WORDS before building features. */
  removeStopWords: boolean;
  /** Porter-stem each token. */
  stem: boolean;
  /**
   * Phrases the model should read as one word: canonical word → the phrases that mean it
   * (`eczema: [atopic dermatitis, atopic eczema]`). Matched on whole words after spelling correction.
   */
  synonyms: Readonly<Record<string, readonly string[]>>;
}

/** A compiled synonym table: first word of a phrase → [phrase words, canonical word], longest phrases first. */
export type SynonymTable = ReadonlyMap<string, readonly (readonly [readonly string[], string])[]>;

/** A synonym phrase's words as the model reads a question: normalised, tokenised, stop words dropped if it drops them. */
export function phraseTokens(phrase: string, options: TextOptions): string[] {
  return surfaceTokens(phrase).filter((w) => isKept(w, options));
}

export function compileSynonyms(options: TextOptions): SynonymTable {
  const table = new Map<string, [string[], string][]>();
  for (const [canonical, phrases] of Object.entries(options.synonyms)) {
    for (const phrase of phrases) {
      const words = phraseTokens(phrase, options);
      if (words.length === 0) continue;
      const list = table.get(words[0]) ?? [];
      list.push([words, canonical]);
      table.set(words[0], list);
    }
  }
  for (const list of table.values()) list.sort((a, b) => b[0].length - a[0].length);
  return table;
}

/**
 * Where synonym phrases occur in a question: for each match its start, its length and the canonical word, left
 * to right and never overlapping. A phrase word matches a question word as written or as spelling correction
 * read it, so neither a typo ("atopic dermatitus") nor an over-eager correction hides a phrase.
 */
export function findSynonyms(
  written: readonly string[],
  meant: readonly string[],
  table: SynonymTable,
): { at: number; length: number; canonical: string }[] {
  const found: { at: number; length: number; canonical: string }[] = [];
  if (table.size === 0) return found;
  const matches = (j: number, w: string) => written[j] === w || meant[j] === w;
  for (let i = 0; i < written.length; i++) {
    // Most words start no phrase: look up without building anything, and merge only in the rare double hit.
    const asWritten = table.get(written[i]);
    const asMeant = meant[i] !== written[i] ? table.get(meant[i]) : undefined;
    const candidates = asWritten && asMeant ? [...asWritten, ...asMeant].sort((a, b) => b[0].length - a[0].length) : asWritten ?? asMeant;
    if (!candidates) continue;
    const match = candidates.find(([phrase]) => i + phrase.length <= written.length && phrase.every((w, k) => matches(i + k, w)));
    if (!match) continue;
    found.push({ at: i, length: match[0].length, canonical: match[1] });
    i += match[0].length - 1;
  }
  return found;
}

/** `items` (parallel to `written` and `meant`) with every synonym phrase replaced by `replacement(canonical)`. */
export function replaceSynonyms<T>(
  items: readonly T[],
  written: readonly string[],
  meant: readonly string[],
  table: SynonymTable,
  replacement: (canonical: string) => T,
): T[] {
  const found = findSynonyms(written, meant, table);
  if (found.length === 0) return [...items];
  const out: T[] = [];
  let next = 0;
  for (const { at, length, canonical } of found) {
    out.push(...items.slice(next, at), replacement(canonical));
    next = at + length;
  }
  out.push(...items.slice(next));
  return out;
}

/** Normalised surface tokens, before stop-word removal and stemming. */
export function surfaceTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokenize(normalise(text))) {
    // The tokenizer keeps hyphens and slashes inside words; for questions they separate words.
    for (const part of raw.split(/[-/]+/)) {
      if (!part) continue;
      const expanded = CONTRACTIONS.get(part);
      if (expanded) out.push(...expanded.split(' '));
      else out.push(part);
    }
  }
  return out;
}

export function isKept(token: string, options: TextOptions): boolean {
  return !(options.removeStopWords && STOP_WORDS.has(token));
}

/** Stemming is the costliest step after the first sight of a word, so stems are remembered. */
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

export function stemToken(token: string, options: TextOptions): string {
  if (!options.stem) return token;
  let s = stemCache.get(token);
  if (s === undefined) {
    s = stem(token);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, s);
  }
  return s;
}
