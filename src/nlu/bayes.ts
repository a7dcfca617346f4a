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
  /**
   * Multinomial only: mix each intent's feature distribution with the distribution over all training text,
   * P(f | c) = (1 − λ)·count(f, c)/count(c) + λ·P(f) (Jelinek–Mercer). Unlike additive smoothing this gives a
   * feature an intent never saw the same probability in every intent, so small intents (thanks, greeting) do not
   * win long questions on smoothing mass alone. 0 uses additive smoothing.
   */
  background: number;
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
  /**
   * Scale each feature by how concentrated it is in few intents: (1 − H(intent | feature) / log #intents)^power,
   * from smoothed per-intent document rates. "eczema" (in every intent) counts little, "dupixent" a lot.
   * 0 turns it off.
   */
  focusPower: number;
  /** Pseudo-count added to every intent's document count of a feature before the entropy above. */
  focusSmoothing: number;
  /**
   * Discriminative frequency estimation (after Su, Zhang, Ling and Matwin, ICML 2008): after counting, `passes`
   * times, every training text adds `rate · (1 − P(its intent | text))` more of itself to its intent's counts
   * and document count, P taken at `temperature`. Texts the counts already explain well add almost nothing;
   * texts another intent would win add most. The model stays naive Bayes (the same formula over counts); only
   * the counts are no longer plain frequencies. 0 passes gives the textbook estimate.
   */
  discriminative: { passes: number; rate: number; temperature: number };
}

/** Everything training counted, in a form that serialises to JSON deterministically. */
export interface BayesStats {
  classes: string[];
  /** Sorted feature names. */
  features: string[];
  /** Weight per feature: inverse document frequency times focus (1 everywhere when both are off). */
  idf: number[];
  /** Number of training texts per class (weighted, after discriminative passes). */
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
  const C = classes.length;
  const docFreq = new Map<string, number>();
  for (const t of texts) for (const f of t.features.keys()) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
  const features = [...docFreq.keys()].sort();
  const F = features.length;
  const featureIndex = new Map(features.map((f, i) => [f, i]));
  const labels = texts.map((t) => classIndex.get(t.label) as number);
  const docsPerClass = classes.map(() => 0);
  for (const c of labels) docsPerClass[c]++;
  // Per feature and class, how many texts contain it: only the focus weighting needs it.
  let classDocFreq: Float64Array | undefined;
  if (options.focusPower > 0) {
    const perClass = new Float64Array(F * C);
    texts.forEach((t, i) => {
      for (const f of t.features.keys()) perClass[(featureIndex.get(f) as number) * C + labels[i]]++;
    });
    classDocFreq = perClass;
  }
  const idf = features.map((f, i) => {
    let w = options.idf ? Math.log(1 + texts.length / (docFreq.get(f) ?? 1)) : 1;
    if (classDocFreq) w *= focus(classDocFreq.subarray(i * C, (i + 1) * C), docsPerClass, options);
    return roundForFile(w);
  });

  // Dense class × feature sums: a few megabytes, and much cheaper to update and read back than maps.
  const classDocs = new Float64Array(C);
  const sums = new Float64Array(C * F);
  const vectors = texts.map((t) => transform(t.features, featureIndex, idf, options));
  const addText = (i: number, scale: number) => {
    const c = labels[i];
    classDocs[c] += scale;
    for (const [f, v] of vectors[i]) sums[c * F + f] += scale * v;
  };
  vectors.forEach((_, i) => addText(i, 1));
  const stats = (round: (x: number) => number): BayesStats => ({
    classes,
    features,
    idf,
    classDocs: Array.from(classDocs, round),
    sums: classes.map((_, c) => {
      const pairs: [number, number][] = [];
      for (let f = 0, at = c * F; f < F; f++, at++) if (sums[at] !== 0) pairs.push([f, round(sums[at])]);
      return pairs;
    }),
  });

  const { passes, rate, temperature } = options.discriminative;
  for (let pass = 0; pass < passes; pass++) {
    // Every text is scored by the counts as they were at the start of the pass, so the order of texts does not
    // matter and training stays deterministic. Rounding waits for the end: only the saved numbers need it.
    const model = new BayesModel(stats((x) => x), options);
    const missing = vectors.map((vector, i) => 1 - model.posteriorOf(vector, labels[i], temperature));
    missing.forEach((m, i) => addText(i, rate * m));
  }
  return stats(roundForFile);
}

