/**
 * The intent model: text preparation + naive Bayes + normalised confidences + the decision rule.
 */
import { createHash } from 'node:crypto';
import { BayesModel, countFeatures, type BayesStats } from './bayes.js';
import { loadNluConfig, type NluConfig } from './config.js';
import { decide, type Analysis, type Decision, type IntentScore } from './decide.js';
import { PAIR, WORD, addCharNgrams, correctableWords, knownWordRule, prepare, synonymTable, type FeatureOptions, type PreparedText } from './features.js';
import { SpellingCorrector } from './spelling.js';
import { FUNCTION_WORDS, isKept, replaceSynonyms, stemToken, surfaceTokens, type SynonymTable } from './text.js';

export interface IntentModel {
  /** Every intent, best first, with confidences that sum to 1. */
  classify(text: string): IntentScore[];
  decide(text: string): Decision;
  readonly intents: readonly string[];
}

export interface TrainOptions {
  /** Defaults to data/nlu.yaml. */
  config?: NluConfig;
}

/** Bumped whenever the meaning of a saved file changes, so older files are re-trained rather than misread. */
export const MODEL_FORMAT = 3;

export interface SavedModel {
  format: number;
  /** The content hash the model was trained on (empty when trained outside loadOrTrainModel). */
  trainingHash: string;
  /** Hash of the configuration the statistics depend on. */
  configHash: string;
  /** Training words and counts, for spelling correction. */
  words: [string, number][];
  /** Prepared training utterances (stems joined by spaces) that belong to one intent only, with that intent. */
  memorised: [string, string][];
  stats: BayesStats;
}

function memoryKey(stems: readonly string[]): string {
  return stems.join(' ');
}

function featureOptions(config: NluConfig): FeatureOptions {
  return { text: config.text, ...config.features };
}

/** The parts of the configuration that change what training counts; the decision rule is applied live. */
export function configHash(config: NluConfig): string {
  const { text, spelling, features, classifier } = config;
  return createHash('sha256').update(JSON.stringify({ text, spelling, features, classifier })).digest('hex');
}

