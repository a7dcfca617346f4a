import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LowSync } from 'lowdb';
import { DataFileSync } from 'lowdb/node';
import type { Logger } from '../../logger.js';
import {
  ETagConflictError,
  RECORD_KINDS,
  StoreStartupError,
  StoreUnavailableError,
  type BotStore,
  type DocumentStore,
  type RecordKind,
  type RecordLog,
  type RecordPage,
  type RecordQuery,
  type StoredRecord,
  type StoreItem,
  type StoreItems,
} from '../contract.js';
import { DEFAULT_JOURNAL_OPTIONS, Journal, stamp, type Header, type Holder, type JournalOptions, type Loc } from './journal.js';
import { looksLikeVersion1, readVersion1, type CarriedOver } from './legacy.js';
import { StoreLock } from './lock.js';

/**
 * The embedded store: DB_FILE is a small header file (written once, with lowdb), and everything the bot keeps is
 * in the folder beside it, `<DB_FILE>.d/`: the lock and the journal's segment files (src/store/lowdb/journal.ts).
 * In memory there is an index only (key → eTag, time and place on disk; record id → kind, time and place), never
 * the values, so memory and each turn's cost stay flat however much is stored. docs/ARCHITECTURE.md has the
 * figures that chose this layout over per-conversation files and the single lowdb file.
 */

export interface LowdbStoreOptions {
  journal?: Partial<JournalOptions>;
  now?: () => Date;
  /** How often to look for compaction work (ms). */
  compactCheckMs?: number;
}

const HEADER = { store: 'eczema-faq-bot', version: 2 } as const;
interface HeaderFile {
  store: typeof HEADER.store;
  version: 2;
  createdAt: string;
  /** The folder beside DB_FILE that holds the data. */
  data: string;
}

interface DocEntry extends Holder {
  /** eTag */
  e: string;
  /** written at (ms) */
  w: number;
}

interface RecEntry extends Holder {
  id: string;
  kind: RecordKind;
  /** `at` in ms, and as stored (ISO). */
  t: number;
  at: string;
  /** The sequence number of its first append: orders records of the same millisecond, and names it. */
  o: number;
}

/** A purge looks this far past the first document newer than its cutoff, in case the clock stepped back. */
const PURGE_LOOKAHEAD = 256;
/** Long scans (record queries, tallies) yield to turns this often. */
const SCAN_SLICE = 500;

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
const idOf = (o: number) => `r${o.toString(36)}`;
const compareRec = (a: { t: number; o: number }, b: { t: number; o: number }) => a.t - b.t || a.o - b.o;

function headerStorage(file: string): LowSync<HeaderFile | null> {
  return new LowSync<HeaderFile | null>(
    new DataFileSync<HeaderFile | null>(file, { parse: (text) => JSON.parse(stripBom(text)) as HeaderFile, stringify: (data) => `${JSON.stringify(data, null, 2)}\n` }),
    null,
  );
}

function isHeader(value: unknown): value is HeaderFile {
  const h = value as Partial<HeaderFile> | null;
  return typeof h === 'object' && h !== null && h.store === HEADER.store && h.version === HEADER.version;
}

/** Reads DB_FILE, turning the problems an operator can fix into one-line start-up errors. */
function readDbFile(file: string): string | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreStartupError(`DB_FILE ${file} cannot be used: ${(err as Error).message}`);
  }
  if (stats.isDirectory()) {
    throw new StoreStartupError(`DB_FILE ${file} is a directory; it must name a file (the store keeps its data in the folder ${file}.d beside it)`);
  }
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StoreStartupError(`DB_FILE ${file} cannot be read: ${(err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied for this user' : (err as Error).message}`);
  }
}

type Content = { kind: 'missing' } | { kind: 'header' } | { kind: 'version1'; data: CarriedOver } | { kind: 'unreadable'; problem: string };

function classify(text: string | undefined, now: Date): Content {
  if (text === undefined) return { kind: 'missing' };
  if (text.trim() === '') return { kind: 'unreadable', problem: 'file is empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', problem: `not valid JSON (${(err as Error).message})` };
  }
  if (isHeader(parsed)) return { kind: 'header' };
  if (looksLikeVersion1(parsed)) {
    const read = readVersion1(parsed, now);
    return read.ok ? { kind: 'version1', data: read.data } : { kind: 'unreadable', problem: read.problem };
  }
  return { kind: 'unreadable', problem: 'not a database written by this bot' };
}

