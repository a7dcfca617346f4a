import { z } from 'zod';
import { ConfigError, emptyAsUndefined, intIn, parseEnv } from '../../config.js';

/**
 * The variables that move everything the bot keeps to PostgreSQL. Without DATABASE_URL none of the others matter
 * and the bot runs on the embedded store exactly as before.
 */
const tuningSchema = z.object({
  /** Connections each instance keeps for queries (turn locks and LISTEN use their own few, see docs/DEPLOY.md). */
  DATABASE_POOL_SIZE: intIn(1, 200, 10),
  /** A query running longer than this is cancelled by the server, so a stuck query cannot hold a turn. */
  DATABASE_STATEMENT_TIMEOUT_MS: intIn(100, 600_000, 5_000),
  /** How long to wait for a new connection before the query counts as failed (the database is down). */
  DATABASE_CONNECT_TIMEOUT_MS: intIn(100, 120_000, 3_000),
  /** How long start-up keeps trying to reach the database (it may be starting too) before it gives up. */
  DATABASE_STARTUP_WAIT_MS: intIn(0, 600_000, 30_000),
});

/** Every variable this file reads (for the .env.example and README check). */
export const DATABASE_VARIABLES = ['DATABASE_URL', ...Object.keys(tuningSchema.shape)];

export interface DatabaseConfig extends z.infer<typeof tuningSchema> {
  /** postgres://user:password@host:5432/database; undefined: the embedded store. */
  DATABASE_URL: string | undefined;
}

/**
 * DATABASE_URL is checked here rather than by parseEnv, whose message quotes the value: a connection string
 * carries the database password, which must not reach a log or a terminal.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv): DatabaseConfig {
  const tuning = parseEnv(tuningSchema, env);
  const raw = emptyAsUndefined(env.DATABASE_URL) as string | undefined;
  if (raw === undefined) return { ...tuning, DATABASE_URL: undefined };
  const url = raw.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError('DATABASE_URL', 'must be a connection string such as postgres://bot:secret@db.example.org:5432/bot (value not shown: it may hold a password)');
  }
  return { ...tuning, DATABASE_URL: url };
}

/** Where the database is, without user or password, for log lines and error messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unreadable DATABASE_URL)';
  }
}
