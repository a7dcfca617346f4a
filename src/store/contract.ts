/**
 * What the bot keeps, as two small contracts modelled on botbuilder's own `Storage` interface (read / write /
 * delete with eTags). Every backend (the embedded lowdb store, PostgreSQL) implements both, and one contract test
 * suite (test/store/contract.ts) runs against each. Nothing here imports botbuilder or the Agents SDK: their
 * `Storage` interfaces are adapted to `DocumentStore` at the edge (src/store/botStorage.ts).
 *
 * - `DocumentStore`: small JSON documents under string keys, with optimistic concurrency. Conversation state,
 *   staff accounts and sessions, learned utterances, settings.
 * - `RecordLog`: what happened, appended and never rewritten by a turn: feedback, unanswered questions,
 *   escalations, handoffs, the staff audit log. Queried by kind and time, newest first; purged by age.
 *
 * Additions to these interfaces are fine; changing a method's meaning breaks the other backend.
 */

/** A stored document. `eTag` is set by the store on every write; it is how a writer proves it saw the latest. */
export interface StoreItem {
  eTag?: string;
  [field: string]: unknown;
}

export type StoreItems = Record<string, StoreItem>;

/** The message botbuilder's MemoryStorage uses, so a conflict reads the same whichever store raised it. */
export function eTagConflictMessage(key: string): string {
  return `Storage: error writing "${key}" due to eTag conflict.`;
}

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(eTagConflictMessage(key));
    this.name = 'ETagConflictError';
  }
}

/**
 * Thrown by every write while the store cannot take writes (its lock was lost, it was closed, the database is
 * unreachable). The caller logs it; `/readyz` reads `BotStore.healthy()`.
 */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`Storage: not written: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A problem with the store an operator can fix (the file is in use by another process, DB_FILE names a directory,
 * a path cannot be read): start-up prints its message as one line, without a stack (src/startupError.ts).
 */
export class StoreStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreStartupError';
  }
}

/**
 * Where botbuilder's conversation state lives among the documents (src/store/botStorage.ts adds it to botbuilder's
 * keys), so retention can purge conversation state without touching staff accounts or settings.
 */
export const CONVERSATION_STATE_PREFIX = 'conversation/';

export interface DocumentStore {
  /** The documents that exist among `keys` (missing keys are absent from the result), each with its eTag. */
  read(keys: readonly string[]): Promise<StoreItems>;
  /**
   * Write each document whole. An item without an eTag, or with `*`, overwrites; any other eTag must equal the
   * stored one (or the document must not exist yet), or the write throws ETagConflictError and changes nothing
   * for that key (a batch with a conflict changes nothing at all). Resolves only when the change would survive the
   * process being killed. Throws StoreUnavailableError while the store cannot take writes.
   */
  write(changes: StoreItems): Promise<void>;
  /** Removes the documents; missing keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** Keys that start with `prefix`, in ascending order, at most `limit` (default 1000), after `after` if given. */
  list(prefix: string, options?: { limit?: number; after?: string }): Promise<string[]>;
  /**
   * Deletes documents under `prefix` last written before `cutoff`, at most `budget` of them in this call, so
   * retention never stalls turns. `more` says whether another call would find more.
   */
  purgeBefore(prefix: string, cutoff: Date, budget: number): Promise<{ removed: number; more: boolean }>;
}

/**
 * The kinds of record the clinic reviews, the staff audit log, and `questions`: one per reply to a patient's
 * message or button press (outcome, intent, confidence, escalation, channel, a pseudonymous conversation id; never
 * the patient's text), which the console's usage charts count.
 */
export const RECORD_KINDS = ['feedback', 'unanswered', 'escalations', 'handoffs', 'audit', 'questions'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A record as stored: the store gives it an id and a time; the rest is the writer's (already redacted) fields. */
export interface StoredRecord {
  id: string;
  kind: RecordKind;
  /** ISO timestamp. */
  at: string;
  [field: string]: unknown;
}

export interface RecordQuery {
  kinds?: readonly RecordKind[];
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Exclusive upper bound on `at`. */
  to?: Date;
  /** Only records whose field equals the value (for example `{ intent: 'dupilumab' }`). */
  where?: Record<string, string | number | boolean | null>;
  /** Page size (default 100). */
  limit?: number;
  /** The `next` cursor of the previous page. */
  cursor?: string;
}

export interface RecordPage {
  /** Newest first. */
  items: StoredRecord[];
  /** Present when there are more. */
  next?: string;
}

export interface RecordLog {
  /**
   * Appends one record; resolves with it (id and time filled) once it would survive the process being killed.
   * `at`, when given, must be an ISO timestamp (a TypeError otherwise): it is how carried-over records keep their time.
   */
  append(kind: RecordKind, fields: Record<string, unknown> & { at?: string }): Promise<StoredRecord>;
  /** One page of records, newest first. */
  query(query: RecordQuery): Promise<RecordPage>;
  /** The record with this id (as `append` and `query` gave it), or undefined when there is none (any more). */
  get(id: string): Promise<StoredRecord | undefined>;
  /**
   * Counts of records in [from, to) grouped by the given fields (`day` is the UTC date of `at`, `YYYY-MM-DD`; a
   * field a record lacks groups as null). Ordered by count, highest first, then by key.
   */
  tally(query: { kinds?: readonly RecordKind[]; from?: Date; to?: Date; by: readonly string[] }): Promise<Array<{ key: Record<string, unknown>; count: number }>>;
  /**
   * Merges `patch` into one record (for example a staff review mark); false when there is no such record. `id`,
   * `kind` and `at` are the store's: a patch naming them is refused with a TypeError.
   */
  amend(id: string, patch: Record<string, unknown>): Promise<boolean>;
  /** Deletes records older than `cutoff`, at most `budget` in this call; `more` says whether more remain. */
  purgeBefore(cutoff: Date, budget: number): Promise<{ removed: number; more: boolean }>;
}

/** Everything the bot keeps, on one backend. The composition root (src/server/index.ts) chooses which. */
export interface BotStore {
  readonly backend: 'lowdb' | 'postgres';
  readonly documents: DocumentStore;
  readonly records: RecordLog;
  /** False while writes cannot succeed (lock lost, database unreachable): `/readyz` answers 503. */
  healthy(): boolean;
  /** Flush what is pending and release the store (graceful shutdown). Safe to call twice. */
  close(): Promise<void>;
}
