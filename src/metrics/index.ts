import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { TurnLike } from '../bot/turn.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import { emptyAsUndefined } from '../config.js';
import { OUTCOME_KEY, type TurnOutcome } from '../bot/turn.js';

export const metricsConfigSchema = z.object({
  /** Turns /metrics on; a scrape must send it as a bearer token. Unset: /metrics answers 404. */
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().trim().min(16, 'at least 16 characters of random text').optional()),
});

/**
 * /metrics in Prometheus' text format (prom-client), so a health system's monitoring scrapes every instance:
 * turns, reply latency, replies by kind and escalation level, Direct Line conversations open, the database pools
 * and their errors. Off unless METRICS_TOKEN is set; then a scrape must send `Authorization: Bearer <token>`.
 * Labels are channels, kinds and levels, never anything a patient wrote.
 */

export interface MetricsSources {
  /** Open Direct Line conversations (this process's, or every instance's in the shared store). */
  openConversations?: () => Promise<number>;
  /** The database, when there is one. */
  database?: {
    errors(): number;
    up(): boolean;
    pools: ReadonlyArray<{ name: string; pool: { totalCount: number; idleCount: number; waitingCount: number } }>;
  };
}

export interface Metrics {
  /** Runs a turn and counts it: latency, and the reply's kind and escalation level once it is known. */
  observeTurn(context: TurnLike, turn: () => Promise<void>): Promise<void>;
  /** GET /metrics, or undefined when metrics are off. */
  handler: RequestHandler | undefined;
  registry: Registry;
}

export function createMetrics(options: { token?: string; sources?: MetricsSources }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'eczema-faq-bot' });
  collectDefaultMetrics({ register: registry, prefix: 'bot_process_' });

  const turns = new Counter({ name: 'bot_turns_total', help: 'Turns the bot ran, by channel and activity type.', labelNames: ['channel', 'type'], registers: [registry] });
  const turnErrors = new Counter({ name: 'bot_turn_errors_total', help: 'Turns that failed (the patient got an apology).', labelNames: ['channel'], registers: [registry] });
  const latency = new Histogram({
    name: 'bot_reply_latency_seconds',
    help: 'Time from a message reaching the bot to its reply being handed to the channel.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const replies = new Counter({
    name: 'bot_replies_total',
    help: 'Replies by kind (answer, did-you-mean, decline, handoff, triage...) and escalation level.',
    labelNames: ['channel', 'kind', 'escalation'],
    registers: [registry],
  });

  const sources = options.sources ?? {};
  if (sources.openConversations) {
    const count = sources.openConversations;
    new Gauge({
      name: 'bot_directline_conversations_open',
      help: 'Built-in Direct Line conversations open now (with PostgreSQL: across all instances).',
      registers: [registry],
      async collect() {
        // A scrape during a database outage reports the other figures rather than failing whole.
        this.set(await count().catch(() => Number.NaN));
      },
    });
  }
  const db = sources.database;
  if (db) {
    new Gauge({
      name: 'bot_database_pool_connections',
      help: 'Connections of this instance to PostgreSQL, by pool and state (total, idle, waiting requests).',
      labelNames: ['pool', 'state'],
      registers: [registry],
      collect() {
        for (const { name, pool } of db.pools) {
          this.set({ pool: name, state: 'total' }, pool.totalCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    new Counter({
      name: 'bot_database_errors_total',
      help: 'Connection problems with PostgreSQL seen by this instance.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(db.errors());
      },
    });
    new Gauge({
      name: 'bot_database_up',
      help: '1 while this instance reaches PostgreSQL, 0 while it answers "try again shortly".',
      registers: [registry],
      collect() {
        this.set(db.up() ? 1 : 0);
      },
    });
  }

  const token = options.token;
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  const handler: RequestHandler | undefined = expected
    ? (req, res, next) => {
        const given = Buffer.from(req.get('authorization') ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          res.set('WWW-Authenticate', 'Bearer').status(401).json({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
          return;
        }
        registry.metrics().then((text) => {
          res.set('Cache-Control', 'no-store').type(registry.contentType).send(text);
        }, next);
      }
    : undefined;

  return {
    registry,
    handler,
    async observeTurn(context, turn) {
      const channel = context.activity.channelId ?? 'unknown';
      const started = performance.now();
      try {
        await turn();
      } catch (err) {
        turnErrors.inc({ channel });
        throw err;
      } finally {
        turns.inc({ channel, type: context.activity.type ?? 'unknown' });
        const outcome = context.turnState.get(OUTCOME_KEY) as TurnOutcome | undefined;
        if (outcome) {
          latency.observe({ channel }, (performance.now() - started) / 1000);
          replies.inc({ channel, kind: outcome.kind, escalation: outcome.escalation || 'none' });
        }
      }
    },
  };
}
