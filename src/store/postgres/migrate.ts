import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../logger.js';
import { projectRoot } from '../../paths.js';
import { JOB, NAMESPACE } from './locks.js';
import type { Db } from './db.js';
import { StoreStartupError } from '../contract.js';

/** The versioned SQL files, applied in name order (src/store/postgres/migrations/NNN_what.sql). */
export const MIGRATIONS_DIR = join(projectRoot, 'src', 'store', 'postgres', 'migrations');
/** node-pg-migrate's bookkeeping table: one row per applied file. */
export const MIGRATIONS_TABLE = 'bot_schema_migrations';

/**
 * The database was migrated by a newer version of the bot than this one. Starting would read and write tables
 * whose meaning this code does not know, so start-up stops with this one line.
 */
export class SchemaTooNewError extends StoreStartupError {
  constructor(unknown: readonly string[], database: string) {
    super(
      `The database ${database} has a newer schema than this version of the bot knows (applied migrations it does not ` +
        `have: ${unknown.join(', ')}). Deploy the newer bot version on every instance, or point DATABASE_URL at a database of this version.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The names node-pg-migrate gives the files (the file name without .sql). */
export function knownMigrations(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
}

/**
 * Brings the schema up to date. Every instance calls this at start-up: an advisory lock makes the others wait
 * while one applies the pending files (all of them in one transaction, so a failure leaves the schema as it
 * was), and each then finds nothing left to do. A schema newer than this code stops start-up.
 */
export async function migrate(db: Db, logger: Logger, options: { dir?: string; database: string }): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const known = knownMigrations(dir);
  const client = await db.lockClient();
  try {
    // A migration may take longer than a turn's statement timeout; the lock wait is bounded instead.
    await client.query("SET statement_timeout = 0; SET lock_timeout = '120s'");
    await client.query('SELECT pg_advisory_lock($1, $2)', [NAMESPACE.jobs, JOB.migrate]);
    try {
      const applied = await appliedMigrations(client);
      const unknown = applied.filter((name) => !known.includes(name));
      if (unknown.length > 0) throw new SchemaTooNewError(unknown, options.database);
      const ran = await runner({
        dbClient: client,
        dir,
        migrationsTable: MIGRATIONS_TABLE,
        direction: 'up',
        singleTransaction: true,
        checkOrder: true,
        // Our own lock above waits; node-pg-migrate's would fail a second instance starting at the same moment.
        noLock: true,
        logger: {
          debug: (msg: string) => logger.debug({ migration: msg }, 'schema migration'),
          info: (msg: string) => logger.debug({ migration: msg }, 'schema migration'),
          warn: (msg: string) => logger.warn({ migration: msg }, 'schema migration'),
          error: (msg: string) => logger.error({ migration: msg }, 'schema migration'),
        },
      });
      const names = ran.map((m) => m.name);
      if (names.length > 0) logger.info({ applied: names, database: options.database }, 'database schema migrated');
      return names;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [NAMESPACE.jobs, JOB.migrate]).catch(() => undefined);
    }
  } finally {
    // The session settings above must not follow this connection into the lock pool.
    client.release(true);
  }
}

async function appliedMigrations(client: { query: Db['query'] }): Promise<string[]> {
  const exists = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.found) return [];
  const rows = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY run_on, id`);
  return rows.rows.map((r) => r.name);
}
