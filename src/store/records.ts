import type { Escalation } from '../core/types.js';
import { redact } from '../privacy/redact.js';
import type { RecordKind, RecordLog, StoredRecord } from './contract.js';

interface RecordBase {
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

/** The fields of each kind the bot writes, as the store gives them back (with id, kind and at). */
export interface RecordFields {
  feedback: FeedbackRecord;
  unanswered: UnansweredRecord;
  escalations: EscalationRecord;
  handoffs: HandoffRecord;
}
export type BotRecordKind = keyof RecordFields;

/**
 * How much of a patient's message a record keeps. Enough for a clinician to see what was asked; a pasted story
 * (or a flood of them) would otherwise fill the store with text nobody reads.
 */
export const RECORDED_TEXT_CHARS = 1000;

/** The start and the end of a long message: a pasted story usually ends with what made it urgent. */
function recordedText(patientText: string): string {
  const text = redact(patientText);
  const half = RECORDED_TEXT_CHARS / 2;
  return text.length > RECORDED_TEXT_CHARS ? `${text.slice(0, half)} … [cut] … ${text.slice(-half)}` : text;
}

/**
 * Writes what the clinic reviews, on whichever backend's RecordLog. Every patient text goes through redact()
 * here, in one place, before storage.
 */
export class RecordStore {
  constructor(private readonly log: RecordLog) {}

  async feedback(channel: string, intent: string, helpful: boolean): Promise<void> {
    await this.add('feedback', { channel, intent, helpful });
  }

  async unanswered(channel: string, patientText: string, reason: string): Promise<void> {
    await this.add('unanswered', { channel, intent: null, text: recordedText(patientText), reason });
  }

  async escalation(channel: string, intent: string | null, level: EscalationRecord['level'], reason: string, patientText: string): Promise<void> {
    await this.add('escalations', { channel, intent, level, reason, text: recordedText(patientText) });
  }

  async handoff(channel: string): Promise<void> {
    await this.add('handoffs', { channel, intent: 'talk-to-human' });
  }

  /** The latest records of one kind, newest first. */
  async list<K extends BotRecordKind>(kind: K, limit = 1000): Promise<Array<StoredRecord & RecordFields[K]>> {
    const page = await this.log.query({ kinds: [kind as RecordKind], limit });
    return page.items as Array<StoredRecord & RecordFields[K]>;
  }

  private async add<K extends BotRecordKind>(kind: K, fields: RecordFields[K]): Promise<void> {
    await this.log.append(kind, { ...fields });
  }
}
