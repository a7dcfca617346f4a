import type { Escalation } from '../core/types.js';
import { redact } from '../privacy/redact.js';
import { RECORD_KINDS, type Database } from './database.js';

interface RecordBase {
  /** ISO timestamp. */
  at: string;
  channel: string;
  /** The intent the reply was about, or null when the bot declined or triage answered first. */
  intent: string | null;
}

export interface FeedbackRecord extends RecordBase {
  helpful: boolean;
}
export interface UnansweredRecord extends RecordBase {
  /** What the patient asked, after redaction, so the clinic can add the FAQ it lacked. */
  text: string;
  reason: string;
}
export interface EscalationRecord extends RecordBase {
  level: Exclude<Escalation, 'none'>;
  reason: string;
  /** The message that triggered it, after redaction, so clinicians can audit the rules. */
  text: string;
}
export type HandoffRecord = RecordBase;

export interface StoredRecords {
  feedback: FeedbackRecord[];
  unanswered: UnansweredRecord[];
  escalations: EscalationRecord[];
  handoffs: HandoffRecord[];
}

export type RecordKind = keyof StoredRecords;

/**
 * How much of a patient's message a record keeps. Enough for a clinician to see what was asked; a pasted story
 * (or a flood of them) would otherwise grow the file that every save rewrites, and slow every reply with it.
 */
export const RECORDED_TEXT_CHARS = 1000;

/** The start and the end of a long message: a pasted story usually ends with what made it urgent. */
function recordedText(patientText: string): string {
  const text = redact(patientText);
  const half = RECORDED_TEXT_CHARS / 2;
  return text.length > RECORDED_TEXT_CHARS ? `${text.slice(0, half)} … [cut] … ${text.slice(-half)}` : text;
}

/** Writes what the clinic reviews. Every patient text goes through redact() here, in one place, before storage. */
export class RecordStore {
  constructor(
    private readonly database: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get records(): StoredRecords {
    return this.database.db.data.records;
  }

  async feedback(channel: string, intent: string, helpful: boolean): Promise<void> {
    this.records.feedback.push({ at: this.stamp(), channel, intent, helpful });
    await this.database.save();
  }

  async unanswered(channel: string, patientText: string, reason: string): Promise<void> {
    this.records.unanswered.push({ at: this.stamp(), channel, intent: null, text: recordedText(patientText), reason });
    await this.database.save();
  }

  async escalation(channel: string, intent: string | null, level: EscalationRecord['level'], reason: string, patientText: string): Promise<void> {
    this.records.escalations.push({ at: this.stamp(), channel, intent, level, reason, text: recordedText(patientText) });
    await this.database.save();
  }

  async handoff(channel: string): Promise<void> {
    this.records.handoffs.push({ at: this.stamp(), channel, intent: 'talk-to-human' });
    await this.database.save();
  }

  list<K extends RecordKind>(kind: K): readonly StoredRecords[K][number][] {
    return this.records[kind];
  }

  /** Remove records and conversation state older than the retention period; returns how many went. */
  async purgeOlderThan(days: number): Promise<number> {
    const cutoff = this.now().getTime() - days * 24 * 60 * 60 * 1000;
    const keep = (iso: string) => Date.parse(iso) >= cutoff;
    let removed = 0;
    const records = this.records;
    // The known kinds only: a kind written by a newer version is kept as it is.
    for (const kind of RECORD_KINDS) {
      const before = records[kind].length;
      // The cast is safe: filtering keeps each array's own element type.
      (records[kind] as RecordBase[]) = (records[kind] as RecordBase[]).filter((r) => keep(r.at));
      removed += before - records[kind].length;
    }
    const state = this.database.db.data.state;
    for (const [key, value] of Object.entries(state)) {
      if (!keep(value.updatedAt)) {
        delete state[key];
        removed += 1;
      }
    }
    if (removed > 0) await this.database.save();
    return removed;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
