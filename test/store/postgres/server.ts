import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { silentLogger } from '../../../src/logger.js';
import { loadDatabaseConfig, openPostgresStore, type PostgresBotStore } from '../../../src/store/postgres/index.js';

/**
 * The PostgreSQL server the PostgreSQL tests run against: TEST_DATABASE_URL (what .ci/run sets for its throw-away
 * cluster), else DATABASE_URL. Each suite gets a database of its own, created here and dropped after, so suites
 * never see each other's rows. Without a server the suites skip with one line, unless E2E=required (CI), where a
 * missing server fails the run instead, so CI can never pass by skipping them.
 */

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

let notice: string | undefined;
let reachable: Promise<string | undefined> | undefined;

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server's URL, or skip the suite (one printed line) — or fail it when E2E=required. */
export async function requirePostgres(ctx: Mocha.Context): Promise<string> {
  const url = serverUrl();
  const problem = url ? await (reachable ??= probe(url)) : 'no TEST_DATABASE_URL or DATABASE_URL';
  if (url && !problem) return url;
  const why = url ? `the server at ${where(url)} is not reachable (${problem})` : problem!;
  if (process.env.E2E === 'required') throw new Error(`E2E=required but PostgreSQL tests cannot run: ${why}`);
  if (notice !== why) {
    console.log(`    PostgreSQL tests skipped: ${why} (set TEST_DATABASE_URL=postgres://…; E2E=required makes this fail)`);
    notice = why;
  }
  return ctx.skip();
}

function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the server; `drop` removes it (and ends whatever is still connected to it). */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `bot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs one statement against a database (for a test's own look at the tables). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The bot's PostgreSQL store on a test database, quick to give up on a database that is not there. */
export async function openStoreOn(url: string, overrides: Record<string, string> = {}, now?: () => Date): Promise<PostgresBotStore> {
  const config = loadDatabaseConfig({ DATABASE_URL: url, DATABASE_STARTUP_WAIT_MS: '1000', DATABASE_CONNECT_TIMEOUT_MS: '1000', ...overrides });
  return openPostgresStore({ ...config, DATABASE_URL: config.DATABASE_URL! }, { logger: silentLogger, now });
}