export function trainStats(
  training: ReadonlyMap<string, readonly string[]>,
  config: NluConfig,
  trainingHash = '',
): SavedModel {
  const options = featureOptions(config);
  const texts: { label: string; features: Map<string, number> }[] = [];
  const all: string[] = [];
  const keys = new Map<string, Set<string>>();
  // Sorted, so that the saved numbers (floating-point sums) depend on what was trained, not on reading order.
  for (const label of [...training.keys()].sort()) {
    for (const u of [...(training.get(label) ?? [])].sort()) {
      const { features, words } = prepare(u, options);
      if (features.size === 0) continue;
      const key = memoryKey(words.map((w) => stemToken(w, options.text)));
      keys.set(key, (keys.get(key) ?? new Set()).add(label));
      texts.push({ label, features });
      all.push(u);
    }
  }
  if (new Set(texts.map((t) => t.label)).size < 2) {
    throw new Error('training needs utterances for at least two intents');
  }
  const words = [...correctableWords(all, options).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const memorised = [...keys.entries()]
    .filter(([, labels]) => labels.size === 1)
    .map(([key, labels]): [string, string] => [key, [...labels][0]])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { format: MODEL_FORMAT, trainingHash, configHash: configHash(config), words, memorised, stats: countFeatures(texts, config.classifier) };
}

/** What one word contributes, worked out once per distinct word and then reused. */
interface WordEntry {
  /** The word as the patient wrote it (normalised). */
  written: string;
  /** The word after spelling correction. */
  word: string;
  stem: string;
  known: boolean;
  isFunction: boolean;
  /** Weight-matrix rows of the word's known features (stem and character n-grams) and their weighted counts. */
  rows: Int32Array;
  counts: Float64Array;
  /** Those features' summed contribution to every intent's score (used when scores are linear in counts). */
  contribution: Float64Array;
}

const WORD_CACHE_LIMIT = 20_000;

export class NaiveBayesIntentModel implements IntentModel {
  readonly intents: readonly string[];
  private readonly bayes: BayesModel;
  private readonly corrector: SpellingCorrector;
  private readonly options: FeatureOptions;
  private readonly words = new Map<string, WordEntry>();
  private readonly memorised: ReadonlyMap<string, string>;
  private readonly synonyms: SynonymTable;
  // Reusable buffers for one question's features (classify is synchronous, so one set per model is enough).
  private slot: Int32Array;
  private rows = new Int32Array(256);
  private counts = new Float64Array(256);
  private readonly contributionSum: Float64Array;

  constructor(
    readonly saved: SavedModel,
    private readonly config: NluConfig,
  ) {
    this.bayes = new BayesModel(saved.stats, config.classifier);
    this.intents = this.bayes.classes;
    this.corrector = new SpellingCorrector(new Map(saved.words), config.spelling);
    this.options = featureOptions(config);
    this.memorised = new Map(saved.memorised);
    this.synonyms = synonymTable(config.text);
    this.slot = new Int32Array(this.bayes.featureCount).fill(-1);
    this.contributionSum = new Float64Array(this.intents.length);
  }

  private softmax(scores: Float64Array): IntentScore[] {
    // The raw scores are log-likelihoods; the temperature (data/nlu.yaml, fitted on cross-validation) sets how
    // sharp the confidences are.
    let max = -Infinity;
    for (const s of scores) if (s > max) max = s;
    const t = this.config.confidence.temperature;
    let total = 0;
    const exp = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      exp[i] = Math.exp((scores[i] - max) / t);
      total += exp[i];
    }
    // Insertion sort of indices: a few dozen intents, and faster than sorting objects. Intents are in name
    // order, so equal confidences (as for a text with no known feature) stay in name order.
    const order = new Int32Array(exp.length);
    for (let i = 0; i < exp.length; i++) {
      let j = i;
      while (j > 0 && exp[order[j - 1]] < exp[i]) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    const ranking: IntentScore[] = new Array(exp.length);
    for (let k = 0; k < exp.length; k++) ranking[k] = { intent: this.intents[order[k]], confidence: exp[order[k]] / total };
    return ranking;
  }

  /** `correct` is false for the canonical word of a synonym, which `prepare` takes as written too. */
  private wordEntry(token: string, correct = true): WordEntry {
    const key = correct ? token : `\u0000${token}`;
    const cached = this.words.get(key);
    if (cached) return cached;
    const word = correct ? this.corrector.correct(token) ?? token : token;
    const stem = stemToken(word, this.options.text);
    const features = new Map<string, number>();
    const add = (name: string, weight: number) => features.set(name, (features.get(name) ?? 0) + weight);
    if (this.options.wordWeight > 0) add(WORD + stem, this.options.wordWeight);
    // As in `prepare`: the stem of the word meant, the character n-grams of the word written.
    const { min, max, weight } = this.options.charNgrams;
    if (weight > 0) addCharNgrams(token, min, max, weight, add);
    const rows: number[] = [];
    const counts: number[] = [];
    for (const [name, count] of features) {
      const row = this.bayes.indexOf(name);
      if (row >= 0) {
        rows.push(row);
        counts.push(count);
      }
    }
    const contribution = new Float64Array(this.intents.length);
    rows.forEach((row, i) => this.bayes.addContribution(row, counts[i], contribution));
    const entry = {
      contribution,
      written: token,
      word,
      stem,
      known: this.corrector.isKnown(word),
      isFunction: FUNCTION_WORDS.has(word),
      rows: Int32Array.from(rows),
      counts: Float64Array.from(counts),
    };
    if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
    this.words.set(key, entry);
    return entry;
  }

  /** Adds `count` to the question's feature `row`. */
  private add(row: number, count: number, n: number): number {
    const at = this.slot[row];
    if (at >= 0) {
      this.counts[at] += count;
      return n;
    }
    if (n === this.rows.length) {
      const rows = new Int32Array(n * 2);
      rows.set(this.rows);
      this.rows = rows;
      const counts = new Float64Array(n * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.slot[row] = n;
    this.rows[n] = row;
    this.counts[n] = count;
    return n + 1;
  }

  /** Ranking and known-word check of one question; the same features as `prepare`, looked up through caches. */
  analyse(text: string): Analysis {
    let entries: WordEntry[] = [];
    for (const token of surfaceTokens(text)) if (isKept(token, this.options.text)) entries.push(this.wordEntry(token));
    if (this.synonyms.size > 0) {
      entries = replaceSynonyms(entries, entries.map((e) => e.written), entries.map((e) => e.word), this.synonyms, (canonical) =>
        this.wordEntry(canonical, false),
      );
    }
    let n = 0;
    for (const e of entries) for (let i = 0; i < e.rows.length; i++) n = this.add(e.rows[i], e.counts[i], n);
    const firstPair = n;
    if (this.options.bigramWeight > 0) {
      for (let i = 0; i + 1 < entries.length; i++) {
        const row = this.bayes.indexOf(`${PAIR}${entries[i].stem} ${entries[i + 1].stem}`);
        if (row >= 0) n = this.add(row, this.options.bigramWeight, n);
      }
    }
    let scores: Float64Array;
    if (this.bayes.linearInCounts) {
      // Each word's part of the score was summed when the word was first seen; only pairs of words and the
      // length of the whole question are new.
      const sum = this.contributionSum.fill(0);
      for (const e of entries) for (let c = 0; c < sum.length; c++) sum[c] += e.contribution[c];
      let squaredLength = 0;
      for (let i = 0; i < n; i++) {
        squaredLength += this.bayes.squaredValue(this.rows[i], this.counts[i]);
        if (i >= firstPair) this.bayes.addContribution(this.rows[i], this.counts[i], sum);
      }
      scores = this.bayes.finish(sum, squaredLength);
    } else {
      scores = this.bayes.scoresOf(this.rows, this.counts, n);
    }
    for (let i = 0; i < n; i++) this.slot[this.rows[i]] = -1;
    const memorised = this.memorised.get(memoryKey(entries.map((e) => e.stem)));
    return { ranking: this.softmax(scores), hasKnownWord: knownWordRule(entries), ...(memorised ? { memorised } : {}) };
  }

  /** The features the model sees in a text, after spelling correction (for evaluation and debugging). */
  prepare(text: string): PreparedText {
    return prepare(text, this.options, this.corrector);
  }

  /** The ranking computed the slow, plain way (from `prepare`): the reference the fast path must match. */
  classifyPlain(text: string): IntentScore[] {
    return this.softmax(this.bayes.scores(this.prepare(text).features));
  }

  classify(text: string): IntentScore[] {
    return this.analyse(text).ranking;
  }

  decide(text: string): Decision {
    return decide(this.analyse(text), this.config.decision);
  }
}

export function trainModel(training: ReadonlyMap<string, readonly string[]>, options: TrainOptions = {}): NaiveBayesIntentModel {
  const config = options.config ?? loadNluConfig();
  return new NaiveBayesIntentModel(trainStats(training, config), config);
}
