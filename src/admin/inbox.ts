/**
 * The inbox: what the bot could not answer well, as the clinic reviews it. It reads the records the bot writes
 * (src/store/records.ts) through the RecordLog contract and marks them with `amend`; it never changes what a
 * record says the patient wrote (already redacted when it was stored).
 */
import type { IntentModel } from '../nlu/index.js';
import type { Content } from '../core/types.js';
import type { RecordKind, RecordLog, RecordQuery, StoredRecord } from '../store/contract.js';

/** Why an item is in the inbox. */
export const INBOX_REASONS = ['declined', 'did-you-mean', 'low-confidence', 'not-helpful', 'handoff', 'escalation'] as const;
export type InboxReason = (typeof INBOX_REASONS)[number];

/** What staff decided about an item. `open` is what the bot writes; the rest are the console's marks. */
export const INBOX_STATUSES = ['open', 'assigned', 'off-topic', 'needs-content', 'dismissed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export const INBOX_KINDS: readonly RecordKind[] = ['unanswered', 'feedback', 'escalations', 'handoffs'];

const KIND_OF_REASON: Record<InboxReason, RecordKind> = {
  declined: 'unanswered',
  'did-you-mean': 'unanswered',
  'low-confidence': 'unanswered',
  'not-helpful': 'feedback',
  handoff: 'handoffs',
  escalation: 'escalations',
};

export interface Guess {
  intent: string;
  title: string;
  confidence: number;
}

export interface InboxItem {
  id: string;
  kind: RecordKind;
  reason: InboxReason;
  /** ISO time. */
  at: string;
  channel: string;
  /** What the patient wrote, redacted when it was stored; empty when the record has none (a button press). */
  text: string;
  /** The patient's comment on a "not helpful" vote, redacted, when they left one. */
  comment: string | null;
  /** The intent the bot answered, or the vote was about; null when it answered none. */
  intent: string | null;
  /** The bot's confidence when it replied, when the record has it. */
  confidence: number | null;
  /** Why the bot declined or escalated, as recorded. */
  detail: string | null;
  /** Escalation level, for escalations. */
  level: string | null;
  /** The did-you-mean choices the patient was offered, when recorded. */
  suggestions: string[];
  /** The best guesses of the model in force now, for the text (empty without text). */
  guesses: Guess[];
  status: InboxStatus | 'unmarked';
  review: { by: string; at: string; intent?: string; note?: string } | null;
  /** Why the last attempt to teach this item was refused, if it was. */
  refused: string | null;
}

export interface InboxFilter {
  reason?: InboxReason;
  /** `all` shows every status. Default `open`. */
  status?: InboxStatus | 'all';
  intent?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The reason of a record, including records written before the bot wrote `inbox` (undefined: not for review). */
export function reasonOf(record: StoredRecord): InboxReason | undefined {
  const written = str(record.inbox);
  if (written && (INBOX_REASONS as readonly string[]).includes(written)) return written as InboxReason;
  switch (record.kind) {
    case 'unanswered':
      return 'declined';
    case 'feedback':
      return record.helpful === false ? 'not-helpful' : undefined;
    case 'handoffs':
      return 'handoff';
    case 'escalations':
      return 'escalation';
    default:
      return undefined;
  }
}

export function statusOf(record: StoredRecord): InboxItem['status'] {
  const s = str(record.status);
  return s && (INBOX_STATUSES as readonly string[]).includes(s) ? (s as InboxStatus) : 'unmarked';
}

export class Inbox {
  constructor(
    private readonly records: RecordLog,
    private readonly current: () => { model: IntentModel; content: Content; outOfScope: string },
  ) {}

  query(filter: InboxFilter): RecordQuery {
    const where: NonNullable<RecordQuery['where']> = {};
    const status = filter.status ?? 'open';
    if (status !== 'all') where.status = status;
    if (filter.reason) where.inbox = filter.reason;
    if (filter.intent) where.intent = filter.intent;
    return {
      kinds: filter.reason ? [KIND_OF_REASON[filter.reason]] : INBOX_KINDS,
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
      ...(Object.keys(where).length > 0 ? { where } : {}),
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      ...(filter.cursor ? { cursor: filter.cursor } : {}),
    };
  }

  async list(filter: InboxFilter): Promise<{ items: InboxItem[]; next?: string }> {
    const page = await this.records.query(this.query(filter));
    const items = page.items.map((r) => this.item(r)).filter((i): i is InboxItem => i !== undefined);
    return { items, ...(page.next ? { next: page.next } : {}) };
  }

  /** One record as an inbox item, or undefined when it is not one (an audit entry, a positive vote). */
  item(record: StoredRecord): InboxItem | undefined {
    const reason = reasonOf(record);
    if (!reason || !INBOX_KINDS.includes(record.kind)) return undefined;
    const text = str(record.text) ?? '';
    const review = record.review && typeof record.review === 'object' ? (record.review as InboxItem['review']) : null;
    return {
      id: record.id,
      kind: record.kind,
      reason,
      at: record.at,
      channel: str(record.channel) ?? '',
      text,
      comment: str(record.comment),
      intent: str(record.intent),
      confidence: num(record.confidence),
      detail: str(record.reason),
      level: str(record.level),
      suggestions: Array.isArray(record.suggestions) ? record.suggestions.filter((s): s is string => typeof s === 'string') : [],
      guesses: text ? this.guesses(text) : [],
      status: statusOf(record),
      review,
      refused: str(record.refused),
    };
  }

  /** The model in force's three best intents for a text, out-of-scope included (it is what "off-topic" teaches). */
  guesses(text: string): Guess[] {
    const { model, content, outOfScope } = this.current();
    return model
      .classify(text)
      .slice(0, 3)
      .map((s) => ({
        intent: s.intent,
        title: s.intent === outOfScope ? 'Off-topic (declined)' : (content.entries.get(s.intent)?.title ?? s.intent),
        confidence: Number(s.confidence.toFixed(3)),
      }));
  }

  /** An inbox record by id, or undefined when there is none of the inbox kinds. */
  async get(id: string): Promise<StoredRecord | undefined> {
    const record = await this.records.get(id);
    return record && INBOX_KINDS.includes(record.kind) ? record : undefined;
  }
}
