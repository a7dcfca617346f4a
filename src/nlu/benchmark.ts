/**
 * Public intent corpora in the format of Braun et al. (2017): train on sentences marked `training: true`,
 * test on the others, decide by argmax (these corpora have no out-of-scope label; their `None` is an ordinary
 * intent). Micro-F1 over single-label predictions equals accuracy.
 */
import { readFileSync } from 'node:fs';
import type { NluConfig } from './config.js';
import { trainModel } from './model.js';

export interface CorpusSentence {
  text: string;
  intent: string;
  training: boolean;
}

export interface CorpusResult {
  file: string;
  microF1: number;
  train: number;
  test: number;
  correct: number;
  errors: { text: string; expected: string; predicted: string }[];
}

export function readCorpus(file: string): CorpusSentence[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { sentences?: unknown };
  if (!Array.isArray(raw.sentences)) throw new Error(`${file}: no "sentences" array`);
  return raw.sentences.map((s: unknown, i: number) => {
    const { text, intent, training } = (s ?? {}) as Record<string, unknown>;
    if (typeof text !== 'string' || typeof intent !== 'string' || typeof training !== 'boolean') {
      throw new Error(`${file}: sentence ${i} needs text, intent and training`);
    }
    return { text, intent, training };
  });
}

export function evaluateCorpus(file: string, sentences: readonly CorpusSentence[], config: NluConfig): CorpusResult {
  const training = new Map<string, string[]>();
  for (const s of sentences) {
    if (!s.training) continue;
    const list = training.get(s.intent) ?? [];
    list.push(s.text);
    training.set(s.intent, list);
  }
  const model = trainModel(training, { config });
  const test = sentences.filter((s) => !s.training);
  const errors: CorpusResult['errors'] = [];
  for (const s of test) {
    const predicted = model.classify(s.text)[0].intent;
    if (predicted !== s.intent) errors.push({ text: s.text, expected: s.intent, predicted });
  }
  const correct = test.length - errors.length;
  return { file, microF1: test.length ? correct / test.length : 0, train: sentences.length - test.length, test: test.length, correct, errors };
}

export function overallMicroF1(results: readonly CorpusResult[]): number {
  const test = results.reduce((a, r) => a + r.test, 0);
  return test ? results.reduce((a, r) => a + r.correct, 0) / test : 0;
}
