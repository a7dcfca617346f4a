/**
 * Measuring the model: cross-validation, held-out sets, the real-questions test set, and the figures the eval
 * report shows (accuracy, macro-F1, per-intent precision/recall, confusions, out-of-scope handling, a sweep of
 * the answer threshold).
 */
import type { NluConfig } from './config.js';
import { decide, type Decision, type IntentScore } from './decide.js';
import { stratifiedFolds } from './folds.js';
import { NaiveBayesIntentModel, trainModel } from './model.js';

export interface Prediction {
  text: string;
  /** The labelled intent (may be the out-of-scope label). */
  expected: string;
  ranking: IntentScore[];
  hasKnownWord: boolean;
  memorised?: string;
  decision: Decision;
}

export type Labelled = { text: string; intent: string };

/** What the model's decision amounts to: the intent it answers with, or "fallback" for clarify and decline. */
export const FALLBACK = 'fallback';

export function outcome(decision: Decision): string {
  return decision.kind === 'answer' ? decision.intent : FALLBACK;
}

function predictWith(model: NaiveBayesIntentModel, config: NluConfig, items: readonly Labelled[]): Prediction[] {
  return items.map(({ text, intent }) => {
    const analysis = model.analyse(text);
    return { text, expected: intent, ...analysis, decision: decide(analysis, config.decision) };
  });
}

export function crossValidate(
  training: ReadonlyMap<string, readonly string[]>,
  config: NluConfig,
  k = 5,
): Prediction[] {
  const out: Prediction[] = [];
  for (const fold of stratifiedFolds(training, k)) {
    out.push(...predictWith(trainModel(fold.train, { config }), config, fold.test));
  }
  return out;
}

export function predictAll(model: NaiveBayesIntentModel, config: NluConfig, data: ReadonlyMap<string, readonly string[]>): Prediction[] {
  const items: Labelled[] = [];
  for (const [intent, texts] of data) for (const text of texts) items.push({ text, intent });
  return predictWith(model, config, items);
}

