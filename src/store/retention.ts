import type { Logger } from '../logger.js';
import { CONVERSATION_STATE_PREFIX, type BotStore } from './contract.js';

export interface RetentionOptions {
  days: number;
  logger: Logger;
  /** How often a purge runs (the first runs shortly after start). */
  everyMs?: number;
  /** Deletions per step; steps are separated by a pause, so turns never wait behind a purge. */
  budget?: number;
  pauseMs?: number;
  now?: () => Date;
}

export interface Retention {
  /** One full purge, step by step; resolves with what it removed. */
  runOnce(): Promise<{ records: number; conversations: number }>;
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Records and conversation state older than RETENTION_DAYS are deleted in the background, in steps of `budget`,
 * on whichever backend holds them. A purge that finds the store unable to write waits for the next round.
 */
export function startRetention(store: BotStore, options: RetentionOptions): Retention {
  const budget = options.budget ?? 500;
  const pauseMs = options.pauseMs ?? 20;
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<{ records: number; conversations: number }> | undefined;

  const steps = async (step: () => Promise<{ removed: number; more: boolean }>): Promise<number> => {
    let removed = 0;
    for (;;) {
      if (stopped || !store.healthy()) return removed;
      const result = await step();
      removed += result.removed;
      if (!result.more) return removed;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };

  const runOnce = () =>
    (running ??= (async () => {
      const cutoff = new Date(now().getTime() - options.days * DAY_MS);
      const records = await steps(() => store.records.purgeBefore(cutoff, budget));
      const conversations = await steps(() => store.documents.purgeBefore(CONVERSATION_STATE_PREFIX, cutoff, budget));
      if (records + conversations > 0) options.logger.info({ records, conversations, retentionDays: options.days }, 'purged records past retention');
      return { records, conversations };
    })().finally(() => (running = undefined)));

  const run = () => void runOnce().catch((err: Error) => options.logger.error({ err: err.message }, 'purge failed; it runs again later'));
  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, options.everyMs ?? HOUR_MS);
  first.unref();
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
