import type { RecordLog, StoredRecord } from '../store/contract.js';

/** What a staff member did, for the audit log (records of kind `audit`: who, when, what). */
export type AuditAction =
  | 'signed-in'
  | 'sign-in-refused'
  | 'signed-out'
  | 'assigned'
  | 'assign-refused'
  | 'off-topic'
  | 'needs-content'
  | 'dismissed'
  | 'reopened'
  | 'exported-records'
  | 'exported-content-gaps'
  | 'account-added'
  | 'account-removed'
  | 'learned-exported';

export interface AuditEntry {
  id: string;
  at: string;
  who: string;
  action: AuditAction;
  /** The record or account acted on. */
  target: string | null;
  /** A short description (the intent taught, the reason a change was refused). Never a password, never patient text. */
  detail: string | null;
}

export class AuditLog {
  constructor(private readonly records: RecordLog) {}

  async write(who: string, action: AuditAction, target?: string, detail?: string): Promise<void> {
    await this.records.append('audit', { who, action, target: target ?? null, detail: detail ?? null });
  }

  async list(options: { cursor?: string; limit?: number } = {}): Promise<{ items: AuditEntry[]; next?: string }> {
    const page = await this.records.query({ kinds: ['audit'], limit: Math.min(options.limit ?? 100, 500), ...(options.cursor ? { cursor: options.cursor } : {}) });
    return { items: page.items.map(entry), ...(page.next ? { next: page.next } : {}) };
  }
}

function entry(r: StoredRecord): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    who: typeof r.who === 'string' ? r.who : '',
    action: r.action as AuditAction,
    target: typeof r.target === 'string' ? r.target : null,
    detail: typeof r.detail === 'string' ? r.detail : null,
  };
}
