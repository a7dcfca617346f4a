import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from './db.js';
import { JOB, runExclusive } from './locks.js';

/**
 * express-rate-limit's counters in PostgreSQL, so a limit counts a client's requests on every instance together:
 * one upsert per request that starts a new window once the old one has passed. (The registry's PostgreSQL store,
 * @acpr/rate-limit-postgresql, pins an old `pg` of its own, opens its own pool and runs its own migrations; this
 * one lives in our schema, on our pool, under our statement timeout.)
 */
export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    name: string,
    private readonly now: () => number = Date.now,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { rows } = await this.db.query<{ hits: number; reset_at: Date }>('SELECT hits, reset_at FROM rate_limit_hits WHERE key = $1 AND reset_at > $2', [
      this.prefix + key,
      new Date(this.now()),
    ]);
    return rows[0] ? { totalHits: rows[0].hits, resetTime: rows[0].reset_at } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.now();
    const { rows } = await this.db.query<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limit_hits AS r (key, hits, reset_at) VALUES ($1, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.reset_at <= $2 THEN 1 ELSE r.hits + 1 END,
         reset_at = CASE WHEN r.reset_at <= $2 THEN EXCLUDED.reset_at ELSE r.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, new Date(now), new Date(now + this.windowMs)],
    );
    return { totalHits: rows[0]!.hits, resetTime: rows[0]!.reset_at };
  }

  async decrement(key: string): Promise<void> {
    await this.db.query('UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0) WHERE key = $1 AND reset_at > $2', [this.prefix + key, new Date(this.now())]);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_hits WHERE key = $1', [this.prefix + key]);
  }
}

/** Deletes counters whose window has passed; one instance at a time. Returns how many went. */
export async function sweepRateLimits(db: Db, now = new Date()): Promise<number> {
  const removed = await runExclusive(db, JOB.rateLimitSweep, async (client) => {
    const { rowCount } = await client.query('DELETE FROM rate_limit_hits WHERE reset_at <= $1', [now]);
    return rowCount ?? 0;
  });
  return removed ?? 0;
}
