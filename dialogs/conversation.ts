import { followAlarm, type Alarm } from '../src/core/alarm.js';
import type { Answerer, ClinicInfo, IntentLink, Reply, Turn } from '../src/core/answer.js';
import { memoryFrom, type ConversationMemory } from '../src/core/context/memory.js';
import type { Escalation } from '../src/core/types.js';
import type { Choice } from '../src/bot/choices.js';
import { parseChoice } from '../src/bot/choices.js';
import { renderReply, renderWelcome, type Rendered } from '../src/bot/cards.js';
import { reminderText } from '../src/bot/replyText.js';
import type { RecordStore } from '../src/store/records.js';
import { redact } from '../src/privacy/redact.js';
import type { Logger } from '../src/logger.js';
import type { ConversationTurn, TurnOutcome } from '../src/bot/turn.js';

export { OUTCOME_KEY, type TurnOutcome } from '../src/bot/turn.js';

/**
 * Per-conversation memory, kept in conversation state by the SDK edge (under "flow") and saved after the turn.
 * It never holds what the patient typed, except redacted.
 */
export interface Flow {
  welcomed?: boolean;
  /** Choices of the last reply, so "2" typed in a plain-text channel presses the second button. */
  choices?: Choice[];
  /** The last question the bot was unsure of, redacted, recorded as unanswered if the patient says "none of these". */
  unclear?: string;
  /** The last red flag, so the replies that follow it keep its advice (see core/alarm.ts). */
  alarm?: Alarm;
  /** What the answerer remembers between turns: the last topic, a danger, the bot's own question (core/context). */
  context?: ConversationMemory;
  /**
   * After a "no" on an answer, the vote's record, which the patient's answer to "What was missing?" is added to.
   * Kept for the next message only: whatever that message is, it is forgotten after it.
   */
  missing?: { intent: string; record: string };
}

/**
 * Answers given with less confidence than this go to the staff console's inbox too ("low-confidence answer"), so
 * staff see the answers the bot was least sure of. The decision rule answers from 0.75 (data/nlu.yaml), or lower
 * for a wording it was trained on word for word.
 */
export const REVIEW_ANSWERS_BELOW = 0.85;

/** Channels whose clients render Adaptive Cards; elsewhere (terminal, SMS-like channels) numbered text. */
const CARD_CHANNELS = new Set(['webchat', 'directline', 'msteams', 'emulator']);

export interface ConversationDeps {
  answerer: Answerer;
  records: RecordStore;
  clinic: ClinicInfo;
  /** Example questions offered as buttons in the welcome. */
  examples: IntentLink[];
  logger: Logger;
  /** Milliseconds since the epoch; tests move it to see a red flag's reminder expire. */
  now?: () => number;
}

/**
 * The conversation a patient has: welcome, answers, did-you-mean, declines, escalations, feedback and handoff.
 * The medical decisions are made by the answerer; this file only turns them into messages and records.
 */
export class Conversation {
  constructor(private readonly deps: ConversationDeps) {}

  /** A member joined (Web Chat's conversationUpdate): the welcome, once. `flow` is changed in place. */
  async welcome(context: ConversationTurn, flow: Flow): Promise<void> {
    if (!flow.welcomed) await this.sendWelcome(context, flow);
  }

  /** A message or a card submit. `flow` is the conversation's memory, changed in place; the edge saves it. */
  async onMessage(context: ConversationTurn, flow: Flow): Promise<void> {
    const text = typeof context.text === 'string' ? context.text : '';
    const choice = parseChoice(context.value) ?? this.typedChoice(text, flow);
    // The vote waiting for "what was missing" waits for this message only.
    const missing = missingFrom(flow.missing);
    delete flow.missing;

    if (choice) await this.onChoice(context, flow, choice);
    else if (text.trim() === '' && context.value !== undefined) await this.send(context, flow, this.deps.answerer.answer(''));
    else await this.onQuestion(context, flow, text, missing);
  }

  private async onQuestion(context: ConversationTurn, flow: Flow, text: string, missing?: Flow['missing']): Promise<void> {
    const turn = this.deps.answerer.converse(text, this.memory(flow));
    if (turn.own?.kind === 'missing') return this.onWhatWasMissing(context, flow, text, turn, missing);
    // A "yes", "no", "ok" or a choice's title answers the bot's own question: handled as the button it stands for.
    if (turn.own) return this.onOwnReply(context, flow, turn);
    await this.answered(context, flow, text, turn);
  }