/** 1 for a feature seen in one intent only, towards 0 for one spread evenly over all intents. */
function focus(docFreq: ArrayLike<number>, docsPerClass: readonly number[], options: BayesOptions): number {
  const C = docFreq.length;
  if (C < 2) return 1;
  // Rates rather than counts, so that a large intent (out-of-scope) does not look like the feature's home.
  const rates = new Float64Array(C);
  let total = 0;
  for (let c = 0; c < C; c++) {
    rates[c] = (docFreq[c] + options.focusSmoothing) / (docsPerClass[c] + 1);
    total += rates[c];
  }
  let entropy = 0;
  for (let c = 0; c < C; c++) {
    const p = rates[c] / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.max(0, 1 - entropy / Math.log(C)) ** options.focusPower;
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
  /** weights[f * classes + c], filled one feature row at a time on first use (see `ensureRow`). */
  private readonly weights: Float64Array;
  private readonly ready: Uint8Array;
  private readonly bias: Float64Array;
  // Training sums by feature, compressed (row f holds entries rowStart[f] .. rowStart[f + 1] - 1).
  private readonly rowStart: Int32Array;
  private readonly entryClass: Int32Array;
  private readonly entryValue: Float64Array;
  private readonly totals: Float64Array;
  private readonly featureTotals: Float64Array;
  private readonly grandTotal: number;

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
    this.ready = new Uint8Array(F);
    this.bias = new Float64Array(C);
    this.totals = new Float64Array(C);
    this.featureTotals = new Float64Array(F);

    this.rowStart = new Int32Array(F + 1);
    for (const pairs of stats.sums) for (const [f] of pairs) this.rowStart[f + 1]++;
    for (let f = 0; f < F; f++) this.rowStart[f + 1] += this.rowStart[f];
    const fill = this.rowStart.slice(0, F);
    this.entryClass = new Int32Array(this.rowStart[F]);
    this.entryValue = new Float64Array(this.rowStart[F]);
    stats.sums.forEach((pairs, c) => {
      for (const [f, v] of pairs) {
        const at = fill[f]++;
        this.entryClass[at] = c;
        this.entryValue[at] = v;
        this.totals[c] += v;
        this.featureTotals[f] += v;
      }
    });
    this.grandTotal = this.totals.reduce((a, b) => a + b, 0);
    const docs = stats.classDocs.reduce((a, b) => a + b, 0);
    for (let c = 0; c < C; c++) this.bias[c] = options.classPrior ? Math.log(stats.classDocs[c] / docs) : 0;

    // Weight-normalised complement needs every row for its per-class totals; everything else is computed lazily,
    // which keeps loading a saved model to a few milliseconds (a question touches ~100 of ~20,000 rows).
    if (options.variant === 'complement' && options.normaliseWeights) {
      for (let f = 0; f < F; f++) this.ensureRow(f);
      const sumAbs = new Float64Array(C);
      for (let i = 0; i < this.weights.length; i++) sumAbs[i % C] += Math.abs(this.weights[i]);
      for (let i = 0; i < this.weights.length; i++) if (sumAbs[i % C] > 0) this.weights[i] /= sumAbs[i % C];
    }
  }

  /** Computes feature row f of the weight matrix if it is not there yet. */
  private ensureRow(f: number): void {
    if (this.ready[f]) return;
    this.ready[f] = 1;
    const C = this.classes.length;
    const F = this.ready.length;
    const a = this.options.alpha;
    const base = f * C;
    const from = this.rowStart[f];
    const to = this.rowStart[f + 1];
    if (this.options.variant === 'multinomial' && this.options.background > 0) {
      const lambda = this.options.background;
      const overall = lambda * ((this.featureTotals[f] + a) / (this.grandTotal + a * F));
      this.weights.fill(Math.log(overall), base, base + C);
      for (let i = from; i < to; i++) {
        const c = this.entryClass[i];
        this.weights[base + c] = Math.log((1 - lambda) * (this.entryValue[i] / this.totals[c]) + overall);
      }
    } else if (this.options.variant === 'multinomial') {
      for (let c = 0; c < C; c++) this.weights[base + c] = Math.log(a) - Math.log(this.totals[c] + a * F);
      for (let i = from; i < to; i++) {
        const c = this.entryClass[i];
        this.weights[base + c] = Math.log(this.entryValue[i] + a) - Math.log(this.totals[c] + a * F);
      }
    } else {
      const inClass = new Float64Array(C);
      for (let i = from; i < to; i++) inClass[this.entryClass[i]] = this.entryValue[i];
      for (let c = 0; c < C; c++) {
        const denominator = Math.log(this.grandTotal - this.totals[c] + a * F);
        this.weights[base + c] = -(Math.log(this.featureTotals[f] - inClass[c] + a) - denominator);
      }
    }
  }

  /** The feature's row in the weight matrix, or -1 for a feature training never saw. */
  indexOf(name: string): number {
    return this.featureIndex.get(name) ?? -1;
  }

  get featureCount(): number {
    return this.stats.features.length;
  }

  /**
   * The same scores as `scores`, from feature rows and weighted counts the caller has already looked up
   * (the classify path caches them per word, which is most of the cost of a question).
   */
  scoresOf(rows: ArrayLike<number>, counts: ArrayLike<number>, n: number): Float64Array {
    const C = this.classes.length;
    const out = Float64Array.from(this.bias);
    const values = this.scratch.length >= n ? this.scratch : (this.scratch = new Float64Array(n * 2));
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const count = counts[i];
      const v = (this.options.sublinearTf ? Math.log1p(count) : count) * this.idf[rows[i]];
      values[i] = v;
      norm += v * v;
    }
    const scale = this.options.normaliseLength && norm > 0 ? 1 / Math.sqrt(norm) : 1;
    for (let i = 0; i < n; i++) {
      const v = values[i] * scale;
      this.ensureRow(rows[i]);
      const row = rows[i] * C;
      for (let c = 0; c < C; c++) out[c] += v * this.weights[row + c];
    }
    return out;
  }

  private scratch = new Float64Array(256);

  /** True when scores are linear in the counts (no log-scaling), so parts of a question can be scored apart. */
  get linearInCounts(): boolean {
    return !this.options.sublinearTf;
  }

  /** Adds a feature's unnormalised contribution, count · weight · row of the matrix, to `into`. */
  addContribution(row: number, count: number, into: Float64Array): void {
    const C = this.classes.length;
    const v = count * this.idf[row];
    this.ensureRow(row);
    const base = row * C;
    for (let c = 0; c < C; c++) into[c] += v * this.weights[base + c];
  }

  /** Squared weighted value of a feature with this count, for the length normalisation. */
  squaredValue(row: number, count: number): number {
    const v = count * this.idf[row];
    return v * v;
  }

  /** Final scores from summed contributions and the squared length of the whole question. */
  finish(contributions: Float64Array, squaredLength: number): Float64Array {
    const scale = this.options.normaliseLength && squaredLength > 0 ? 1 / Math.sqrt(squaredLength) : 1;
    const out = Float64Array.from(this.bias);
    for (let c = 0; c < out.length; c++) out[c] += contributions[c] * scale;
    return out;
  }

  /** P(class | text) for a vector from `transform`, at a softmax temperature. */
  posteriorOf(vector: readonly (readonly [number, number])[], c: number, temperature: number): number {
    const scores = this.scoresOfVector(vector);
    let max = -Infinity;
    for (const x of scores) if (x > max) max = x;
    let total = 0;
    for (const x of scores) total += Math.exp((x - max) / temperature);
    return Math.exp((scores[c] - max) / temperature) / total;
  }

  private scoresOfVector(vector: Iterable<readonly [number, number]>): Float64Array {
    const C = this.classes.length;
    const out = Float64Array.from(this.bias);
    for (const [f, v] of vector) {
      this.ensureRow(f);
      const row = f * C;
      for (let c = 0; c < C; c++) out[c] += v * this.weights[row + c];
    }
    return out;
  }

  /** Raw linear scores per class (same order as `classes`); higher is better, not normalised. */
  scores(features: ReadonlyMap<string, number>): Float64Array {
    return this.scoresOfVector(transform(features, this.featureIndex, this.idf, this.options));
  }
}
