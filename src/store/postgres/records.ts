import { RECORD_KINDS, type RecordKind, type RecordLog, type RecordPage, type RecordQuery, type StoredRecord } from '../contract.js';
import type { Db } from './db.js';
import { JOB, runExclusive } from './locks.js';

/** Fields the store owns: a writer or a patch cannot set them. */
const OWN_FIELDS = ['id', 'kind', 'at'] as const;

/**
 * jsonb (which the queries and tallies need) cannot hold U+0000. A NUL in a redacted patient message is kept as
 * U+FFFD, the replacement character, instead of failing the write and losing the record.
 */
function toJsonb(value: Record<string, unknown>): string {
  return JSON.stringify(withoutNul(value));
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\0') ? value.replaceAll('\0', '\ufffd') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k) as string, withoutNul(v)]));
  }
  return value;
}

function isoOrThrow(at: unknown): Date {
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new TypeError(`record "at" must be an ISO timestamp such as 2025-01-31T09:30:00.000Z (got ${JSON.stringify(at)})`);
  }
  return new Date(at);
}

interface Row {
  seq: string;
  kind: RecordKind;
  at: Date;
  fields: Record<string, unknown>;
}

function toRecord(row: Row): StoredRecord {
  return { ...row.fields, id: row.seq, kind: row.kind, at: row.at.toISOString() };
}

function encodeCursor(row: Row): string {
  return Buffer.from(JSON.stringify([row.at.toISOString(), row.seq])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; seq: string } {
  try {
    const [at, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && typeof seq === 'string' && /^\d+$/.test(seq) && !Number.isNaN(Date.parse(at))) return { at: new Date(at), seq };
  } catch {
    // falls through to the error below
  }
  throw new TypeError('the record cursor is not one this store gave out');
}

/** The filter shared by query and tally, as SQL with its parameters starting at $1. */
function filter(q: { kinds?: readonly RecordKind[]; from?: Date; to?: Date; where?: RecordQuery['where'] }, values: unknown[]): string {
  const parts: string[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (q.kinds) parts.push(`kind = ANY(${param([...q.kinds])}::text[])`);
  if (q.from) parts.push(`at >= ${param(q.from)}`);
  if (q.to) parts.push(`at < ${param(q.to)}`);
  if (q.where && Object.keys(q.where).length > 0) parts.push(`fields @> ${param(toJsonb(q.where))}::jsonb`);
  return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
}

/**
 * Records in one table (bot_records), newest first by (at, seq). An append is one INSERT committed before it
 * resolves, so a record acknowledged to a patient survives any instance being killed.
 */
export class PgRecordLog implements RecordLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(kind: RecordKind, fields: Record<string, unknown> & { at?: string }): Promise<StoredRecord> {
    if (!(RECORD_KINDS as readonly string[]).includes(kind)) throw new TypeError(`unknown record kind "${String(kind)}"`);
    const { at: given, ...rest } = fields;
    const at = given === undefined ? this.now() : isoOrThrow(given);
    for (const own of OWN_FIELDS) delete (rest as Record<string, unknown>)[own];
    const { rows } = await this.db.query<Row>('INSERT INTO bot_records (kind, at, fields) VALUES ($1, $2, $3::jsonb) RETURNING seq, kind, at, fields', [
      kind,
      at,
      toJsonb(rest),
    ]);
    return toRecord(rows[0]!);
  }

  async query(query: RecordQuery): Promise<RecordPage> {
    const limit = Math.max(1, Math.floor(query.limit ?? 100));
    const values: unknown[] = [];
    let where = filter(query, values);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      values.push(after.at, after.seq);
      where += ` AND (at, seq) < ($${values.length - 1}, $${values.length}::bigint)`;
    }
    values.push(limit + 1);
    const { rows } = await this.db.query<Row>(`SELECT seq, kind, at, fields FROM bot_records WHERE ${where} ORDER BY at DESC, seq DESC LIMIT $${values.length}`, values);
    const page = rows.slice(0, limit);
    return rows.length > limit ? { items: page.map(toRecord), next: encodeCursor(page[page.length - 1]!) } : { items: page.map(toRecord) };
  }

  async tally(query: { kinds?: readonly RecordKind[]; from?: Date; to?: Date; by: readonly string[] }): Promise<Array<{ key: Record<string, unknown>; count: number }>> {
    const values: unknown[] = [];
    const where = filter(query, values);
    const columns = query.by.map((field) => {
      if (field === 'kind') return 'to_jsonb(kind)';
      if (field === 'day') return `to_jsonb(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))`;
      if (field === 'at') return `to_jsonb(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
      if (field === 'id') return 'to_jsonb(seq::text)';
      values.push(field);
      return `fields -> $${values.length}`;
    });
    const select = columns.map((c, i) => `${c} AS g${i}`).join(', ');
    const groupBy = columns.map((_c, i) => String(i + 1)).join(', ');
    const sql =
      columns.length > 0
        ? `SELECT ${select}, count(*) AS n FROM bot_records WHERE ${where} GROUP BY ${groupBy}`
        : `SELECT count(*) AS n FROM bot_records WHERE ${where}`;
    const { rows } = await this.db.query<Record<string, unknown> & { n: string }>(sql, values);
    // A missing field (SQL NULL) and a stored null are one group: both read as null.
    const groups = new Map<string, { key: Record<string, unknown>; count: number }>();
    for (const row of rows) {
      const count = Number(row.n);
      if (columns.length === 0 && count === 0) continue;
      const key: Record<string, unknown> = {};
      query.by.forEach((field, i) => (key[field] = row[`g${i}`] ?? null));
      const id = JSON.stringify(key);
      const group = groups.get(id);
      if (group) group.count += count;
      else groups.set(id, { key, count });
    }
    return [...groups.entries()].sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const { rows } = await this.db.query<Row>('SELECT seq, kind, at, fields FROM bot_records WHERE seq = $1::bigint', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async amend(id: string, patch: Record<string, unknown>): Promise<boolean> {
    for (const own of OWN_FIELDS) {
      if (own in patch) throw new TypeError(`a record's "${own}" is the store's and cannot be amended`);
    }
    if (!/^\d{1,18}$/.test(id)) return false;
    const result = await this.db.query('UPDATE bot_records SET fields = fields || $2::jsonb WHERE seq = $1::bigint', [id, toJsonb(patch)]);
    return (result.rowCount ?? 0) > 0;
  }

  /** One instance at a time (advisory lock); an instance that finds another purging skips this round. */
  async purgeBefore(cutoff: Date, budget: number): Promise<{ removed: number; more: boolean }> {
    const limit = Math.max(0, Math.floor(budget));
    const result = await runExclusive(this.db, JOB.retention, async (client) => {
      const { rows } = await client.query<{ removed: string; found: string }>(
        `WITH candidates AS (
           SELECT seq, at FROM bot_records WHERE at < $1 ORDER BY at LIMIT $2 + 1
         ), doomed AS (
           SELECT seq FROM candidates ORDER BY at LIMIT $2
         ), deleted AS (
           DELETE FROM bot_records r USING doomed WHERE r.seq = doomed.seq RETURNING 1
         )
         SELECT (SELECT count(*) FROM deleted) AS removed, (SELECT count(*) FROM candidates) AS found`,
        [cutoff, limit],
      );
      const removed = Number(rows[0]?.removed ?? 0);
      return { removed, more: Number(rows[0]?.found ?? 0) > removed };
    });
    return result ?? { removed: 0, more: false };
  }
}
