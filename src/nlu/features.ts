/**
 * From a prepared question to the bag of features the classifier counts: word stems, pairs of neighbouring
 * stems, and character n-grams of the words (which give partial credit to unseen inflections and typos).
 */
import { ngrams } from './natural.js';
import { SpellingCorrector } from './spelling.js';
import { FUNCTION_WORDS, compileSynonyms, isKept, replaceSynonyms, stemToken, surfaceTokens, type SynonymTable, type TextOptions } from './text.js';

export interface FeatureOptions {
  text: TextOptions;
  /** Weight of a word-stem feature; 0 leaves words out. */
  wordWeight: number;
  /** Weight of a pair of neighbouring stems ("not use", "see doctor"); 0 leaves pairs out. */
  bigramWeight: number;
  /** Character n-grams of each word, padded with "_" at both ends; weight 0 leaves them out. */
  charNgrams: { min: number; max: number; weight: number };
}

export interface PreparedText {
  /** Feature name → weighted count. */
  features: Map<string, number>;
  /** Tokens left after stop-word removal and spelling correction, before stemming. */
  words: string[];
  /** True when at least one word, after correction, occurs in the training data as a content word. */
  hasKnownWord: boolean;
}

/** Prefixes keep the three kinds of feature apart, so the word "ecz" and the trigram "ecz" never collide. */
export const WORD = 'w:';
export const PAIR = 'p:';
export const CHARS = 'c:';

function addTo(features: Map<string, number>, name: string, weight: number): void {
  features.set(name, (features.get(name) ?? 0) + weight);
}

const compiled = new WeakMap<TextOptions, SynonymTable>();

/** The compiled synonym table of a configuration (compiled once per configuration object). */
export function synonymTable(options: TextOptions): SynonymTable {
  let table = compiled.get(options);
  if (!table) compiled.set(options, (table = compileSynonyms(options)));
  return table;
}

/** A word of a question: as written, as meant (after spelling correction), and whether training knows it. */
interface ReadWord {
  written: string;
  word: string;
  known: boolean;
  isFunction: boolean;
}

/** Character n-grams of a word padded with "_" at both ends, each added with `weight`. */
export function addCharNgrams(word: string, min: number, max: number, weight: number, add: (name: string, weight: number) => void): void {
  const padded = `_${word}_`;
  for (let n = min; n <= max; n++) for (let i = 0; i + n <= padded.length; i++) add(CHARS + padded.slice(i, i + n), weight);
}

/**
 * Prepares a text. Without a corrector (while training) every word is taken as it is; with one, an unknown word
 * counts as the closest known word (its stem) but keeps the character n-grams of what was written, so a wrong
 * correction ("show" → "how") costs one feature rather than the whole word. Synonym phrases then become their
 * canonical word.
 */
export function prepare(text: string, options: FeatureOptions, corrector?: SpellingCorrector): PreparedText {
  let read: ReadWord[] = [];
  for (const token of surfaceTokens(text)) {
    if (!isKept(token, options.text)) continue;
    const word = corrector ? corrector.correct(token) ?? token : token;
    read.push({ written: token, word, known: corrector ? corrector.isKnown(word) : true, isFunction: FUNCTION_WORDS.has(word) });
  }
  read = replaceSynonyms(read, read.map((r) => r.written), read.map((r) => r.word), synonymTable(options.text), (canonical) => ({
    written: canonical,
    word: canonical,
    known: corrector ? corrector.isKnown(canonical) : true,
    isFunction: FUNCTION_WORDS.has(canonical),
  }));
  const words = read.map((r) => r.word);
  const hasKnownWord = knownWordRule(read);

  const features = new Map<string, number>();
  const add = (name: string, weight: number) => addTo(features, name, weight);
  const stems = words.map((w) => stemToken(w, options.text));
  if (options.wordWeight > 0) for (const s of stems) add(WORD + s, options.wordWeight);
  if (options.bigramWeight > 0 && stems.length > 1) {
    for (const [a, b] of ngrams(stems, 2)) add(`${PAIR}${a} ${b}`, options.bigramWeight);
  }
  const { min, max, weight } = options.charNgrams;
  if (weight > 0) for (const r of read) addCharNgrams(r.written, min, max, weight, add);
  return { features, words, hasKnownWord };
}

/**
 * Whether a question shares a word with the training data. A question made only of function words
 * ("how are you", "what can you do") is judged on those words; otherwise it needs a known content word, so
 * "what is xyzzy" does not pass on "what" alone.
 */
export function knownWordRule(words: readonly { known: boolean; isFunction: boolean }[]): boolean {
  const content = words.filter((w) => !w.isFunction);
  return content.length > 0 ? content.some((w) => w.known) : words.some((w) => w.known);
}

/** Training words and how often they occur, the vocabulary that spelling correction maps onto. */
export function correctableWords(texts: Iterable<string>, options: FeatureOptions): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const token of surfaceTokens(text)) {
      if (!isKept(token, options.text)) continue;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return counts;
}
