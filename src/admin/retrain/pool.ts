import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NluConfig } from '../../nlu/config.js';
import type { Figures, Training } from './evaluation.js';
import type { SavedModel } from '../../nlu/model.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

/**
 * Where the worker's code is: beside this module when it runs from dist/src (built) or src/ (tsx), and beside the
 * bundle (dist/bundle/retrain-worker.mjs, written by src/cli/bundle.ts) when this module is part of it.
 */
function startWorker(): Worker {
  for (const name of ['./worker.js', './retrain-worker.mjs']) {
    const file = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(file))) return new Worker(file);
  }
  // Running from the TypeScript sources (tests, tsx): the worker registers tsx's loader, then imports the worker.
  // Node 20 does not apply a loader given in execArgv to a worker's entry file, hence the small bootstrap. tsx is a
  // development dependency, so this branch never runs on a clinic's machine.
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const api = JSON.stringify(pathToFileURL(join(dirname(manifest), entry)).href);
  const file = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${api}).then(({ register }) => { register(); return import(${file}); });`, { eval: true });
}

export interface EvaluationResult {
  figures: Figures;
  saved?: SavedModel;
  ms: number;
}

/** One long-lived worker thread, one job at a time (the trainer queues them). */
export class RetrainWorker {
  private worker?: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: EvaluationResult): void; reject(e: Error): void }>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    // Idle, it must not keep the process alive (a test or `npm run chat` ending).
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = this.waiting.get(reply.id);
      if (!job) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) job.resolve({ figures: reply.figures, ms: reply.ms, ...(reply.saved ? { saved: JSON.parse(reply.saved) as SavedModel } : {}) });
      else job.reject(new Error(reply.error));
    });
    const failAll = (err: Error) => {
      for (const job of this.waiting.values()) job.reject(err);
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the retrain worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Figures of `training` with `extra` added (see evaluation.ts), and the model trained on both unless `figuresOnly`. */
  evaluate(training: Training, extra: Training, heldOut: Training, config: NluConfig, trainingHash: string, figuresOnly: boolean, candidateFile?: string): Promise<EvaluationResult> {
    const worker = this.start();
    const id = this.nextId++;
    const request: WorkerRequest = {
      id,
      training: [...training].map(([intent, texts]) => [intent, [...texts]]),
      extra: [...extra].map(([intent, texts]) => [intent, [...texts]]),
      heldOut: [...heldOut].map(([intent, texts]) => [intent, [...texts]]),
      config,
      trainingHash,
      figuresOnly,
      ...(candidateFile ? { candidateFile } : {}),
    };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Busy, it holds the process open, so a job is not cut off half-way by the event loop running empty.
      worker.ref();
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
