/**
 * Naive Bayes over weighted feature counts, in two flavours:
 * - multinomial: score(c) = log P(c) + Σ x_f · log P(f | c)
 * - complement (Rennie et al., 2003): score(c) = −Σ x_f · log P(f | not c), which estimates each class from
 *   all the other classes' data and so copes better with classes of very different sizes.
 * Both are linear in the input, so training folds into a weight matrix (features × classes, a typed array) and
 * a question costs one row addition per feature it contains.
 *
 * What is saved is the counting (`BayesStats`); the weights are derived from it on load, which keeps the file
 * small and makes a change of smoothing a matter of configuration.
 */

export interface BayesOptions {
  variant: 'multinomial' | 'complement';
  /** Additive (Lidstone) smoothing of every feature count. */
  alpha: number;
  /** Count a feature seen n times in a text as 1 + log n (repetition says little in a one-line question). */
  sublinearTf: boolean;
  /** Scale features by log(1 + documents / documents containing it), so ubiquitous features count less. */
  idf: boolean;
  /** Scale every text's feature vector to unit length, so long texts do not outvote short ones. */
  normaliseLength: boolean;
  /** Complement only: divide each class's weights by their total, the "weight-normalised" variant. */
  normaliseWeights: boolean;
  /** Use the training class frequencies as prior; false gives every class the same prior. */
  classPrior: boolean;
}

/** Everything training counted, in a form that serialises to JSON deterministically. */
export interface BayesStats {
  classes: string[];
  /** Sorted feature names. */
  features: string[];
  /** Inverse document frequency per feature (1 everywhere when idf is off). */
  idf: number[];
  /** Number of training texts per class. */
  classDocs: number[];
  /** Per class: [feature index, summed weighted value] pairs, by feature index. */
  sums: [number, number][][];
}

export interface TrainingText {
  label: string;
  features: ReadonlyMap<string, number>;
}

function roundForFile(x: number): number {
  // Twelve significant digits are far more than the model can use, and keep the file stable and short.
  return Number(x.toPrecision(12));
}

export function countFeatures(texts: readonly TrainingText[], options: BayesOptions): BayesStats {
  const classes = [...new Set(texts.map((t) => t.label))].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const docFreq = new Map<string, number>();
  for (const t of texts) for (const f of t.features.keys()) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
  const features = [...docFreq.keys()].sort();
  const featureIndex = new Map(features.map((f, i) => [f, i]));
  const idf = features.map((f) => (options.idf ? roundForFile(Math.log(1 + texts.length / (docFreq.get(f) ?? 1))) : 1));

  const classDocs = classes.map(() => 0);
  const sums = classes.map(() => new Map<number, number>());
  for (const t of texts) {
    const c = classIndex.get(t.label) as number;
    classDocs[c]++;
    const vector = transform(t.features, featureIndex, idf, options);
    for (const [f, v] of vector) sums[c].set(f, (sums[c].get(f) ?? 0) + v);
  }
  return {
    classes,
    features,
    idf,
    classDocs,
    sums: sums.map((m) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([f, v]) => [f, roundForFile(v)])),
  };
}

/** The weighted, possibly log-scaled and length-normalised vector of a text's known features. */
function transform(
  features: ReadonlyMap<string, number>,
  featureIndex: ReadonlyMap<string, number>,
  idf: ArrayLike<number>,
  options: BayesOptions,
): [number, number][] {
  const vector: [number, number][] = [];
  let norm = 0;
  for (const [name, count] of features) {
    const f = featureIndex.get(name);
    if (f === undefined) continue;
    const v = (options.sublinearTf ? Math.log1p(count) : count) * idf[f];
    vector.push([f, v]);
    norm += v * v;
  }
  if (options.normaliseLength && norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (const entry of vector) entry[1] *= scale;
  }
  return vector;
}

export class BayesModel {
  readonly classes: readonly string[];
  private readonly featureIndex: Map<string, number>;
  private readonly idf: Float64Array;
  /** weights[f * classes + c] */
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(
    readonly stats: BayesStats,
    private readonly options: BayesOptions,
  ) {
    const C = stats.classes.length;
    const F = stats.features.length;
    this.classes = stats.classes;
    this.featureIndex = new Map(stats.features.map((f, i) => [f, i]));
    this.idf = Float64Array.from(stats.idf);
    this.weights = new Float64Array(F * C);
    this.bias = new Float64Array(C);

    const totals = new Float64Array(C);
    const featureTotals = new Float64Array(F);
    const dense = new Float64Array(F * C);
    stats.sums.forEach((pairs, c) => {
      for (const [f, v] of pairs) {
        dense[f * C + c] = v;
        totals[c] += v;
        featureTotals[f] += v;
      }
    });
    const grandTotal = totals.reduce((a, b) => a + b, 0);
    const docs = stats.classDocs.reduce((a, b) => a + b, 0);
    const a = options.alpha;
    for (let c = 0; c < C; c++) {
      this.bias[c] = options.classPrior ? Math.log(stats.classDocs[c] / docs) : 0;
      if (options.variant === 'multinomial') {
        const denominator = Math.log(totals[c] + a * F);
        for (let f = 0; f < F; f++) this.weights[f * C + c] = Math.log(dense[f * C + c] + a) - denominator;
      } else {
        const denominator = Math.log(grandTotal - totals[c] + a * F);
        let sumAbs = 0;
        for (let f = 0; f < F; f++) {
          const w = -(Math.log(featureTotals[f] - dense[f * C + c] + a) - denominator);
          this.weights[f * C + c] = w;
          sumAbs += Math.abs(w);
        }
        if (options.normaliseWeights && sumAbs > 0) {
          for (let f = 0; f < F; f++) this.weights[f * C + c] /= sumAbs;
        }
      }
    }
  }

  hasFeature(name: string): boolean {
    return this.featureIndex.has(name);
  }

  /** Raw linear scores per class (same order as `classes`); higher is better, not normalised. */
  scores(features: ReadonlyMap<string, number>): Float64Array {
    const C = this.classes.length;
    const out = Float64Array.from(this.bias);
    for (const [f, v] of transform(features, this.featureIndex, this.idf, this.options)) {
      const row = f * C;
      for (let c = 0; c < C; c++) out[c] += v * this.weights[row + c];
    }
    return out;
  }
}