  /**
   * The patient's reply to "What was missing?": kept, redacted, on the vote's record. A red flag in it is answered
   * as any red flag (its advice, its records); otherwise the thanks, with the clinic to call or book.
   */
  private async onWhatWasMissing(context: ConversationTurn, flow: Flow, text: string, turn: Turn, missing?: Flow['missing']): Promise<void> {
    const own = turn.own as Extract<NonNullable<Turn['own']>, { kind: 'missing' }>;
    if (turn.reply.kind === 'acknowledge') {
      flow.context = turn.memory;
      flow.unclear = undefined;
      await this.send(context, flow, turn.reply);
      this.setOutcome(context, { intent: own.intent, confidence: null, escalation: 'none', kind: 'feedback' });
    } else {
      await this.answered(context, flow, text, turn);
    }
    if (own.comment && missing && missing.intent === own.intent) {
      await this.record(context, 'what was missing', async () => {
        await this.deps.records.feedbackComment(missing.record, text);
      });
    }
  }

  /** A message read as a question: its reply, then the records of it. */
  private async answered(context: ConversationTurn, flow: Flow, text: string, turn: Turn): Promise<void> {
    flow.context = turn.memory;
    const reply = turn.reply;
    flow.unclear = reply.kind === 'clarify' ? redact(text) : undefined;
    await this.send(context, flow, reply);

    const channel = context.channelId;
    await this.record(context, 'the reply', async () => {
      if (reply.kind !== 'empty') await this.deps.records.question(channel, context.conversationId, reply, 'typed');
      if (reply.kind === 'decline') await this.deps.records.unanswered(channel, text, reply.declineReason ?? 'no match', { confidence: reply.confidence });
      if (reply.kind === 'clarify') {
        const suggestions = reply.suggestions.map((s) => s.intent);
        await this.deps.records.unanswered(channel, text, 'did-you-mean', { inbox: 'did-you-mean', confidence: reply.confidence, suggestions });
      }
      if (reply.kind === 'answer' && reply.confidence < REVIEW_ANSWERS_BELOW) {
        await this.deps.records.unanswered(channel, text, 'answered with low confidence', { inbox: 'low-confidence', intent: reply.intent, confidence: reply.confidence });
      }
      if (reply.escalation !== 'none') await this.deps.records.escalation(channel, reply.intent, reply.escalation, reply.escalationReason, text);
      if (reply.kind === 'handoff') await this.deps.records.handoff(channel);
    });
  }

  /** A typed reply to the bot's own question, answered like the button it stands for ("ok" has none). */
  private async onOwnReply(context: ConversationTurn, flow: Flow, turn: Turn): Promise<void> {
    const own = turn.own!;
    switch (own.kind) {
      case 'choose':
        return this.onChoice(context, flow, { action: 'choose', intent: own.intent }, 'typed');
      case 'none':
        return this.onChoice(context, flow, { action: 'none' }, 'typed');
      case 'feedback':
        return this.onChoice(context, flow, { action: 'feedback', intent: own.intent, helpful: own.helpful }, 'typed');
      case 'ok':
      case 'more':
        flow.context = turn.memory;
        flow.unclear = undefined;
        if (turn.reply.kind === 'acknowledge') {
          flow.choices = [];
          this.setOutcome(context, { intent: null, confidence: null, escalation: 'none', kind: 'acknowledge' });
          await this.remindOfAlarm(context, flow, 'none', false);
          await context.send(turn.reply.message ?? '');
        } else {
          await this.send(context, flow, turn.reply);
        }
        return;
    }
  }

