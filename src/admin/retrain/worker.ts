/**
 * The retrain worker thread: cross-validation and training take seconds of CPU, which on the main thread would
 * hold up every patient's turn. It receives plain data (utterances, the model configuration) and sends back the
 * figures and the saved model; it never touches the store or the network.
 */
import { parentPort } from 'node:worker_threads';
import type { NluConfig } from '../../nlu/config.js';
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
}

export type WorkerReply =
  | { id: number; ok: true; figures: ReturnType<typeof evaluateTraining>['figures']; saved?: ReturnType<typeof evaluateTraining>['saved']; ms: number }
  | { id: number; ok: false; error: string };

parentPort?.on('message', (request: WorkerRequest) => {
  const started = performance.now();
  try {
    const { figures, saved } = evaluateTraining(new Map(request.training), new Map(request.heldOut), request.config, request.trainingHash, new Map(request.extra));
    const reply: WorkerReply = { id: request.id, ok: true, figures, ms: performance.now() - started, ...(request.figuresOnly ? {} : { saved }) };
    parentPort?.postMessage(reply);
  } catch (err) {
    parentPort?.postMessage({ id: request.id, ok: false, error: (err as Error).message } satisfies WorkerReply);
  }
});
