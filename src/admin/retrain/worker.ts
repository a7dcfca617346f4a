/**
 * The retrain worker thread: cross-validation and training take seconds of CPU, which on the main thread would
 * hold up every patient's turn. It receives plain data (utterances, the model configuration) and sends back the
 * figures and the saved model; it never touches the store or the network.
 */
import { parentPort } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NluConfig } from '../../nlu/config.js';
import { serialiseModel } from '../../nlu/persist.js';
import { evaluateTraining } from './evaluation.js';

export interface WorkerRequest {
  id: number;
  training: [string, string[]][];
  /** The change being judged: trained on in every fold, never tested. */
  extra: [string, string[]][];
  heldOut: [string, string[]][];
  config: NluConfig;
  trainingHash: string;
  /** Only the figures (the model in force is already trained on this set). */
  figuresOnly: boolean;
  /** Where to write the trained model too (the trainer renames it over MODEL_FILE if it goes in force). */
  candidateFile?: string;
}

export type WorkerReply =
  /** `saved` is the model file's text: a string crosses to the main thread as one copy, where a deep object is cloned piece by piece. */
  | { id: number; ok: true; figures: ReturnType<typeof evaluateTraining>['figures']; saved?: string; ms: number }
  | { id: number; ok: false; error: string };

parentPort?.on('message', (request: WorkerRequest) => {
  const started = performance.now();
  try {
    const { figures, saved } = evaluateTraining(new Map(request.training), new Map(request.heldOut), request.config, request.trainingHash, new Map(request.extra));
    const text = request.figuresOnly ? undefined : serialiseModel(saved);
    if (text !== undefined && request.candidateFile) {
      try {
        mkdirSync(dirname(request.candidateFile), { recursive: true });
        writeFileSync(request.candidateFile, text);
      } catch {
        // Not fatal: the trainer sees no file and the next start trains the model again.
      }
    }
    const reply: WorkerReply = { id: request.id, ok: true, figures, ms: performance.now() - started, ...(text !== undefined ? { saved: text } : {}) };
    parentPort?.postMessage(reply);
  } catch (err) {
    parentPort?.postMessage({ id: request.id, ok: false, error: (err as Error).message } satisfies WorkerReply);
  }
});
