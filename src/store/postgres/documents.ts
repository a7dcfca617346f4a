import { randomBytes } from 'node:crypto';
import { ETagConflictError, type DocumentStore, type StoreItem, type StoreItems } from '../contract.js';
import type { Db } from './db.js';
import { JOB, runExclusive } from './locks.js';

/** A fresh eTag: time-ordered for a reader of the table, random so two instances never make the same one. */
function newETag(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('base64url')}`;
}

/** The smallest string greater than every string starting with `prefix` (keys compare by code point, COLLATE "C"). */
export function prefixEnd(prefix: string): string | null {
  if (prefix === '') return null;
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  if (last >= 0x10ffff) return null;
  return chars.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
}

type Query = Db['query'];

/**
 * Documents in one table (bot_documents). A write with a specific eTag is one conditional upsert: it changes the
 * row only when the stored eTag still matches, so of two instances writing the same version one wins and the other
 * gets botbuilder's conflict message. A batch of several runs in one transaction: a conflict changes nothing.
 */
export class PgDocumentStore implements DocumentStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(keys: readonly string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const { rows } = await this.db.query<{ key: string; etag: string; body: Record<string, unknown> }>(
      'SELECT key, etag, body FROM bot_documents WHERE key = ANY($1::text[])',
      [[...new Set(keys)]],
    );
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.body, eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const writeAll = async (query: Query) => {
      for (const [key, item] of entries) await this.writeOne(query, key, item);
    };
    if (entries.length === 1) await writeAll((text, values) => this.db.query(text, values));
    else await this.db.transaction((client) => writeAll((text, values) => client.query(text, values)));
  }

  private async writeOne(query: Query, key: string, item: StoreItem | undefined): Promise<void> {
    const { eTag, ...body } = item ?? {};
    const values = [key, newETag(), JSON.stringify(body), this.now()];
    // botbuilder's rule: no eTag, an empty one or "*" overwrites whatever is stored.
    if (eTag === undefined || eTag === '' || eTag === '*') {
      await query(
        `INSERT INTO bot_documents (key, etag, body, written_at) VALUES ($1, $2, $3::json, $4)
         ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, body = EXCLUDED.body, written_at = EXCLUDED.written_at`,
        values,
      );
      return;
    }
    const result = await query(
      `INSERT INTO bot_documents (key, etag, body, written_at) VALUES ($1, $2, $3::json, $4)
       ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, body = EXCLUDED.body, written_at = EXCLUDED.written_at
       WHERE bot_documents.etag = $5
       RETURNING key`,
      [...values, String(eTag)],
    );
    if (result.rowCount === 0) throw new ETagConflictError(key);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('DELETE FROM bot_documents WHERE key = ANY($1::text[])', [[...keys]]);
  }

  async list(prefix: string, options: { limit?: number; after?: string } = {}): Promise<string[]> {
    const limit = options.limit ?? 1000;
    if (limit <= 0) return [];
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT key FROM bot_documents
       WHERE key >= $1 AND ($2::text IS NULL OR key < $2) AND starts_with(key, $1) AND ($3::text IS NULL OR key > $3)
       ORDER BY key LIMIT $4`,
      [prefix, prefixEnd(prefix), options.after ?? null, limit],
    );
    return rows.map((r) => r.key);
  }

  /** One instance at a time (advisory lock); an instance that finds another purging skips this round. */
  async purgeBefore(prefix: string, cutoff: Date, budget: number): Promise<{ removed: number; more: boolean }> {
    const limit = Math.max(0, Math.floor(budget));
    const result = await runExclusive(this.db, JOB.retention, async (client) => {
      const { rows } = await client.query<{ removed: string; found: string }>(
        `WITH candidates AS (
           SELECT key, written_at FROM bot_documents
           WHERE key >= $1 AND ($2::text IS NULL OR key < $2) AND starts_with(key, $1) AND written_at < $3
           ORDER BY written_at LIMIT $4 + 1
         ), doomed AS (
           SELECT key FROM candidates ORDER BY written_at LIMIT $4
         ), deleted AS (
           DELETE FROM bot_documents d USING doomed WHERE d.key = doomed.key RETURNING 1
         )
         SELECT (SELECT count(*) FROM deleted) AS removed, (SELECT count(*) FROM candidates) AS found`,
        [prefix, prefixEnd(prefix), cutoff, limit],
      );
      const removed = Number(rows[0]?.removed ?? 0);
      return { removed, more: Number(rows[0]?.found ?? 0) > removed };
    });
    return result ?? { removed: 0, more: false };
  }
}
