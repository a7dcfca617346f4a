import pg from 'pg';
import type { Logger } from '../../logger.js';
import { StoreUnavailableError } from '../contract.js';
import { describeDatabase as describe, type DatabaseConfig } from './config.js';

const { Pool } = pg;
export type PoolClient = pg.PoolClient;
export type QueryResultRow = pg.QueryResultRow;

/**
 * The database cannot be reached (refused, reset, timed out, shutting down, out of connections). Callers answer
 * "try again shortly" (503) instead of failing the request as a bug; the pool reconnects by itself.
 */
export class DatabaseUnavailableError extends StoreUnavailableError {
  constructor(reason: string) {
    super(`the database is unavailable: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** SQLSTATE classes and socket errors that mean "the server is not there right now", not "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '57014', // query_canceled: our statement_timeout (an overloaded or locked database)
]);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|connection error|Client was closed|Cannot use a pool after calling end/i;

export function isUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return UNAVAILABLE_MESSAGES.test((err as Error | null)?.message ?? '');
}

/** What the metrics read about the database, whatever uses it. */
export interface DatabaseStats {
  readonly errors: number;
  readonly pools: ReadonlyArray<{ name: string; pool: pg.Pool }>;
}

export interface Db {
  /** One statement through the pool. Connection problems become DatabaseUnavailableError and mark the database down. */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `fn` in one transaction on one connection (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
  /** A connection of the small pool kept for advisory locks held across a turn, so they never starve queries. */
  lockClient(): Promise<PoolClient>;
  /** For errors of a connection from lockClient(): connection problems become DatabaseUnavailableError. */
  rethrow(err: unknown): never;
  /** False after a connection problem until a probe (every second) or a query succeeds again. */
  healthy(): boolean;
  /** The reason of the last connection problem, while unhealthy. */
  problem(): string | undefined;
  readonly stats: DatabaseStats;
  readonly url: string;
  readonly config: DatabaseConfig;
  /** Closes both pools; safe to call twice. */
  close(): Promise<void>;
}

export interface DbOptions {
  logger: Logger;
  /** The instance's name in pg_stat_activity (application_name). */
  applicationName?: string;
  /** How often the database is probed while it is down, and while it is up (ms). */
  probeDownMs?: number;
  probeUpMs?: number;
}

export function connect(config: DatabaseConfig & { DATABASE_URL: string }, options: DbOptions): Db {
  const { logger } = options;
  const base: pg.PoolConfig = {
    connectionString: config.DATABASE_URL,
    connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
    // statement_timeout is the server's; a server that vanished mid-query (a cut network) never answers, so the
    // client gives up a little later on its own.
    query_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS + 2_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'eczema-faq-bot',
  };
  const pool = new Pool({ ...base, max: config.DATABASE_POOL_SIZE });
  // Advisory locks held for a whole turn: a few connections of their own, so a burst of turns waiting on each
  // other's locks cannot take every connection the turns themselves need for their queries.
  const locks = new Pool({
    ...base,
    max: Math.max(2, Math.ceil(config.DATABASE_POOL_SIZE / 2)),
    // A turn waits this long for another instance's turn of the same conversation, then fails politely.
    lock_timeout: Math.max(config.DATABASE_STATEMENT_TIMEOUT_MS, 10_000),
    statement_timeout: Math.max(config.DATABASE_STATEMENT_TIMEOUT_MS, 10_000) + 1_000,
    query_timeout: Math.max(config.DATABASE_STATEMENT_TIMEOUT_MS, 10_000) + 3_000,
  });

  let up = true;
  let reason: string | undefined;
  let errors = 0;
  let closed = false;

  const markDown = (err: unknown) => {
    errors += 1;
    const message = (err as Error)?.message ?? String(err);
    const wasUp = up;
    up = false;
    reason = message;
    if (wasUp) {
      logger.error({ err: message, database: describe(config.DATABASE_URL) }, 'database unavailable; answering "try again shortly" until it is back');
      // The next probe comes at the short interval, not at the end of the long one scheduled while healthy.
      if (probeTimer) clearTimeout(probeTimer);
      probeTimer = undefined;
    }
    scheduleProbe();
  };
  const markUp = () => {
    if (!up) logger.info({ database: describe(config.DATABASE_URL) }, 'database reachable again');
    up = true;
    reason = undefined;
  };

  // An idle connection whose server went away emits 'error' on the pool; without a listener the process would die.
  pool.on('error', (err) => markDown(err));
  locks.on('error', (err) => markDown(err));

  let probeTimer: NodeJS.Timeout | undefined;
  function scheduleProbe() {
    if (closed || probeTimer) return;
    probeTimer = setTimeout(
      () => {
        probeTimer = undefined;
        if (closed) return;
        pool.query('SELECT 1').then(
          () => {
            markUp();
            scheduleProbe();
          },
          (err: unknown) => {
            if (isUnavailable(err)) markDown(err);
            else scheduleProbe();
          },
        );
      },
      up ? (options.probeUpMs ?? 5_000) : (options.probeDownMs ?? 1_000),
    );
    probeTimer.unref();
  }
  scheduleProbe();

  const wrap = (err: unknown): never => {
    if (isUnavailable(err)) {
      markDown(err);
      throw err instanceof DatabaseUnavailableError ? err : new DatabaseUnavailableError((err as Error).message);
    }
    throw err;
  };

  return {
    url: config.DATABASE_URL,
    config,
    async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) {
      try {
        const result = await pool.query<R>(text, values);
        if (!up) markUp();
        return result;
      } catch (err) {
        return wrap(err);
      }
    },
    async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        return wrap(err);
      }
      const onError = (err: Error) => markDown(err);
      client.on('error', onError);
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        if (!up) markUp();
        return result;
      } catch (err) {
        broken = isUnavailable(err);
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        return wrap(err);
      } finally {
        // A connection that failed mid-transaction is thrown away, not handed to the next query.
        client.off('error', onError);
        client.release(broken);
      }
    },
    async lockClient() {
      let client: PoolClient;
      try {
        client = await locks.connect();
      } catch (err) {
        return wrap(err);
      }
      // A checked-out connection that dies while idle (a lock held across a turn) emits 'error' on the client;
      // unheard, that would end the process. It is counted, and the next query on it fails and is handled.
      const onError = (err: Error) => markDown(err);
      client.on('error', onError);
      const release = client.release.bind(client);
      client.release = (destroy?: boolean | Error) => {
        client.off('error', onError);
        release(destroy);
      };
      return client;
    },
    rethrow: wrap,
    healthy: () => up && !closed,
    problem: () => (closed ? 'closed' : reason),
    stats: {
      get errors() {
        return errors;
      },
      pools: [
        { name: 'queries', pool },
        { name: 'locks', pool: locks },
      ],
    },
    async close() {
      if (closed) return;
      closed = true;
      if (probeTimer) clearTimeout(probeTimer);
      await Promise.all([pool.end(), locks.end()]);
    },
  };
}
