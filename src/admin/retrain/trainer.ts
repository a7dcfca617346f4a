/**
 * Teach the running bot: a taught utterance is trained into a new model off the request path (the worker thread),
 * the new model is measured against the one in force, and it is swapped in only when it is not worse — keeping the
 * old model, and saying why, when it is.
 *
 * The guard refuses a change when
 * - cross-validated accuracy, or accuracy on intents/held-out, drops by more than 1 point (evaluation.ts), or
 * - a red-flag example (data/red-flags.yaml) would get less than its rule's level through the whole answer
 *   pipeline, where the model in force gives it that level. Triage runs before the model, so this can only
 *   happen where a model's answer follows urgent advice; it is checked anyway, since it is the one mistake the
 *   bot must never learn.
 *
 * Jobs run one at a time, in the order they were asked for; each is judged against the model in force when it
 * starts, so one refused change does not block the next.
 */
import { renameSync, rmSync } from 'node:fs';
import { trainingHash } from '../../content/hash.js';
import { utteranceKey } from '../../content/text.js';
import type { Answerer } from '../../core/answer.js';
import type { LiveModel } from '../../core/liveModel.js';
import { ESCALATION_ORDER, type Content, type Escalation } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { NluConfig } from '../../nlu/config.js';
import { NaiveBayesIntentModel } from '../../nlu/model.js';
import { SwappableModel } from '../../nlu/swappable.js';
import type { RedFlagRules } from '../../triage/index.js';
import type { LearnedUtterances } from '../learned.js';
import { accuracyProblems, MAX_ACCURACY_DROP, type Figures, type Training } from './evaluation.js';
import { RetrainWorker } from './pool.js';

export interface TeachRequest {
  /** The wordings taught together (one inbox item, or several selected at once), all as `intent`. */
  items: { text: string; recordId?: string }[];
  intent: string;
  /** The staff account teaching it. */
  by: string;
}

export type JobStatus = 'queued' | 'training' | 'swapped' | 'unchanged' | 'refused' | 'failed';

export interface RetrainJob {
  id: number;
  status: JobStatus;
  request: TeachRequest;
  /** Why it was refused or failed, or what happened, in words shown in the console. */
  reasons: string[];
  before?: Figures;
  after?: Figures;
  /** From the start of training to the new model being in force (or the refusal), ms. */
  ms?: number;
  /** The model version in force after the job. */
  modelVersion?: number;
  queuedAt: string;
  finishedAt?: string;
}

export interface RetrainerDeps {
  live: LiveModel;
  content: Content;
  redFlags: RedFlagRules;
  nluConfig: NluConfig;
  learned: LearnedUtterances;
  logger: Logger;
  /** Called when a job ends, whatever its outcome (the console writes the audit entry and the record's mark). */
  onFinished?: (job: RetrainJob) => Promise<void>;
  maxDrop?: number;
  /** MODEL_FILE: a model put in force is saved there (written by the worker, renamed here), so a restart loads it. */
  modelFile?: string;
  now?: () => Date;
}

const KEPT_JOBS = 100;

function rank(level: Escalation): number {
  return ESCALATION_ORDER.indexOf(level);
}

/** The red-flag examples that do not get their rule's level through `answerer`, as "rule: example". */
export function redFlagMisses(answerer: Answerer, rules: RedFlagRules): string[] {
  const misses: string[] = [];
  for (const rule of rules.rules) {
    for (const example of rule.spec.examples) {
      if (rank(answerer.answer(example).escalation) < rank(rule.spec.level)) misses.push(`${rule.spec.id}: ${example}`);
    }
  }
  return misses;
}

function withUtterances(training: Training, intent: string, texts: readonly string[]): Map<string, string[]> {
  const next = new Map([...training].map(([i, list]) => [i, [...list]]));
  next.set(intent, [...(next.get(intent) ?? []), ...texts]);
  return next;
}

/** The intent a wording already teaches, if any. */
function taughtAs(training: Training, text: string): string | undefined {
  const key = utteranceKey(text);
  for (const [intent, texts] of training) if (texts.some((t) => utteranceKey(t) === key)) return intent;
  return undefined;
}

export class Retrainer {
  private readonly worker = new RetrainWorker();
  private readonly jobs = new Map<number, RetrainJob>();
  private nextId = 1;
  private chain: Promise<void> = Promise.resolve();
  private baseline?: { hash: string; figures: Figures; redFlagMisses: string[] };
  private closed = false;

  constructor(private readonly deps: RetrainerDeps) {}

  private get now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Queues a change; the job's status moves on as it runs (see `job`). */
  teach(request: TeachRequest): RetrainJob {
    const job: RetrainJob = { id: this.nextId++, status: 'queued', request, reasons: [], queuedAt: this.now.toISOString() };
    this.jobs.set(job.id, job);
    for (const old of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break;
      this.jobs.delete(old);
    }
    this.chain = this.chain.then(() => this.run(job));
    return job;
  }

  job(id: number): RetrainJob | undefined {
    return this.jobs.get(id);
  }

  /** Jobs newest first. */
  recent(): RetrainJob[] {
    return [...this.jobs.values()].reverse();
  }

