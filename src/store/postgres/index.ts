import type { Store } from 'express-rate-limit';
import type { Logger } from '../../logger.js';
import { StoreStartupError, type BotStore } from '../contract.js';
import { describeDatabase, type DatabaseConfig } from './config.js';
import { connect, isUnavailable, type Db } from './db.js';
import { PgConversationStore } from './directline.js';
import { PgDocumentStore } from './documents.js';
import { withTurnLock } from './locks.js';
import { migrate } from './migrate.js';
import { PgModelStore } from './models.js';
import { PgRateLimitStore, sweepRateLimits } from './rateLimit.js';
import { PgRecordLog } from './records.js';

export { loadDatabaseConfig, type DatabaseConfig } from './config.js';

/**
 * Start-up cannot use the database for a reason an operator fixes (wrong password, no such database, not
 * reachable): one line, no stack.
 */
export class DatabaseStartupError extends StoreStartupError {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseStartupError';
  }
}

/** SQLSTATEs that no amount of waiting fixes, with what to tell the operator. */
const FATAL: Record<string, string> = {
  '28P01': 'the password in DATABASE_URL was refused',
  '28000': 'the server refused this user or client address (pg_hba.conf, or the Azure firewall rules)',
  '3D000': 'the database named in DATABASE_URL does not exist (create it first: createdb, or the Azure portal)',
  '42501': 'the user in DATABASE_URL may not create tables in this database (grant CREATE on the schema, or use the owner)',
};

/**
 * Everything the bot keeps, in PostgreSQL, shared by every instance that names the same DATABASE_URL: documents
 * and records (the storage contract), and beside them what several instances must share to act as one bot —
 * Direct Line conversations, rate-limit counters, the intent model, and the turn lock.
 */
export class PostgresBotStore implements BotStore {
  readonly backend = 'postgres' as const;
  readonly documents: PgDocumentStore;
  readonly records: PgRecordLog;
  readonly models: PgModelStore;
  private readonly maintenance: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(
    readonly db: Db,
    private readonly logger: Logger,
    now?: () => Date,
  ) {
    this.documents = new PgDocumentStore(db, now);
    this.records = new PgRecordLog(db, now);
    this.models = new PgModelStore(db);
    this.maintenance = setInterval(() => {
      if (!db.healthy()) return;
      sweepRateLimits(db).catch((err: Error) => logger.debug({ err: err.message }, 'rate-limit sweep failed; it runs again in a minute'));
    }, 60_000);
    this.maintenance.unref();
  }

  healthy(): boolean {
    return this.db.healthy();
  }

  /** Direct Line conversations every instance serves. */
  conversations(options: { idleMs: number; maxConversations: number }): PgConversationStore {
    return new PgConversationStore(this.db, options);
  }

  /** Counters for one rate limit, counted across instances. */
  rateLimitStore(name: string): Store {
    return new PgRateLimitStore(this.db, name);
  }

  /** Runs a turn while no other instance runs one of the same conversation (see locks.ts). */
  withTurnLock<T>(conversationKey: string, fn: () => Promise<T>): Promise<T> {
    return withTurnLock(this.db, conversationKey, fn);
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      clearInterval(this.maintenance);
      await this.db.close();
      this.logger.debug('database pools closed');
    })());
  }
}

export interface OpenPostgresOptions {
  logger: Logger;
  /** Shown in pg_stat_activity, so a DBA sees which instance holds which connection. */
  applicationName?: string;
  /** The clock documents are written at and records stamped with (tests move it). */
  now?: () => Date;
}

/**
 * Connects (waiting up to DATABASE_STARTUP_WAIT_MS for a database that is still starting), brings the schema up
 * to date and returns the store. Every instance does this at start-up; see migrate.ts for why that is safe.
 */
export async function openPostgresStore(config: DatabaseConfig & { DATABASE_URL: string }, options: OpenPostgresOptions): Promise<PostgresBotStore> {
  const { logger } = options;
  const where = describeDatabase(config.DATABASE_URL);
  const db = connect(config, { logger, applicationName: options.applicationName });
  try {
    await reachable(db, config.DATABASE_STARTUP_WAIT_MS, where, logger);
    await migrate(db, logger, { database: where });
  } catch (err) {
    await db.close().catch(() => undefined);
    const fatal = FATAL[(err as { code?: string }).code ?? ''];
    if (fatal) throw new DatabaseStartupError(`Cannot use the database ${where}: ${fatal}.`);
    if (isUnavailable(err)) {
      throw new DatabaseStartupError(
        `Cannot reach the database ${where} (${(err as Error).message}). Check DATABASE_URL, and that PostgreSQL is running and reachable from this machine.`,
      );
    }
    throw err;
  }
  logger.info({ database: where, poolSize: config.DATABASE_POOL_SIZE }, 'PostgreSQL store ready');
  return new PostgresBotStore(db, logger, options.now);
}

async function reachable(db: Db, waitMs: number, where: string, logger: Logger): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db.query('SELECT 1');
      return;
    } catch (err) {
      if (!isUnavailable(err) || Date.now() >= deadline) throw err;
      if (attempt === 1) logger.warn({ database: where, err: (err as Error).message }, 'database not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(0, deadline - Date.now()))));
    }
  }
}
