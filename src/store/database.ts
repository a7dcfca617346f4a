import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { StoredRecords } from './records.js';

/** One conversation's state as botbuilder's Storage sees it, with the eTag used for optimistic concurrency. */
export interface StoredState {
  eTag: string;
  updatedAt: string;
  data: Record<string, unknown>;
}

export interface DatabaseShape {
  version: 1;
  state: Record<string, StoredState>;
  records: StoredRecords;
}

/** The kinds of record the clinic reviews, in the order the file lists them. */
export const RECORD_KINDS = ['feedback', 'unanswered', 'escalations', 'handoffs'] as const;

export function emptyDatabase(): DatabaseShape {
  return { version: 1, state: {}, records: { feedback: [], unanswered: [], escalations: [], handoffs: [] } };
}

export class DatabaseLockedError extends Error {
  constructor(file: string) {
    super(
      `Another bot process is already using the database file ${file}. lowdb loses updates with two writers, so ` +
        'this process will not start: stop the other one, or give this one its own DB_FILE. If the other one ' +
        'crashed, its lock expires within 15 seconds: start again after that.',
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface Database {
  readonly file: string;
  readonly db: Low<DatabaseShape>;
  /** Write pending changes; lowdb queues and merges writes, so this is cheap to call after every change. */
  save(): Promise<void>;
  /** Flush and release the lock (graceful shutdown). */
  close(): Promise<void>;
}

/**
 * Open the lowdb file for this process alone. A corrupt or empty file is moved aside (never overwritten) and the
 * bot starts with a fresh one, because a patient-facing bot must come up; the log line says where the old file went.
 */
export async function openDatabase(file: string, logger: Logger): Promise<Database> {
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(emptyDatabase()));

  let release: () => void;
  // Once the lock is lost (or released at shutdown) this process must stop writing: another may own the file now.
  let writable = true;
  try {
    // `stale` lets a crashed process's lock expire; `onCompromised` must not throw, or the bot would crash mid-turn.
    release = lockfile.lockSync(file, {
      realpath: false,
      stale: 15_000,
      onCompromised: (err) => {
        writable = false;
        logger.error({ err: err.message, file }, 'database lock lost; this process stops writing to the file');
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DatabaseLockedError(file);
    throw err;
  }

  const problem = inspect(file);
  if (problem) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    writeFileSync(file, JSON.stringify(emptyDatabase()));
    logger.error({ file, movedTo: aside, problem }, 'database file was unreadable; moved it aside and started a fresh one');
  }

  const db = new Low<DatabaseShape>(new JSONFile<DatabaseShape>(file), emptyDatabase());
  await db.read();
  const dropped = dropUnreadableEntries(db.data);
  if (dropped > 0) {
    logger.warn({ file, dropped }, 'database file had entries the bot cannot read; dropped them and kept the rest');
    await db.write();
  }
  let closed = false;
  return {
    file,
    db,
    async save() {
      if (writable) await db.write();
      else logger.warn({ file }, 'database change not written: the file is closed or its lock was lost');
    },
    async close() {
      if (closed) return;
      closed = true;
      if (writable) await db.write();
      writable = false;
      try {
        release();
      } catch (err) {
        // Already released because the lock was compromised: nothing left to give back.
        logger.warn({ err: (err as Error).message, file }, 'database lock was already released');
      }
    },
  };
}

/**
 * What start-up and every turn read from each entry. A hand-edited or half-restored file with one null entry
 * crashed the retention purge at start; such entries are dropped one by one (and logged), so one bad line does
 * not hide every other record from the clinic.
 */
const recordSchema = z.looseObject({ at: z.string() });
const stateSchema = z.looseObject({ eTag: z.string(), updatedAt: z.string(), data: z.record(z.string(), z.unknown()) });

/** Removes the entries the bot could not read; returns how many. */
function dropUnreadableEntries(data: DatabaseShape): number {
  let dropped = 0;
  for (const [key, value] of Object.entries(data.state)) {
    if (!stateSchema.safeParse(value).success) {
      delete data.state[key];
      dropped += 1;
    }
  }
  for (const kind of RECORD_KINDS) {
    const before = data.records[kind].length;
    (data.records[kind] as unknown[]) = (data.records[kind] as unknown[]).filter((r) => recordSchema.safeParse(r).success);
    dropped += before - data.records[kind].length;
  }
  return dropped;
}

/** Why the file cannot be used as our database, or undefined when it can. */
function inspect(file: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return 'file is empty';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  const shape = parsed as Partial<DatabaseShape> | null;
  if (typeof shape !== 'object' || shape === null || shape.version !== 1 || typeof shape.state !== 'object' || typeof shape.records !== 'object') {
    return 'not a database written by this bot';
  }
  for (const kind of RECORD_KINDS) {
    if (!Array.isArray(shape.records?.[kind])) return `records.${kind} is missing`;
  }
  return undefined;
}
