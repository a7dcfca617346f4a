import {
  ConversationGoneError,
  ConversationStoreUnavailableError,
  MAX_ACTIVITIES_KEPT,
  MAX_TRANSCRIPT_BYTES,
  type ConversationStore,
  type DirectLineConversation,
  type WireActivity,
} from '../../directline/store.js';
import { DatabaseUnavailableError, type Db } from './db.js';
import { JOB, runExclusive } from './locks.js';

type Query = Db['query'];

interface ActivityRow {
  watermark: string;
  activity_id: string | null;
  at: Date | null;
  activity: WireActivity | null;
}

/** Idle conversations ended per sweep step; the next minute's sweep takes the rest. */
const SWEEP_BATCH = 1000;

/**
 * Our own Direct Line's conversations in PostgreSQL, so every instance serves every conversation: a reply that a
 * turn on instance A appends is in the very next poll a Web Chat sends to instance B (one indexed query on the
 * conversation's watermark). The watermark is the conversation row's counter, incremented in the same statement
 * that inserts the activity, so a poll can never see a watermark ahead of the activities it numbers.
 */
export class PgConversationStore implements ConversationStore {
  constructor(
    private readonly db: Db,
    private readonly options: { idleMs: number; maxConversations: number; now?: () => number },
  ) {}

