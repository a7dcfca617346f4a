// The distance submodule alone: the package root costs ~0.6 s and pulls in database clients and dotenv.
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/index.js';

export interface FuzzySettings {
  /** Rule words shorter than this only match exactly ("pus" must not match "bus"). */
  minLength: number;
  /** Rule words at least this long tolerate two edits instead of one. */
  twoEditLength: number;
}

/**
 * Finds the rule word a misspelt patient word was meant to be ("swolen" → "swollen", "blistres" → "blisters").
 *
 * natural's Damerau-Levenshtein takes ~15 µs a pair, far too slow to compare every word of every message with
 * every rule word, so candidates come from a symmetric-deletion index (a word and its misspelling share a
 * string once the differing letters are deleted) and only those few are measured. Answers are memoised per
 * word, so the common words of patient messages cost one map lookup after the first time.
 */
export class FuzzyIndex {
  /** Deletion string → indexes into `words`. */
  private readonly deletions = new Map<string, number[]>();
  private readonly words: { word: string; id: number }[] = [];
  private readonly memo = new Map<string, number>();
  private static readonly MEMO_LIMIT = 20_000;

  constructor(
    targets: Iterable<readonly [string, number]>,
    /** Real words that sit one edit from a rule word ("never" / "fever"); they are never read as typos. */
    private readonly realWords: ReadonlySet<string>,
    private readonly settings: FuzzySettings,
  ) {
    for (const [word, id] of targets) {
      if (word.length < settings.minLength || !/^[a-z]+$/.test(word)) continue;
      const index = this.words.push({ word, id }) - 1;
      for (const key of deletionsOf(word, this.editsFor(word))) {
        const list = this.deletions.get(key);
        if (list === undefined) this.deletions.set(key, [index]);
        else if (!list.includes(index)) list.push(index);
      }
    }
  }

  private editsFor(word: string): number {
    return word.length >= this.settings.twoEditLength ? 2 : 1;
  }

  /** The id of the rule word `word` is a misspelling of, or -1. `word` is assumed not to be a rule word itself. */
  lookup(word: string): number {
    const known = this.memo.get(word);
    if (known !== undefined) return known;
    const found = this.search(word);
    if (this.memo.size >= FuzzyIndex.MEMO_LIMIT) this.memo.clear();
    this.memo.set(word, found);
    return found;
  }

  private search(word: string): number {
    if (word.length < this.settings.minLength - 1 || this.realWords.has(word) || !/^[a-z]+$/.test(word)) return -1;
    const candidates = new Set<number>();
    for (const key of deletionsOf(word, word.length >= this.settings.twoEditLength - 1 ? 2 : 1)) {
      for (const index of this.deletions.get(key) ?? []) candidates.add(index);
    }
    let best = -1;
    let bestIndex = Infinity;
    let bestDistance = Infinity;
    for (const index of candidates) {
      const { word: target, id } = this.words[index];
      // People rarely get the first letter wrong, and most real-word collisions differ there ("night"/"tight").
      if (target[0] !== word[0]) continue;
      const allowed = this.editsFor(target);
      const distance = DamerauLevenshteinDistance(word, target, { restricted: true });
      // Ties go to the word listed first in the rule file, so the answer never depends on the message.
      if (distance <= allowed && (distance < bestDistance || (distance === bestDistance && index < bestIndex))) {
        best = id;
        bestIndex = index;
        bestDistance = distance;
      }
    }
    return best;
  }
}

/** The word itself and every string made by deleting up to `depth` letters. */
function deletionsOf(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      if (w.length <= 2) continue;
      for (let i = 0; i < w.length; i++) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return out;
}
