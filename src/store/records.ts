import { createHash } from 'node:crypto';
import type { Escalation } from '../core/types.js';
import { redact } from '../privacy/redact.js';
import type { RecordKind, RecordLog, StoredRecord } from './contract.js';

/** Why a record is in the staff console's inbox (src/admin/inbox.ts), and the state it starts in there. */
export type InboxReason = 'declined' | 'did-you-mean' | 'low-confidence' | 'not-helpful' | 'handoff' | 'escalation';
interface Reviewable {
  inbox?: InboxReason;
  /** `open` until staff mark it in the console (with RecordLog.amend). */
  status?: 'open';
}

interface RecordBase extends Reviewable {
  channel: string;
  /** The intent the reply was about, or null when the bot declined or triage answered first. */
  intent: string | null;
}

export interface FeedbackRecord extends RecordBase {
  helpful: boolean;
  /** What was missing, in the patient's words after a "no" (redacted), added to the vote's record when they reply. */
  comment?: string;
}
export interface UnansweredRecord extends RecordBase {
  /** What the patient asked, after redaction, so the clinic can add the FAQ it lacked. */
  text: string;
  reason: string;
  /** The model's confidence in its best intent when it replied. */
  confidence?: number;
  /** The did-you-mean choices offered. */
  suggestions?: string[];
}
/** One reply to a patient's message or button press, for the usage charts: never the patient's text. */
export interface QuestionRecord {
  channel: string;
  /** A pseudonym of the conversation (a hash of its id), so conversations per day can be counted. */
  conversation: string;
  /** The reply's kind (answer, clarify, decline, urgent, emergency, handoff, too-long). */
  outcome: string;
  intent: string | null;
  confidence: number;
  escalation: Escalation;
  /** Typed, or a button pressed (a follow-up or a did-you-mean choice). */
  via: 'typed' | 'button';
  /** The language the message was written in (ISO 639-1): "en", or the other language the bot recognised. */
  language?: string;
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
  questions: QuestionRecord;
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

function review(inbox: InboxReason): Reviewable {
  return { inbox, status: 'open' };
}

/**
 * Writes what the clinic reviews, on whichever backend's RecordLog. Every patient text goes through redact()
 * here, in one place, before storage.
 */
export class RecordStore {
  constructor(private readonly log: RecordLog) {}

  /** A vote on an answer; resolves with the record's id, which `feedbackComment` names. */
  async feedback(channel: string, intent: string, helpful: boolean): Promise<string> {
    return (await this.add('feedback', { channel, intent, helpful, ...(helpful ? {} : review('not-helpful')) })).id;
  }

  /**
   * The patient's answer to "What was missing?", redacted, on the vote's own record: the inbox shows it beside the
   * vote and the answer it was about. False when the record is gone (retention ran in between).
   */
  async feedbackComment(recordId: string, patientText: string): Promise<boolean> {
    return this.log.amend(recordId, { comment: recordedText(patientText) });
  }

  /**
   * A question the bot did not answer well: declined (the default), offered did-you-mean choices, or answered with
   * low confidence (`details.inbox`). Staff review it in the console's inbox.
   */
  async unanswered(
    channel: string,
    patientText: string,
    reason: string,
    details: { inbox?: 'declined' | 'did-you-mean' | 'low-confidence'; intent?: string | null; confidence?: number; suggestions?: string[] } = {},
  ): Promise<void> {
    const { inbox = 'declined', intent = null, confidence, suggestions } = details;
    await this.add('unanswered', {
      channel,
      intent,
      text: recordedText(patientText),
      reason,
      ...(confidence === undefined ? {} : { confidence: Number(confidence.toFixed(4)) }),
      ...(suggestions ? { suggestions } : {}),
      ...review(inbox),
    });
  }

  async escalation(channel: string, intent: string | null, level: EscalationRecord['level'], reason: string, patientText: string): Promise<void> {
    await this.add('escalations', { channel, intent, level, reason, text: recordedText(patientText), ...review('escalation') });
  }

  async handoff(channel: string): Promise<void> {
    await this.add('handoffs', { channel, intent: 'talk-to-human', ...review('handoff') });
  }

  /** One reply, counted by the console's charts. The conversation id is stored only as a pseudonym. */
  async question(
    channel: string,
    conversationId: string,
    reply: { kind: string; intent: string | null; confidence: number; escalation: Escalation; language?: { code: string } },
    via: QuestionRecord['via'],
  ): Promise<void> {
    await this.add('questions', {
      channel,
      conversation: createHash('sha256').update(`${channel}/${conversationId}`).digest('base64url').slice(0, 16),
      outcome: reply.kind,
      intent: reply.intent,
      confidence: Number(reply.confidence.toFixed(4)),
      escalation: reply.escalation,
      via,
      language: reply.language?.code ?? 'en',
    });
  }

  /** The latest records of one kind, newest first. */
  async list<K extends BotRecordKind>(kind: K, limit = 1000): Promise<Array<StoredRecord & RecordFields[K]>> {
    const page = await this.log.query({ kinds: [kind as RecordKind], limit });
    return page.items as Array<StoredRecord & RecordFields[K]>;
  }

  private async add<K extends BotRecordKind>(kind: K, fields: RecordFields[K]): Promise<StoredRecord> {
    return this.log.append(kind, { ...fields });
  }
}