  private nowMs(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Conversations last active before this are over. */
  private cutoff(now = this.nowMs()): Date {
    return new Date(now - this.options.idleMs);
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DatabaseUnavailableError) throw new ConversationStoreUnavailableError(err.message);
      throw err;
    }
  }

  private query: Query = (text, values) => this.db.query(text, values);

  get(id: string): Promise<DirectLineConversation | undefined> {
    return this.run(async () => {
      const { rows } = await this.query<{ id: string; user_id: string }>(
        'SELECT id, user_id FROM directline_conversations WHERE id = $1 AND last_active_at >= $2',
        [id, this.cutoff()],
      );
      return rows[0] ? { id: rows[0].id, userId: rows[0].user_id } : undefined;
    });
  }

  create(id: string, userId: string): Promise<DirectLineConversation | undefined> {
    return this.run(async () => {
      const now = this.nowMs();
      // A token may outlive its conversation: the expired one is ended first, as the sweep would.
      await this.query('DELETE FROM directline_conversations WHERE id = $1 AND last_active_at < $2', [id, this.cutoff(now)]);
      // Only open conversations count against the limit, so idle ones never keep a new patient out.
      const { rows } = await this.query<{ id: string }>(
        `INSERT INTO directline_conversations (id, user_id, created_at, last_active_at)
         SELECT $1, $2, $3, $3
         WHERE (SELECT count(*) FROM directline_conversations WHERE last_active_at >= $4) < $5
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [id, userId, new Date(now), this.cutoff(now), this.options.maxConversations],
      );
      return rows[0] ? { id, userId } : undefined;
    });
  }

  append(conversationId: string, activity: WireActivity): Promise<WireActivity> {
    return this.run(() => this.appendWith(this.query, conversationId, activity));
  }

  private async appendWith(query: Query, conversationId: string, activity: WireActivity): Promise<WireActivity> {
    const now = this.nowMs();
    const { id: givenId, timestamp: _timestamp, ...rest } = activity;
    const body = JSON.stringify(rest);
    // What the activity weighs as a client receives it: its JSON, plus the id and timestamp added on the way out.
    const bytes = body.length + (givenId ?? conversationId).length + 60;
    const { rows } = await query<{ seq: string; activity_id: string; bytes: string }>(
      `WITH c AS (
         UPDATE directline_conversations SET seq = seq + 1, bytes = bytes + $3, last_active_at = $4
         WHERE id = $1 AND last_active_at >= $5
         RETURNING seq, bytes
       ), a AS (
         INSERT INTO directline_activities (conversation_id, seq, activity_id, at, activity, bytes)
         SELECT $1, c.seq, coalesce($2, $1 || '|' || lpad(c.seq::text, 7, '0')), $4, $6::json, $3 FROM c
         RETURNING seq, activity_id
       )
       SELECT a.seq, a.activity_id, c.bytes FROM a, c`,
      [conversationId, givenId ?? null, bytes, new Date(now), this.cutoff(now), body],
    );
    const row = rows[0];
    if (!row) throw new ConversationGoneError(conversationId);
    const seq = Number(row.seq);
    if (seq > MAX_ACTIVITIES_KEPT || Number(row.bytes) > MAX_TRANSCRIPT_BYTES) await this.trim(query, conversationId, seq);
    return { ...rest, id: row.activity_id, timestamp: new Date(now) };
  }

  /** Drops the oldest activities beyond the count and byte budgets, always keeping the newest. */
  private async trim(query: Query, conversationId: string, newest: number): Promise<void> {
    await query(
      `WITH ranked AS (
         SELECT seq, bytes,
                sum(bytes) OVER (ORDER BY seq DESC) AS newer_bytes,
                row_number() OVER (ORDER BY seq DESC) AS newer_count
         FROM directline_activities WHERE conversation_id = $1
       ), deleted AS (
         DELETE FROM directline_activities a USING ranked r
         WHERE a.conversation_id = $1 AND a.seq = r.seq AND r.seq < $2 AND (r.newer_count > $3 OR r.newer_bytes > $4)
         RETURNING a.bytes
       )
       UPDATE directline_conversations SET bytes = bytes - (SELECT coalesce(sum(bytes), 0) FROM deleted) WHERE id = $1`,
      [conversationId, newest, MAX_ACTIVITIES_KEPT, MAX_TRANSCRIPT_BYTES],
    );
  }

  replace(conversationId: string, activity: WireActivity): Promise<boolean> {
    return this.run(() =>
      this.db.transaction(async (client) => {
        const query: Query = (text, values) => client.query(text, values);
        const { rows } = await query<{ activity: WireActivity }>(
          `DELETE FROM directline_activities a USING directline_conversations c
           WHERE a.conversation_id = $1 AND a.activity_id = $2 AND c.id = a.conversation_id AND c.last_active_at >= $3
           RETURNING a.activity`,
          [conversationId, activity.id ?? '', this.cutoff()],
        );
        const previous = rows[0]?.activity;
        if (!previous) {
          if (!(await this.openWith(query, conversationId))) throw new ConversationGoneError(conversationId);
          return false;
        }
        await this.appendWith(query, conversationId, { ...previous, ...activity, id: activity.id });
        return true;
      }),
    );
  }

  remove(conversationId: string, activityId: string): Promise<boolean> {
    return this.run(async () => {
      if (!(await this.openWith(this.query, conversationId))) throw new ConversationGoneError(conversationId);
      const { rows } = await this.query<{ bytes: number }>(
        `WITH deleted AS (DELETE FROM directline_activities WHERE conversation_id = $1 AND activity_id = $2 RETURNING bytes)
         UPDATE directline_conversations SET bytes = bytes - (SELECT coalesce(sum(bytes), 0) FROM deleted)
         WHERE id = $1 RETURNING (SELECT count(*) FROM deleted) AS removed`,
        [conversationId, activityId],
      );
      return Number((rows[0] as { removed?: string } | undefined)?.removed ?? 0) > 0;
    });
  }

  private async openWith(query: Query, conversationId: string): Promise<boolean> {
    const { rows } = await query('SELECT 1 FROM directline_conversations WHERE id = $1 AND last_active_at >= $2', [conversationId, this.cutoff()]);
    return rows.length > 0;
  }

  since(conversationId: string, watermark: number): Promise<{ activities: WireActivity[]; watermark: number } | undefined> {
    return this.run(async () => {
      const now = this.nowMs();
      // A poll keeps the conversation open, but one write a second per open chat would be most of the database's
      // work: the time is moved on only when it is a quarter of the idle limit (at most 30 s) old.
      const touchAfter = new Date(now - Math.min(30_000, this.options.idleMs / 4));
      const { rows } = await this.query<ActivityRow>(
        `WITH c AS (
           SELECT id, seq, last_active_at FROM directline_conversations WHERE id = $1 AND last_active_at >= $3
         ), touched AS (
           UPDATE directline_conversations d SET last_active_at = $4 FROM c WHERE d.id = c.id AND c.last_active_at < $5
         )
         SELECT c.seq AS watermark, a.activity_id, a.at, a.activity
         FROM c LEFT JOIN directline_activities a ON a.conversation_id = c.id AND a.seq > $2
         ORDER BY a.seq`,
        [conversationId, watermark, this.cutoff(now), new Date(now), touchAfter],
      );
      if (rows.length === 0) return undefined;
      const activities = rows
        .filter((r) => r.activity !== null)
        .map((r) => ({ ...r.activity!, id: r.activity_id!, timestamp: r.at! }));
      return { activities, watermark: Number(rows[0]!.watermark) };
    });
  }

  /** One instance at a time (advisory lock); the others find nothing to do. */
  sweep(): Promise<number> {
    return this.run(async () => {
      const removed = await runExclusive(this.db, JOB.directLineSweep, async (client) => {
        const { rowCount } = await client.query(
          `DELETE FROM directline_conversations WHERE id IN (
             SELECT id FROM directline_conversations WHERE last_active_at < $1 LIMIT $2
           )`,
          [this.cutoff(), SWEEP_BATCH],
        );
        return rowCount ?? 0;
      });
      return removed ?? 0;
    });
  }

  openCount(): Promise<number> {
    return this.run(async () => {
      const { rows } = await this.query<{ n: string }>('SELECT count(*) AS n FROM directline_conversations WHERE last_active_at >= $1', [this.cutoff()]);
      return Number(rows[0]?.n ?? 0);
    });
  }

  async close(): Promise<void> {
    // The conversations stay in the database for the other instances; the pool is the store's to close.
  }
}