export interface IntentFigures {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationFigures {
  n: number;
  /** Top-1 accuracy of the ranking (argmax), out-of-scope counted as one more intent. */
  accuracy: number;
  macroF1: number;
  perIntent: IntentFigures[];
  confusedPairs: { expected: string; predicted: string; count: number }[];
  labels: string[];
  /** confusion[i][j]: expected labels[i], predicted labels[j]. */
  confusion: number[][];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function classificationFigures(predictions: readonly Prediction[]): ClassificationFigures {
  const labels = [...new Set(predictions.flatMap((p) => [p.expected, p.ranking[0].intent]))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  for (const p of predictions) confusion[index.get(p.expected) as number][index.get(p.ranking[0].intent) as number]++;
  const perIntent = labels.map((intent, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { intent, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const withSupport = perIntent.filter((p) => p.support > 0);
  const pairs: ClassificationFigures['confusedPairs'] = [];
  labels.forEach((e, i) => labels.forEach((p, j) => {
    if (i !== j && confusion[i][j] > 0) pairs.push({ expected: e, predicted: p, count: confusion[i][j] });
  }));
  pairs.sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted));
  const correct = labels.reduce((a, _, i) => a + confusion[i][i], 0);
  return {
    n: predictions.length,
    accuracy: ratio(correct, predictions.length),
    macroF1: ratio(withSupport.reduce((a, p) => a + p.f1, 0), withSupport.length),
    perIntent,
    confusedPairs: pairs.slice(0, 15),
    labels,
    confusion,
  };
}

export interface DecisionFigures {
  n: number;
  /** In-scope questions answered with the right intent / in-scope questions. */
  answeredCorrectly: number;
  /** In-scope questions answered at all / in-scope questions. */
  coverage: number;
  /** Right answers / answers. */
  answerPrecision: number;
  /** In-scope questions that got "did you mean" with the right intent among the suggestions / in-scope. */
  clarifiedWithRight: number;
  /** Out-of-scope questions not answered (declined or clarified) / out-of-scope questions. */
  outOfScopeRecall: number;
  /** Out-of-scope questions not answered / all questions not answered. */
  outOfScopePrecision: number;
  /** Out-of-scope questions declined outright / out-of-scope questions. */
  outOfScopeDeclined: number;
  /** Right outcome (right answer, or no answer for out-of-scope) / all questions. */
  decisionAccuracy: number;
}

export function decisionFigures(predictions: readonly Prediction[], outOfScope: string): DecisionFigures {
  let inScope = 0, answered = 0, right = 0, clarifiedRight = 0, oos = 0, oosNotAnswered = 0, oosDeclined = 0, notAnswered = 0;
  for (const p of predictions) {
    const d = p.decision;
    if (d.kind !== 'answer') notAnswered++;
    if (p.expected === outOfScope) {
      oos++;
      if (d.kind !== 'answer') oosNotAnswered++;
      if (d.kind === 'decline') oosDeclined++;
    } else {
      inScope++;
      if (d.kind === 'answer') {
        answered++;
        if (d.intent === p.expected) right++;
      }
      if (d.kind === 'clarify' && d.suggestions.includes(p.expected)) clarifiedRight++;
    }
  }
  const answers = predictions.filter((p) => p.decision.kind === 'answer').length;
  return {
    n: predictions.length,
    answeredCorrectly: ratio(right, inScope),
    coverage: ratio(answered, inScope),
    answerPrecision: ratio(right, answers),
    clarifiedWithRight: ratio(clarifiedRight, inScope),
    outOfScopeRecall: ratio(oosNotAnswered, oos),
    outOfScopePrecision: ratio(oosNotAnswered, notAnswered),
    outOfScopeDeclined: ratio(oosDeclined, oos),
    decisionAccuracy: ratio(right + oosNotAnswered, predictions.length),
  };
}

export interface SweepPoint extends DecisionFigures {
  threshold: number;
}

/** The decision figures for a range of answer thresholds, everything else as configured. */
export function thresholdSweep(predictions: readonly Prediction[], rule: NluConfig['decision'], steps = 20): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (let i = 0; i <= steps; i++) {
    const threshold = Math.round((i / steps) * 1000) / 1000;
    const swept = { ...rule, threshold };
    const redecided = predictions.map((p) => ({ ...p, decision: decide(p, swept) }));
    points.push({ threshold, ...decisionFigures(redecided, rule.outOfScopeLabel) });
  }
  return points;
}

/** One row of a labelled question set (../shared/eval/*.jsonl, test/eval/*.jsonl; format in ../shared/eval/README.md). */
export interface RealQuestion {
  text: string;
  accept: string[];
  /** urgent | dermatologist | none | any: the level the reply must reach (or, for none, stay at). */
  escalate?: string;
  /** The highest level that is still right: above it is a false alarm. */
  ceiling?: string;
  source?: string;
}

const ESCALATE_LABELS = ['urgent', 'dermatologist', 'none', 'any'];
const CEILING_LABELS = ['none', 'dermatologist', 'urgent', 'emergency'];

export interface RealQuestionResult {
  text: string;
  accept: string[];
  outcome: string;
  top: string;
  confidence: number;
  right: boolean;
}

export interface RealQuestionFigures extends OutcomeFigures {
  n: number;
  rows: RealQuestionResult[];
}

export function parseRealQuestions(text: string): RealQuestion[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const row = JSON.parse(l) as RealQuestion & { intent?: unknown };
      // A set labelled with one `intent` per row (the everyday-care sets) accepts that intent alone.
      if (row.accept === undefined && typeof row.intent === 'string') row.accept = [row.intent];
      if (typeof row.text !== 'string' || !Array.isArray(row.accept)) throw new Error(`labelled set line ${i + 1}: needs text and accept (or intent)`);
      if (row.escalate !== undefined && !ESCALATE_LABELS.includes(row.escalate)) throw new Error(`labelled set line ${i + 1}: escalate must be one of ${ESCALATE_LABELS.join(', ')}`);
      if (row.ceiling !== undefined && !CEILING_LABELS.includes(row.ceiling)) throw new Error(`labelled set line ${i + 1}: ceiling must be one of ${CEILING_LABELS.join(', ')}`);
      return row;
    });
}

/** How a set of real questions came out, however they were answered (the model's decision or the whole bot). */
export interface OutcomeFigures {
  /** Rows whose accept list contains the outcome (an intent, or "fallback" for clarify/decline). */
  accuracy: number;
  /** Rows that accept only fallback. */
  fallbackOnly: number;
  /** Of those, not answered (clarify or decline). */
  fallbackRecall: number;
  /** Of those, declined outright (clarify not counted). */
  fallbackDeclined: number;
  /** Rows that accept at least one intent: answered with an accepted intent. */
  intentRowsRight: number;
}

/** `outcomes[i]` is row i's outcome: the intent answered (or FALLBACK) and whether it was a plain decline. */
export function outcomeFigures(rows: readonly RealQuestion[], outcomes: readonly { outcome: string; declined: boolean }[]): OutcomeFigures {
  const at = rows.map((r, i) => ({ accept: r.accept, ...outcomes[i]! }));
  const fallbackOnly = at.filter((r) => r.accept.length === 1 && r.accept[0] === FALLBACK);
  const intentRows = at.filter((r) => r.accept.some((a) => a !== FALLBACK));
  return {
    accuracy: ratio(at.filter((r) => r.accept.includes(r.outcome)).length, at.length),
    fallbackOnly: fallbackOnly.length,
    fallbackRecall: ratio(fallbackOnly.filter((r) => r.outcome === FALLBACK).length, fallbackOnly.length),
    fallbackDeclined: ratio(fallbackOnly.filter((r) => r.declined).length, fallbackOnly.length),
    intentRowsRight: ratio(intentRows.filter((r) => r.outcome !== FALLBACK && r.accept.includes(r.outcome)).length, intentRows.length),
  };
}

export function realQuestionFigures(model: NaiveBayesIntentModel, rows: readonly RealQuestion[]): RealQuestionFigures {
  const decisions = rows.map((r) => model.decide(r.text));
  const outcomes = decisions.map((d) => ({ outcome: outcome(d), declined: d.kind === 'decline' }));
  return {
    n: rows.length,
    ...outcomeFigures(rows, outcomes),
    rows: rows.map((r, i) => {
      const d = decisions[i]!;
      const o = outcomes[i]!.outcome;
      return { text: r.text, accept: r.accept, outcome: o, top: d.ranking[0]?.intent ?? '', confidence: d.confidence, right: r.accept.includes(o) };
    }),
  };
}
