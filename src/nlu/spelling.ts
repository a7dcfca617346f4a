/**
 * Tolerance for misspelt words: a word the training data never contains is replaced by the closest word it
 * does contain, when that word is within a small edit distance ("dupilumub" → "dupilumab", "exzema" → "eczema").
 * Patients misspell drug and disease names far more often than common words, and those names decide the intent.
 */
import { editDistance } from './natural.js';

export interface SpellingOptions {
  enabled: boolean;
  /** Shortest word we try to correct: short words are too easily turned into another real word. */
  minLength: number;
  /** Longest allowed edit distance, by word length: the entry with the largest `fromLength` ≤ length wins. */
  maxEdits: readonly { fromLength: number; edits: number }[];
  /** Only correct to words with the same first letter (first letters are rarely mistyped). */
  sameFirstLetter: boolean;
}

const LETTERS = 26;

function letterHistogram(word: string): Int8Array {
  const h = new Int8Array(LETTERS);
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 97;
    if (c >= 0 && c < LETTERS) h[c]++;
  }
  return h;
}

/** Bit i set when letter i occurs in the word. */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 97;
    if (c >= 0 && c < LETTERS) mask |= 1 << c;
  }
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

interface Candidate {
  word: string;
  count: number;
  histogram: Int8Array;
  mask: number;
}

export class SpellingCorrector {
  private readonly byLength = new Map<number, Candidate[]>();
  private readonly known: ReadonlySet<string>;
  private readonly cache = new Map<string, string | null>();

  /** `words` maps each correctable training word to how often it occurs (ties go to the commoner word). */
  constructor(
    words: ReadonlyMap<string, number>,
    private readonly options: SpellingOptions,
  ) {
    this.known = new Set(words.keys());
    // Sorted so that equal distances and counts still resolve the same way on every run.
    for (const word of [...words.keys()].sort()) {
      if (word.length < options.minLength - 1 || /\d/.test(word)) continue;
      const list = this.byLength.get(word.length) ?? [];
      list.push({ word, count: words.get(word) ?? 0, histogram: letterHistogram(word), mask: letterMask(word) });
      this.byLength.set(word.length, list);
    }
  }

  isKnown(word: string): boolean {
    return this.known.has(word);
  }

  private allowedEdits(length: number): number {
    let edits = 0;
    for (const rule of this.options.maxEdits) if (length >= rule.fromLength) edits = Math.max(edits, rule.edits);
    return edits;
  }

  /** The known word `word` was most likely meant to be, or null when none is close enough. */
  correct(word: string): string | null {
    if (this.known.has(word)) return word;
    if (!this.options.enabled || word.length < this.options.minLength || /[^a-z]/.test(word)) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;

    const limit = this.allowedEdits(word.length);
    const histogram = letterHistogram(word);
    const mask = letterMask(word);
    let best: Candidate | null = null;
    let bestDistance = limit + 1;
    for (let len = word.length - limit; len <= word.length + limit; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        if (this.options.sameFirstLetter && candidate.word[0] !== word[0]) continue;
        // Cheapest test first: one edit adds or removes at most two letters from the set of letters a word uses.
        if (bitCount(mask ^ candidate.mask) > 2 * Math.min(limit, bestDistance)) continue;
        // Each edit changes the letter counts by at most two, so half the histogram difference is a lower bound
        // on the edit distance: it rules out nearly every candidate before the costly distance is computed.
        let diff = 0;
        for (let i = 0; i < LETTERS; i++) diff += Math.abs(histogram[i] - candidate.histogram[i]);
        if (Math.ceil(diff / 2) > Math.min(limit, bestDistance)) continue;
        const d = editDistance(word, candidate.word);
        if (d < bestDistance || (d === bestDistance && best !== null && candidate.count > best.count)) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    const result = best && bestDistance <= limit ? best.word : null;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }
}
