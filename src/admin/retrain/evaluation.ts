/**
 * What the retrain guard measures: the same figures `npm run eval` reports first (top-1 accuracy of the ranking
 * under 5-fold cross-validation, and on intents/held-out), computed so that a small change in the training data
 * moves them only as much as that change deserves.
 *
 * `npm run eval` deals utterances into stratified folds after a seeded shuffle; adding one utterance there
 * reshuffles every intent after it, and the accuracy moves by a few tenths of a point for no reason at all. The
 * guard therefore puts each utterance in the fold its own text hashes to: adding one changes one fold's test set
 * and the other folds' training, nothing else, and the figures before and after compare like with like.
 */
import { createHash } from 'node:crypto';
import { utteranceKey } from '../../content/text.js';
import type { NluConfig } from '../../nlu/config.js';
import { classificationFigures, predictAll, type Prediction } from '../../nlu/evaluate.js';
import { NaiveBayesIntentModel, trainStats, type SavedModel } from '../../nlu/model.js';

export const FOLDS = 5;

export interface Figures {
  /** Top-1 accuracy under cross-validation on the training utterances, 0–1. */
  crossValidation: number;
  /** Top-1 accuracy on intents/held-out (never trained on), 0–1; null when there is no held-out set. */
  heldOut: number | null;
  /** How many utterances each figure is over. */
  counts: { crossValidation: number; heldOut: number };
}

export type Training = ReadonlyMap<string, readonly string[]>;

/** The fold an utterance is tested in: a function of its text alone. */
export function foldOf(text: string, k = FOLDS): number {
  return createHash('sha256').update(utteranceKey(text)).digest().readUInt32BE(0) % k;
}

/** Cross-validated accuracy on `training`; `extra` (the change being judged) is trained on in every fold, never tested. */
export function crossValidationAccuracy(training: Training, config: NluConfig, extra: Training = new Map(), k = FOLDS): { accuracy: number; n: number } {
  const predictions: Prediction[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = new Map<string, string[]>([...extra].map(([intent, texts]) => [intent, [...texts]]));
    const test = new Map<string, string[]>();
    for (const [intent, texts] of training) {
      for (const text of texts) {
        const side = foldOf(text, k) === fold ? test : train;
        const list = side.get(intent) ?? [];
        list.push(text);
        side.set(intent, list);
      }
    }
    const model = new NaiveBayesIntentModel(trainStats(train, config), config);
    predictions.push(...predictAll(model, config, test));
  }
  return { accuracy: classificationFigures(predictions).accuracy, n: predictions.length };
}

export interface Evaluated {
  figures: Figures;
  /** The model trained on everything, ready to put in force. */
  saved: SavedModel;
}

/**
 * Cross-validation, then the full model (trained on `training` and `extra`) and its held-out accuracy. Takes
 * seconds: run it in the worker.
 */
export function evaluateTraining(training: Training, heldOut: Training, config: NluConfig, trainingHash: string, extra: Training = new Map()): Evaluated {
  const cv = crossValidationAccuracy(training, config, extra);
  const all = new Map([...training].map(([intent, texts]) => [intent, [...texts, ...(extra.get(intent) ?? [])]]));
  for (const [intent, texts] of extra) if (!all.has(intent)) all.set(intent, [...texts]);
  const saved = trainStats(all, config, trainingHash);
  const model = new NaiveBayesIntentModel(saved, config);
  const heldOutPredictions = predictAll(model, config, heldOut);
  const heldOutFigure = heldOutPredictions.length > 0 ? classificationFigures(heldOutPredictions).accuracy : null;
  return {
    figures: { crossValidation: cv.accuracy, heldOut: heldOutFigure, counts: { crossValidation: cv.n, heldOut: heldOutPredictions.length } },
    saved,
  };
}

/** The largest drop the guard lets through, as a fraction (1 point of accuracy). */
export const MAX_ACCURACY_DROP = 0.01;

const points = (x: number) => (x * 100).toFixed(1);

/** Why the change would be refused (empty when it may go in), in words a clinician reads in the console. */
export function accuracyProblems(before: Figures, after: Figures, maxDrop = MAX_ACCURACY_DROP): string[] {
  const problems: string[] = [];
  // A small epsilon: 1.0 point exactly is allowed, a floating-point hair above it is not a real drop.
  const dropped = (a: number, b: number) => a - b > maxDrop + 1e-9;
  if (dropped(before.crossValidation, after.crossValidation)) {
    problems.push(
      `cross-validated accuracy would drop from ${points(before.crossValidation)} % to ${points(after.crossValidation)} % ` +
        `(more than ${points(maxDrop)} point)`,
    );
  }
  if (before.heldOut !== null && after.heldOut !== null && dropped(before.heldOut, after.heldOut)) {
    problems.push(`held-out accuracy would drop from ${points(before.heldOut)} % to ${points(after.heldOut)} % (more than ${points(maxDrop)} point)`);
  }
  return problems;
}
