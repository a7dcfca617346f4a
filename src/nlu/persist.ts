/**
 * Saving and loading the trained model. The file records the content hash and the configuration it was trained
 * with; a file that does not match is re-trained and rewritten, never used.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { varDir } from '../paths.js';
import { loadNluConfig, type NluConfig } from './config.js';
import { MODEL_FORMAT, NaiveBayesIntentModel, configHash, trainStats, type SavedModel } from './model.js';

export const DEFAULT_MODEL_FILE = join(varDir, 'model.json');

/** `MODEL_FILE` from the environment (relative paths are taken from the working directory), else var/model.json. */
export function modelFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MODEL_FILE ? resolve(env.MODEL_FILE) : DEFAULT_MODEL_FILE;
}

/** Same model → same bytes: keys in a fixed order, numbers already rounded at training. */
export function serialiseModel(saved: SavedModel): string {
  const { format, trainingHash, configHash: cHash, words, memorised, stats } = saved;
  return `${JSON.stringify({ format, trainingHash, configHash: cHash, words, memorised, stats })}\n`;
}

/** Writes to a temporary file beside the target and renames it, so a reader never sees half a model. */
export function writeModelFile(file: string, saved: SavedModel): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, serialiseModel(saved));
  renameSync(temp, file);
}

/** Why a saved model cannot be used, or null when it can. */
function staleReason(saved: SavedModel, trainingHash: string, config: NluConfig): string | null {
  if (saved.format !== MODEL_FORMAT) return `saved model has format ${saved.format}, this code reads ${MODEL_FORMAT}`;
  if (!saved.stats || !Array.isArray(saved.words) || !Array.isArray(saved.memorised)) return 'saved model is not a model file';
  if (saved.trainingHash !== trainingHash) return 'training data changed since the model was saved';
  if (saved.configHash !== configHash(config)) return 'data/nlu.yaml changed since the model was saved';
  return null;
}

function readSaved(file: string): { saved?: SavedModel; problem?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no saved model' : `cannot read the saved model (${code ?? 'error'})` };
  }
  try {
    const parsed = JSON.parse(text) as SavedModel;
    if (!parsed || typeof parsed !== 'object') {
      return { problem: 'saved model is not a model file' };
    }
    return { saved: parsed };
  } catch {
    return { problem: 'saved model is not valid JSON' };
  }
}

export interface LoadOrTrainOptions {
  training: ReadonlyMap<string, readonly string[]>;
  trainingHash: string;
  modelFile: string;
  logger: Logger;
  /** Defaults to data/nlu.yaml. */
  config?: NluConfig;
}

/**
 * The saved model when it was trained on this content with this configuration; otherwise trains, logs one line
 * saying why, and saves the new model.
 */
export function loadOrTrainModel(opts: LoadOrTrainOptions): NaiveBayesIntentModel {
  const config = opts.config ?? loadNluConfig();
  const { saved, problem } = readSaved(opts.modelFile);
  const reason = problem ?? (saved ? staleReason(saved, opts.trainingHash, config) : 'no saved model');
  if (saved && reason === null) {
    opts.logger.debug({ modelFile: opts.modelFile }, 'intent model loaded');
    return new NaiveBayesIntentModel(saved, config);
  }
  const started = process.hrtime.bigint();
  const fresh = trainStats(opts.training, config, opts.trainingHash);
  const model = new NaiveBayesIntentModel(fresh, config);
  let writeError: string | undefined;
  try {
    writeModelFile(opts.modelFile, fresh);
  } catch (err) {
    // A read-only disk must not stop the bot: the model in memory is complete, it just is not cached.
    writeError = (err as Error).message;
  }
  const fields = {
    modelFile: opts.modelFile,
    reason,
    // Every label the model ranks, out-of-scope included ("bot ready" logs the answerable ones).
    modelLabels: model.intents.length,
    trainMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
    written: writeError === undefined,
    ...(writeError ? { writeError } : {}),
  };
  if (writeError) opts.logger.warn(fields, `intent model re-trained (${reason}) but not saved`);
  else opts.logger.info(fields, `intent model re-trained: ${reason}`);
  return model;
}
