/**
 * The intent model: text preparation + naive Bayes + normalised confidences + the decision rule.
 */
import { createHash } from 'node:crypto';
import { BayesModel, countFeatures, type BayesStats } from './bayes.js';
import { loadNluConfig, type NluConfig } from './config.js';
import { decide, type Decision, type IntentScore } from './decide.js';
import { correctableWords, prepare, type FeatureOptions, type PreparedText } from './features.js';
import { SpellingCorrector } from './spelling.js';

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
export const MODEL_FORMAT = 1;

export interface SavedModel {
  format: number;
  /** The content hash the model was trained on (empty when trained outside loadOrTrainModel). */
  trainingHash: string;
  /** Hash of the configuration the statistics depend on. */
  configHash: string;
  /** Training words and counts, for spelling correction. */
  words: [string, number][];
  stats: BayesStats;
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
  // Sorted, so that the saved numbers (floating-point sums) depend on what was trained, not on reading order.
  for (const label of [...training.keys()].sort()) {
    for (const u of [...(training.get(label) ?? [])].sort()) {
      const { features } = prepare(u, options);
      if (features.size === 0) continue;
      texts.push({ label, features });
      all.push(u);
    }
  }
  if (new Set(texts.map((t) => t.label)).size < 2) {
    throw new Error('training needs utterances for at least two intents');
  }
  const words = [...correctableWords(all, options).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { format: MODEL_FORMAT, trainingHash, configHash: configHash(config), words, stats: countFeatures(texts, config.classifier) };
}

export class NaiveBayesIntentModel implements IntentModel {
  readonly intents: readonly string[];
  private readonly bayes: BayesModel;
  private readonly corrector: SpellingCorrector;
  private readonly options: FeatureOptions;

  constructor(
    readonly saved: SavedModel,
    private readonly config: NluConfig,
  ) {
    this.bayes = new BayesModel(saved.stats, config.classifier);
    this.intents = this.bayes.classes;
    this.corrector = new SpellingCorrector(new Map(saved.words), config.spelling);
    this.options = featureOptions(config);
  }

  private rank(features: ReadonlyMap<string, number>): IntentScore[] {
    const scores = this.bayes.scores(features);
    // Softmax with a temperature: the raw scores are log-likelihood sums whose spread depends on the variant
    // and the features, so the temperature (data/nlu.yaml) sets how sharp confidences are.
    let max = -Infinity;
    for (const s of scores) if (s > max) max = s;
    const t = this.config.confidence.temperature;
    let total = 0;
    const exp = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      exp[i] = Math.exp((scores[i] - max) / t);
      total += exp[i];
    }
    const ranking = this.intents.map((intent, i) => ({ intent, confidence: exp[i] / total }));
    // Ties (as for a text with no known feature) fall back to the intent name, so the order is stable.
    ranking.sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
    return ranking;
  }

  /** The features the model sees in a text, after spelling correction (for evaluation and debugging). */
  prepare(text: string): PreparedText {
    return prepare(text, this.options, this.corrector);
  }

  classify(text: string): IntentScore[] {
    return this.rank(this.prepare(text).features);
  }

  decide(text: string): Decision {
    const prepared = this.prepare(text);
    return decide(this.rank(prepared.features), prepared.hasKnownWord, this.config.decision);
  }
}

export function trainModel(training: ReadonlyMap<string, readonly string[]>, options: TrainOptions = {}): NaiveBayesIntentModel {
  const config = options.config ?? loadNluConfig();
  return new NaiveBayesIntentModel(trainStats(training, config), config);
}
