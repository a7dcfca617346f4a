import type { Db, PoolClient } from './db.js';

/**
 * Advisory locks, in PostgreSQL's two-integer key space. The first integer says whose lock it is, so the bot's
 * locks never meet another application's on a shared server; the second says which.
 */
export const NAMESPACE = {
  /** Jobs that run once across instances. */
  jobs: 0x65637a01,
  /** One conversation's turn (the second key is hashtext of the conversation key). */
  turns: 0x65637a02,
} as const;

export const JOB = { migrate: 1, retention: 2, directLineSweep: 3, rateLimitSweep: 4 } as const;

/**
 * Runs `fn` while this instance holds the conversation's turn lock, so two instances never run turns of one
 * conversation at the same time. botbuilder's BotState.saveChanges writes eTag "*" (last writer wins); under this
 * lock a turn's read-modify-write of the conversation state cannot interleave with another's, on any instance.
 * The lock belongs to a connection: an instance killed mid-turn loses its connection, and with it the lock.
 */
export async function withTurnLock<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await db.lockClient();
  let broken = false;
  try {
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [NAMESPACE.turns, key]);
    } catch (err) {
      broken = true;
      return db.rethrow(err);
    }
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [NAMESPACE.turns, key]).catch(() => (broken = true));
    }
  } finally {
    // A connection whose lock state is unknown is closed (which frees any lock it held) rather than reused.
    client.release(broken);
  }
}

/**
 * Runs `fn` inside a transaction that holds the job's lock, or returns undefined at once when another instance
 * is running the same job: clean-up jobs run on one instance at a time, and whichever runs finds the work.
 */
export async function runExclusive<T>(db: Db, job: number, fn: (client: PoolClient) => Promise<T>): Promise<T | undefined> {
  return db.transaction(async (client) => {
    const got = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [NAMESPACE.jobs, job]);
    if (!got.rows[0]?.locked) return undefined;
    return fn(client);
  });
}
