import pgListen, { type Subscriber } from 'pg-listen';
import type { Logger } from '../../logger.js';
import type { SavedModel } from '../../nlu/model.js';
import { serialiseModel } from '../../nlu/persist.js';
import type { Db } from './db.js';

// CommonJS with a `default` export: the function is that property, under tsx, node and the bundle alike.
const createSubscriber = pgListen.default;

/** The channel a new model is announced on; the payload is its id. */
export const MODEL_CHANNEL = 'bot_model';
/** Models kept in the table: the current one and a few before it, for an operator who needs to go back. */
const KEEP_MODELS = 5;

export interface PublishedModel {
  id: number;
  saved: SavedModel;
  createdAt: Date;
  createdBy: string;
}

/**
 * The trained intent model's place in the database, and the way to tell every instance about a new one: the
 * newest row is the model every instance answers with; publishing inserts a row and announces it (NOTIFY), and
 * each instance's subscriber loads it. A notification missed during an outage is caught by `watch`'s periodic
 * check, so an instance never keeps an old model for long.
 */
export class PgModelStore {
  constructor(private readonly db: Db) {}

  async latest(): Promise<PublishedModel | undefined> {
    return this.one('SELECT id, model, created_at, created_by FROM nlu_models ORDER BY id DESC LIMIT 1', []);
  }

  async byId(id: number): Promise<PublishedModel | undefined> {
    return this.one('SELECT id, model, created_at, created_by FROM nlu_models WHERE id = $1', [id]);
  }

  /** The newest model trained on this content with this configuration, if one was published. */
  async idFor(trainingHash: string, configHash: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ id: string }>('SELECT max(id) AS id FROM nlu_models WHERE training_hash = $1 AND config_hash = $2', [trainingHash, configHash]);
    return rows[0]?.id ? Number(rows[0].id) : undefined;
  }

  async latestId(): Promise<number | undefined> {
    const { rows } = await this.db.query<{ id: string }>('SELECT max(id) AS id FROM nlu_models');
    return rows[0]?.id ? Number(rows[0].id) : undefined;
  }

  private async one(sql: string, values: unknown[]): Promise<PublishedModel | undefined> {
    const { rows } = await this.db.query<{ id: string; model: SavedModel; created_at: Date; created_by: string }>(sql, values);
    const row = rows[0];
    return row ? { id: Number(row.id), saved: row.model, createdAt: row.created_at, createdBy: row.created_by } : undefined;
  }

  /** Stores a model as the current one and announces it, in one transaction (NOTIFY is sent at commit). */
  async publish(saved: SavedModel, createdBy: string): Promise<number> {
    return this.db.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        'INSERT INTO nlu_models (format, training_hash, config_hash, model, created_by) VALUES ($1, $2, $3, $4::json, $5) RETURNING id',
        [saved.format, saved.trainingHash, saved.configHash, serialiseModel(saved), createdBy],
      );
      const id = Number(rows[0]!.id);
      await client.query('DELETE FROM nlu_models WHERE id <= $1', [id - KEEP_MODELS]);
      await client.query('SELECT pg_notify($1, $2)', [MODEL_CHANNEL, String(id)]);
      return id;
    });
  }

  /**
   * Calls `onNew(id)` when another instance (or `npm run train`) publishes a model: at once through LISTEN, and
   * at the latest after `checkEveryMs` through a look at the newest id (a notification sent while this
   * instance's listening connection was down is otherwise lost). Returns a function that stops watching.
   */
  watch(options: { logger: Logger; onNew: (id: number) => void; knownId: () => number | undefined; checkEveryMs?: number }): { stop(): Promise<void> } {
    const { logger } = options;
    const subscriber: Subscriber = createSubscriber(
      { connectionString: this.db.url, application_name: 'eczema-faq-bot (listen)' },
      // Keep trying for as long as the database is away; the bot recovers by itself when it is back.
      { retryLimit: Infinity, retryTimeout: Infinity, retryInterval: (attempt: number) => Math.min(5_000, 250 * 2 ** Math.min(attempt, 5)), paranoidChecking: 10_000 },
    );
    let stopped = false;
    const consider = (id: number) => {
      const known = options.knownId();
      if (!stopped && (known === undefined || id > known)) options.onNew(id);
    };
    subscriber.notifications.on(MODEL_CHANNEL, (payload: unknown) => {
      const id = Number(payload);
      if (Number.isSafeInteger(id)) consider(id);
    });
    subscriber.events.on('error', (err: Error) => logger.warn({ err: err.message }, 'model announcements: listening connection failed; the periodic check goes on'));
    subscriber.events.on('reconnect', (attempt: number) => logger.debug({ attempt }, 'model announcements: reconnecting'));
    const check = () => {
      this.latestId().then(
        (id) => id !== undefined && consider(id),
        () => undefined, // the database is down: the health probe reports it, the next check tries again
      );
    };
    const listening = subscriber
      .connect()
      .then(() => subscriber.listenTo(MODEL_CHANNEL))
      .catch((err: Error) => logger.warn({ err: err.message }, 'model announcements: cannot listen yet; the periodic check goes on'));
    const timer = setInterval(check, options.checkEveryMs ?? 60_000);
    timer.unref();
    return {
      async stop() {
        stopped = true;
        clearInterval(timer);
        await listening;
        await subscriber.close().catch(() => undefined);
      },
    };
  }
}