export async function openLowdbStore(file: string, logger: Logger, options: LowdbStoreOptions = {}): Promise<LowdbBotStore> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const abs = resolve(file);
  try {
    mkdirSync(dirname(abs), { recursive: true });
  } catch (err) {
    throw new StoreStartupError(`DB_FILE ${file} cannot be used: its folder cannot be created (${(err as Error).message})`);
  }
  let content = classify(readDbFile(abs), now());
  if (content.kind === 'unreadable') {
    const aside = `${abs}.corrupt-${stamp()}`;
    renameSync(abs, aside);
    logger.error({ file: abs, movedTo: aside, problem: content.problem }, 'database file was unreadable; moved it aside and started a fresh one');
    content = { kind: 'missing' };
  }
  const writeHeader = () => {
    const header = headerStorage(abs);
    header.data = { ...HEADER, createdAt: now().toISOString(), data: `${abs.slice(dirname(abs).length + 1)}.d` };
    header.write();
  };
  if (content.kind === 'missing') {
    if (existsSync(`${abs}.d`)) logger.warn({ file: abs }, 'database header file was missing; wrote a new one for the data folder beside it');
    writeHeader();
  }
  // Symlinks resolved: every path that reaches this file reaches the same data folder and its lock.
  const real = realpathSync(abs);
  const dataDir = `${real}.d`;
  if (content.kind === 'header' && !existsSync(dataDir)) {
    throw new StoreStartupError(
      `DB_FILE ${file} names a store whose data folder ${dataDir} is missing: a copy or hard link of DB_FILE alone is not a store; point DB_FILE at the original file, or restore the folder`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const folder = statSync(dataDir);

  let lostReason: string | undefined;
  const lock = StoreLock.acquire(join(dataDir, 'lock'), { file: real, dev: folder.dev, ino: folder.ino }, logger, (reason) => (lostReason = reason));
  try {
    const marker = join(dataDir, 'carrying-over-version-1');
    const segmentFiles = () => readdirSync(dataDir).filter((n) => /^\d{8}-\d{4}\.jsonl(\.tmp)?$/.test(n));
    if (content.kind === 'version1') {
      if (existsSync(marker)) for (const n of segmentFiles()) unlinkSync(join(dataDir, n)); // an unfinished carry-over: start it again
      else if (segmentFiles().length > 0) {
        throw new StoreStartupError(`DB_FILE ${file} holds a version-1 database, but ${dataDir} already holds a store; move one of them away`);
      }
      closeSync(openSync(marker, 'w'));
    } else if (existsSync(marker)) unlinkSync(marker); // the carry-over had finished: the header is written

    const store = new LowdbBotStore(real, dataDir, lock, { ...DEFAULT_JOURNAL_OPTIONS, ...options.journal }, logger, now, () => lostReason);
    if (content.kind === 'version1') {
      const backup = `${real}.v1-backup-${stamp()}`;
      store.carryOver(content.data);
      copyFileSync(real, backup);
      fsyncFile(backup);
      writeHeader();
      unlinkSync(marker);
      const { data } = content;
      logger.warn(
        { file: real, backup, conversations: data.documents.length, records: data.records.length, dropped: data.dropped, undated: data.undated, unknownKinds: data.unknownKinds },
        'carried the version-1 database over to the journal; the old file is kept as a backup',
      );
      if (data.undated > 0) logger.warn({ file: real, undated: data.undated }, 'database entries had unreadable dates; kept them, dated to today, with the old value in "unreadableAt"');
    }
    store.startBackgroundWork(options.compactCheckMs ?? 2_000);
    logger.info({ file: real, ...store.stats(), ms: Math.round(performance.now() - started) }, 'store opened');
    return store;
  } catch (err) {
    lock.release();
    throw err;
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class LowdbBotStore implements BotStore {
  readonly backend = 'lowdb' as const;
  readonly documents: DocumentStore;
  readonly records: RecordLog;
  private readonly journal: Journal;
  private readonly docs = new Map<string, DocEntry>();
  private readonly recById = new Map<string, RecEntry>();
  /** Records in time order (then append order). */
  private order: RecEntry[] = [];
  private readonly tagPrefix = randomBytes(4).toString('hex');
  private tagCount = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private compactTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    readonly dataDir: string,
    private readonly lock: StoreLock,
    journalOptions: JournalOptions,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly lockLost: () => string | undefined,
  ) {
    const dead = new Set<RecEntry>();
    const { journal, report } = Journal.open(dataDir, journalOptions, logger, (header, loc) => this.replay(header, loc, dead));
    this.journal = journal;
    if (dead.size > 0) this.order = this.order.filter((e) => !dead.has(e));
    this.order.sort(compareRec);
    for (const e of this.docs.values()) journal.retain(e.loc);
    for (const e of this.order) journal.retain(e.loc);
    if (report.truncatedBytes > 0) {
      logger.warn({ dir: dataDir, bytes: report.truncatedBytes }, 'store journal ended in an unfinished write (the process was stopped mid-write); dropped it');
    }
    if (report.unreadable > 0) {
      logger.error({ dir: dataDir, unreadable: report.unreadable, copies: report.copies }, 'store journal had unreadable entries; skipped them, kept a copy of each damaged file, and kept the rest');
    }
    this.documents = {
      read: async (keys) => this.read(keys),
      write: async (changes) => this.write(changes),
      delete: async (keys) => this.delete(keys),
      list: async (prefix, opts) => this.list(prefix, opts),
      purgeBefore: async (prefix, cutoff, budget) => this.purgeDocuments(prefix, cutoff, budget),
    };
    this.records = {
      append: async (kind, fields) => this.append(kind, fields),
      query: (query) => this.query(query),
      get: async (id) => {
        const e = this.recById.get(id);
        return e ? this.load(e) : undefined;
      },
      tally: (query) => this.tally(query),
      amend: async (id, patch) => this.amend(id, patch),
      purgeBefore: async (cutoff, budget) => this.purgeRecords(cutoff, budget),
    };
  }

  private replay(header: Header, loc: Loc, dead: Set<RecEntry>): void {
    switch (header.op) {
      case 'put':
        this.docs.delete(header.k);
        this.docs.set(header.k, { loc, e: header.e, w: header.w });
        return;
      case 'del':
        this.docs.delete(header.k);
        return;
      case 'rec': {
        const o = header.o ?? header.s;
        const id = idOf(o);
        const existing = this.recById.get(id);
        if (existing) existing.loc = loc;
        else {
          const e: RecEntry = { loc, id, kind: header.kind as RecordKind, t: Date.parse(header.at), at: header.at, o };
          this.recById.set(id, e);
          this.order.push(e);
        }
        return;
      }
      case 'unrec': {
        const e = this.recById.get(header.id);
        if (e) {
          this.recById.delete(header.id);
          dead.add(e);
        }
        return;
      }
      default:
        return;
    }
  }

  /** The holder of a journal line when that line is current (compaction copies only those). */
  private current = (header: Header): Holder | undefined => {
    if (header.op === 'put') return this.docs.get(header.k);
    if (header.op === 'rec') return this.recById.get(idOf(header.o ?? header.s));
    return undefined;
  };

  startBackgroundWork(everyMs: number): void {
    this.compactTimer = setInterval(() => void this.journal.maybeCompact(this.current), everyMs);
    this.compactTimer.unref();
  }

  /** Runs a compaction now if one is due (tests, bench); resolves when it is done. */
  async compactNow(): Promise<void> {
    await this.journal.maybeCompact(this.current);
  }

  get compacting(): boolean {
    return this.journal.compactionRunning;
  }

  stats(): { documents: number; records: number; segments: number; bytes: number; liveBytes: number } {
    return { documents: this.docs.size, records: this.order.length, ...this.journal.stats() };
  }

  healthy(): boolean {
    return !this.closed && this.lockLost() === undefined;
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
    const lost = this.lockLost();
    if (lost) throw new StoreUnavailableError(`the database lock was lost (${lost})`);
  }

  // ---- documents ----

  private read(keys: readonly string[]): StoreItems {
    const items: StoreItems = {};
    for (const key of keys) {
      const e = this.docs.get(key);
      if (e) items[key] = { ...(JSON.parse(this.journal.read(e.loc)) as Record<string, unknown>), eTag: e.e };
    }
    return items;
  }

  private write(changes: StoreItems): void {
    this.assertWritable();
    const entries = Object.entries(changes);
    for (const [key, item] of entries) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new TypeError(`Storage: "${key}" must be an object`);
      const current = this.docs.get(key);
      if (current && typeof item.eTag === 'string' && item.eTag !== '*' && item.eTag !== current.e) throw new ETagConflictError(key);
    }
    if (entries.length === 0) return;
    const w = this.now().getTime();
    const lines = entries.map(([key, item]) => {
      const { eTag: _eTag, ...value } = item as StoreItem;
      return { header: { op: 'put' as const, k: key, e: `${this.tagPrefix}${(++this.tagCount).toString(36)}`, w }, value: JSON.stringify(value) };
    });
    const locs = this.journal.append(lines);
    lines.forEach(({ header }, i) => {
      const old = this.docs.get(header.k);
      if (old) {
        this.journal.release(old.loc);
        this.docs.delete(header.k);
      }
      this.docs.set(header.k, { loc: locs[i]!, e: header.e, w });
    });
  }

  private delete(keys: readonly string[]): void {
    this.assertWritable();
    const present = [...new Set(keys)].filter((k) => this.docs.has(k));
    if (present.length === 0) return;
    const locs = this.journal.append(present.map((k) => ({ header: { op: 'del' as const, k } })));
    present.forEach((k, i) => {
      this.journal.release(this.docs.get(k)!.loc);
      this.journal.release(locs[i]!); // a deletion is garbage as soon as it is written: compaction drops it
      this.docs.delete(k);
    });
  }

  private list(prefix: string, options: { limit?: number; after?: string } = {}): string[] {
    const limit = options.limit ?? 1000;
    const after = options.after;
    const keys: string[] = [];
    for (const key of this.docs.keys()) if (key.startsWith(prefix) && (after === undefined || key > after)) keys.push(key);
    keys.sort();
    return keys.slice(0, Math.max(0, limit));
  }

  private purgeDocuments(prefix: string, cutoff: Date, budget: number): { removed: number; more: boolean } {
    this.assertWritable();
    const cut = cutoff.getTime();
    const victims: string[] = [];
    let more = false;
    let newer = 0;
    // Map order is write order, so the old documents come first and the scan stops soon after the cutoff.
    for (const [key, e] of this.docs) {
      if (e.w >= cut) {
        if (++newer > PURGE_LOOKAHEAD) break;
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      if (victims.length >= budget) {
        more = true;
        break;
      }
      victims.push(key);
    }
    this.delete(victims);
    return { removed: victims.length, more };
  }

  // ---- records ----

  private append(kind: RecordKind, fields: Record<string, unknown> & { at?: string }): StoredRecord {
    this.assertWritable();
    if (!(RECORD_KINDS as readonly string[]).includes(kind)) throw new TypeError(`unknown record kind "${String(kind)}"`);
    const { at: givenAt, id: _id, kind: _kind, ...rest } = fields;
    const t = givenAt === undefined ? this.now().getTime() : typeof givenAt === 'string' ? Date.parse(givenAt) : Number.NaN;
    if (Number.isNaN(t)) throw new TypeError(`record "at" must be an ISO timestamp (got ${JSON.stringify(givenAt)})`);
    const at = new Date(t).toISOString();
    const [loc] = this.journal.append([{ header: { op: 'rec', kind, at }, value: JSON.stringify(rest) }]);
    // The line just appended has the journal's highest sequence number: it orders and names the record.
    const o = this.journal.lastSeq;
    const e: RecEntry = { loc: loc!, id: idOf(o), kind, t, at, o };
    this.insert(e);
    return { ...rest, id: e.id, kind, at };
  }

  private insert(e: RecEntry): void {
    this.recById.set(e.id, e);
    const last = this.order[this.order.length - 1];
    if (!last || compareRec(last, e) <= 0) this.order.push(e);
    else this.order.splice(this.upperBound(e), 0, e);
  }

  /** The index of the first record after `key` in time order. */
  private upperBound(key: { t: number; o: number }): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRec(this.order[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private load(e: RecEntry): StoredRecord {
    return { id: e.id, kind: e.kind, at: e.at, ...(JSON.parse(this.journal.read(e.loc)) as Record<string, unknown>) };
  }

  /**
   * Visits records newest first, strictly before `before`, down to `from`, yielding to turns every few hundred
   * reads; the position is found again by time after each pause, since appends and purges move the array.
   */
  private async scanDown(before: { t: number; o: number }, fromMs: number, visit: (e: RecEntry) => boolean | void): Promise<void> {
    let bound = before;
    let i = this.upperBound({ t: bound.t, o: bound.o - 1 }) - 1;
    let steps = 0;
    for (; i >= 0; i--) {
      const e = this.order[i]!;
      if (e.t < fromMs) return;
      if (visit(e) === false) return;
      bound = e;
      if (++steps % SCAN_SLICE === 0) {
        await pause();
        i = this.upperBound({ t: bound.t, o: bound.o - 1 });
      }
    }
  }

  private async query(q: RecordQuery): Promise<RecordPage> {
    const limit = Math.max(1, Math.min(q.limit ?? 100, 1000));
    const kinds = q.kinds ? new Set<string>(q.kinds) : undefined;
    let before = { t: q.to ? q.to.getTime() : Number.POSITIVE_INFINITY, o: 0 };
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      if (compareRec(c, before) < 0) before = c;
    }
    const where = q.where ? Object.entries(q.where) : [];
    const items: StoredRecord[] = [];
    let more = false;
    await this.scanDown(before, q.from ? q.from.getTime() : Number.NEGATIVE_INFINITY, (e) => {
      if (kinds && !kinds.has(e.kind)) return;
      const record = this.load(e);
      if (!where.every(([field, value]) => record[field] === value)) return;
      if (items.length === limit) {
        more = true;
        return false;
      }
      items.push(record);
    });
    const last = items[items.length - 1];
    return more && last ? { items, next: encodeCursor(this.recById.get(last.id) ?? { t: Date.parse(last.at), o: 0 }) } : { items };
  }

  private async tally(q: { kinds?: readonly RecordKind[]; from?: Date; to?: Date; by: readonly string[] }): Promise<Array<{ key: Record<string, unknown>; count: number }>> {
    const kinds = q.kinds ? new Set<string>(q.kinds) : undefined;
    const needsValue = q.by.some((f) => f !== 'day' && f !== 'kind');
    const groups = new Map<string, { key: Record<string, unknown>; count: number }>();
    const before = { t: q.to ? q.to.getTime() : Number.POSITIVE_INFINITY, o: 0 };
    await this.scanDown(before, q.from ? q.from.getTime() : Number.NEGATIVE_INFINITY, (e) => {
      if (kinds && !kinds.has(e.kind)) return;
      const record: Record<string, unknown> = needsValue ? this.load(e) : { kind: e.kind };
      const key: Record<string, unknown> = {};
      for (const field of q.by) key[field] = field === 'day' ? e.at.slice(0, 10) : (record[field] ?? null);
      const id = JSON.stringify(q.by.map((f) => key[f]));
      const group = groups.get(id);
      if (group) group.count += 1;
      else groups.set(id, { key, count: 1 });
    });
    return [...groups.entries()].sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0)).map(([, g]) => g);
  }

  private amend(id: string, patch: Record<string, unknown>): boolean {
    for (const field of ['id', 'kind', 'at']) if (field in patch) throw new TypeError(`a record's "${field}" cannot be amended`);
    this.assertWritable();
    const e = this.recById.get(id);
    if (!e) return false;
    const { id: _id, kind: _kind, at: _at, ...fields } = this.load(e);
    const [loc] = this.journal.append([{ header: { op: 'rec', kind: e.kind, at: e.at, o: e.o }, value: JSON.stringify({ ...fields, ...patch }) }]);
    this.journal.release(e.loc);
    e.loc = loc!;
    return true;
  }

  private purgeRecords(cutoff: Date, budget: number): { removed: number; more: boolean } {
    this.assertWritable();
    const cut = cutoff.getTime();
    let n = 0;
    while (n < this.order.length && n < budget && this.order[n]!.t < cut) n++;
    if (n > 0) {
      const victims = this.order.slice(0, n);
      const locs = this.journal.append(victims.map((e) => ({ header: { op: 'unrec' as const, id: e.id } })));
      for (const e of victims) {
        this.journal.release(e.loc);
        this.recById.delete(e.id);
      }
      for (const loc of locs) this.journal.release(loc);
      this.order.splice(0, n);
    }
    return { removed: n, more: this.order.length > 0 && this.order[0]!.t < cut };
  }

  /** Writes the entries of a version-1 file (open() calls this before the store is used). */
  carryOver(data: CarriedOver): void {
    const BATCH = 1000;
    for (let i = 0; i < data.documents.length; i += BATCH) {
      const batch = data.documents.slice(i, i + BATCH);
      const locs = this.journal.append(batch.map((d) => ({ header: { op: 'put' as const, k: d.key, e: d.eTag, w: d.writtenAt }, value: JSON.stringify(d.value) })));
      batch.forEach((d, j) => {
        const old = this.docs.get(d.key);
        if (old) this.journal.release(old.loc);
        this.docs.delete(d.key);
        this.docs.set(d.key, { loc: locs[j]!, e: d.eTag, w: d.writtenAt });
      });
    }
    for (const r of data.records) this.append(r.kind, { ...r.fields, at: r.at });
    this.journal.flush();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      clearInterval(this.compactTimer);
      await this.journal.close();
      this.lock.release();
    })();
    return this.closing;
  }
}

function encodeCursor(e: { t: number; o: number }): string {
  return `${e.t.toString(36)}.${e.o.toString(36)}`;
}

function decodeCursor(cursor: string): { t: number; o: number } {
  const [t, o] = cursor.split('.');
  const decoded = { t: Number.parseInt(t ?? '', 36), o: Number.parseInt(o ?? '', 36) };
  if (Number.isNaN(decoded.t) || Number.isNaN(decoded.o)) throw new TypeError('not a cursor this store gave');
  return decoded;
}