  private async onChoice(context: ConversationTurn, flow: Flow, choice: Choice, how: 'button' | 'typed' = 'button'): Promise<void> {
    const channel = context.channelId;
    const memory = this.memory(flow);
    switch (choice.action) {
      case 'ask':
      case 'choose': {
        flow.unclear = undefined;
        const turn = this.deps.answerer.pressed(choice.intent, memory);
        flow.context = turn.memory;
        const reply = turn.reply;
        await this.send(context, flow, reply);
        await this.record(context, 'the choice', async () => {
          await this.deps.records.question(channel, context.conversationId, reply, how === 'typed' ? 'typed' : 'button');
          if (reply.kind === 'handoff') await this.deps.records.handoff(channel);
          if (reply.escalation !== 'none') await this.deps.records.escalation(channel, reply.intent, reply.escalation, reply.escalationReason, '');
        });
        return;
      }
      case 'none': {
        const unclear = flow.unclear;
        flow.unclear = undefined;
        flow.context = this.deps.answerer.ownReply({ kind: 'none' }, memory).memory;
        await this.send(context, flow, { ...this.deps.answerer.answer(''), kind: 'decline' });
        if (unclear) await this.record(context, 'the unclear question', () => this.deps.records.unanswered(channel, unclear, 'none of the suggestions fitted'));
        return;
      }
      case 'feedback': {
        flow.choices = [];
        // The acknowledgement asks "anything else?", so the conversation remembers that question.
        const turn = this.deps.answerer.ownReply({ kind: 'feedback', intent: choice.intent, helpful: choice.helpful }, memory);
        flow.context = turn.memory;
        this.setOutcome(context, { intent: choice.intent, confidence: null, escalation: 'none', kind: 'feedback' });
        await this.remindOfAlarm(context, flow, 'none', false);
        await context.send(turn.reply.message ?? '');
        if (this.deps.answerer.canBeRated(choice.intent)) {
          await this.record(context, 'the feedback', async () => {
            const record = await this.deps.records.feedback(channel, choice.intent, choice.helpful);
            // The acknowledgement of a "no" asked what was missing: the next message's answer goes on this record.
            if (turn.memory.asked?.kind === 'missing') flow.missing = { intent: choice.intent, record };
          });
        }
        return;
      }
    }
  }

  /**
   * Records are written after the patient has the reply, and a failed write (disk full, lock lost) is logged,
   * never shown: the clinic's review list must not stand between a patient and an emergency number.
   */
  private async record(context: ConversationTurn, what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.deps.logger.error({ err: (err as Error).message, conversationId: context.conversationId }, `could not record ${what}`);
    }
  }

  /**
   * The answerer's memory of this conversation. A red flag's danger is forgotten with its alarm (half an hour), so a
   * later, calm visit in the same conversation is not answered as the emergency it once was.
   */
  private memory(flow: Flow): ConversationMemory {
    const memory = memoryFrom(flow.context);
    if (flow.alarm && !followAlarm(flow.alarm, 'none', false, (this.deps.now ?? Date.now)()).alarm) delete memory.danger;
    return memory;
  }

  /** A bare number in reply to numbered choices presses that choice. */
  private typedChoice(text: string, flow: Flow): Choice | undefined {
    const match = /^\s*(\d{1,2})\s*\.?\s*$/.exec(text);
    if (!match || !flow.choices) return undefined;
    return flow.choices[Number(match[1]) - 1];
  }

  private async sendWelcome(context: ConversationTurn, flow: Flow): Promise<void> {
    flow.welcomed = true;
    const rendered = renderWelcome(this.deps.clinic, this.deps.examples, this.useCards(context));
    flow.choices = rendered.choices;
    await this.deliver(context, rendered);
  }

  private async send(context: ConversationTurn, flow: Flow, reply: Reply): Promise<void> {
    await this.remindOfAlarm(context, flow, reply.escalation, reply.redFlag !== undefined);
    // First contact without a conversationUpdate (some channels never send one): welcome before any reply —
    // except an emergency, whose message comes first and alone; the welcome waits for the next message.
    if (!flow.welcomed && reply.kind !== 'emergency') await this.sendWelcome(context, flow);
    const rendered = renderReply(reply, this.deps.clinic, this.useCards(context));
    flow.choices = rendered.choices;
    this.setOutcome(context, { intent: reply.intent, confidence: reply.confidence, escalation: reply.escalation, kind: reply.kind });
    await this.deliver(context, rendered);
  }

  /** Before a reply that carries less than a recent red flag, repeat that red flag's advice, first. */
  private async remindOfAlarm(context: ConversationTurn, flow: Flow, escalation: Escalation, raised: boolean): Promise<void> {
    const step = followAlarm(flow.alarm, escalation, raised, (this.deps.now ?? Date.now)());
    flow.alarm = step.alarm;
    if (step.remind) await context.send(reminderText(step.remind, this.deps.clinic));
  }

  private async deliver(context: ConversationTurn, rendered: Rendered): Promise<void> {
    for (const message of rendered.messages) await context.send(message);
  }

  private useCards(context: ConversationTurn): boolean {
    return CARD_CHANNELS.has(context.channelId);
  }

  private setOutcome(context: ConversationTurn, outcome: TurnOutcome): void {
    context.setOutcome(outcome);
  }
}

/** The waiting vote as stored state may hold it (an older bot's state, a bad write: nothing waits). */
function missingFrom(value: unknown): Flow['missing'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.intent === 'string' && typeof v.record === 'string' ? { intent: v.intent, record: v.record } : undefined;
}