  /** Resolves when every job asked for so far has ended. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Measures the model in force in the background, so the first change is judged without waiting for it. */
  warm(): void {
    if (this.baseline?.hash === trainingHash(this.deps.live.training)) return;
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await this.baselineFigures();
      } catch (err) {
        this.deps.logger.warn({ err: (err as Error).message }, 'could not measure the intent model in force');
      }
    });
  }

  private async baselineFigures(): Promise<{ figures: Figures; redFlagMisses: string[] }> {
    const training = this.deps.live.training;
    const hash = trainingHash(training);
    if (this.baseline?.hash === hash) return this.baseline;
    const { figures } = await this.worker.evaluate(training, new Map(), this.deps.content.heldOut, this.deps.nluConfig, hash, true);
    this.baseline = { hash, figures, redFlagMisses: redFlagMisses(this.deps.live.answerer, this.deps.redFlags) };
    return this.baseline;
  }

  private async run(job: RetrainJob): Promise<void> {
    if (this.closed) return;
    const { intent } = job.request;
    const started = performance.now();
    job.status = 'training';
    try {
      const current = this.deps.live.training;
      if (!current.has(intent)) {
        this.finish(job, 'refused', [`"${intent}" is not an intent the bot knows`], started);
      } else {
        // Each wording once, and not one that already teaches another intent (the content check's rule).
        const fresh: string[] = [];
        const conflicts: string[] = [];
        const seen = new Set<string>();
        for (const { text } of job.request.items) {
          const key = utteranceKey(text);
          if (seen.has(key)) continue;
          seen.add(key);
          const already = taughtAs(current, text);
          if (already === undefined) fresh.push(text);
          else if (already !== intent) conflicts.push(`"${text.slice(0, 80)}" already teaches "${already}"; one wording can teach only one intent`);
        }
        if (conflicts.length > 0) this.finish(job, 'refused', conflicts.slice(0, 3), started);
        else if (fresh.length === 0) this.finish(job, 'unchanged', [`the bot already learns ${job.request.items.length === 1 ? 'this wording' : 'these wordings'} as "${intent}"`], started);
        else await this.retrain(job, current, fresh, started);
      }
    } catch (err) {
      this.deps.logger.error({ err: (err as Error).message, job: job.id }, 'retrain failed; the model in force is kept');
      this.finish(job, 'failed', [`the retrain failed: ${(err as Error).message}`], started);
    }
    try {
      await this.deps.onFinished?.(job);
    } catch (err) {
      this.deps.logger.error({ err: (err as Error).message, job: job.id }, 'could not record the end of a retrain');
    }
  }

  private async retrain(job: RetrainJob, current: Training, texts: string[], started: number): Promise<void> {
    const { intent } = job.request;
    const before = await this.baselineFigures();
    const candidate = withUtterances(current, intent, texts);
    const hash = trainingHash(candidate);
    const candidateFile = this.deps.modelFile ? `${this.deps.modelFile}.candidate-${process.pid}` : undefined;
    const evaluated = await this.worker.evaluate(current, new Map([[intent, texts]]), this.deps.content.heldOut, this.deps.nluConfig, hash, false, candidateFile);
    job.before = before.figures;
    job.after = evaluated.figures;
    const model = new NaiveBayesIntentModel(evaluated.saved!, this.deps.nluConfig);
    const misses = redFlagMisses(this.deps.live.trial(model), this.deps.redFlags).filter((m) => !before.redFlagMisses.includes(m));
    const problems = [
      ...accuracyProblems(before.figures, evaluated.figures, this.deps.maxDrop ?? MAX_ACCURACY_DROP),
      ...misses.slice(0, 3).map((m) => `a red-flag example would lose its level (${m})`),
    ];
    if (problems.length > 0) {
      if (candidateFile) rmSync(candidateFile, { force: true });
      this.finish(job, 'refused', problems, started);
      return;
    }
    // Stored first: if the store refuses, the model in force stays what a restart would load.
    const at = this.now.toISOString();
    const byText = new Map(job.request.items.map((i) => [i.text, i.recordId]));
    for (const text of texts) {
      const recordId = byText.get(text);
      await this.deps.learned.add({ text, intent, by: job.request.by, at, ...(recordId ? { recordId } : {}) });
    }
    // Inside the core's SwappableModel when it has one, so a model announced by another instance (PostgreSQL) and
    // one taught here replace the same thing.
    const holder = this.deps.live.model;
    if (holder instanceof SwappableModel) {
      holder.replace(model);
      this.deps.live.swap(holder, candidate);
    } else {
      this.deps.live.swap(model, candidate);
    }
    if (candidateFile && this.deps.modelFile) {
      try {
        renameSync(candidateFile, this.deps.modelFile);
      } catch (err) {
        this.deps.logger.warn({ err: (err as Error).message }, 'retrained model in force but not saved; the next start trains it again');
      }
    }
    this.baseline = { hash, figures: evaluated.figures, redFlagMisses: [...before.redFlagMisses] };
    this.finish(job, 'swapped', [], started);
    this.deps.logger.info(
      { job: job.id, intent, wordings: texts.length, by: job.request.by, modelVersion: this.deps.live.version, ms: job.ms, trainMs: Math.round(evaluated.ms) },
      'intent model retrained and swapped in',
    );
  }

  private finish(job: RetrainJob, status: JobStatus, reasons: string[], started: number): void {
    job.status = status;
    job.reasons = reasons;
    job.ms = Math.round(performance.now() - started);
    job.modelVersion = this.deps.live.version;
    job.finishedAt = this.now.toISOString();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.close();
  }
}
