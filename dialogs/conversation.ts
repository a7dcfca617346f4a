import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Answerer, ClinicInfo, IntentLink, Reply } from '../src/core/answer.js';
import type { Choice } from '../src/bot/choices.js';
import { parseChoice } from '../src/bot/choices.js';
import { renderReply, renderWelcome, type Rendered } from '../src/bot/cards.js';
import type { RecordStore } from '../src/store/records.js';
import { redact } from '../src/privacy/redact.js';

/** What the turn log line reports; set by the conversation, read by the bot after the turn. */
export interface TurnOutcome {
  intent: string | null;
  confidence: number | null;
  escalation: string;
  kind: string;
}
export const OUTCOME_KEY = Symbol('turnOutcome');

/** Per-conversation memory. It never holds what the patient typed, except redacted. */
interface Flow {
  welcomed?: boolean;
  /** Choices of the last reply, so "2" typed in a plain-text channel presses the second button. */
  choices?: Choice[];
  /** The last question the bot was unsure of, redacted, recorded as unanswered if the patient says "none of these". */
  unclear?: string;
}

/** Channels whose clients render Adaptive Cards; elsewhere (terminal, SMS-like channels) numbered text. */
const CARD_CHANNELS = new Set(['webchat', 'directline', 'msteams', 'emulator']);

export interface ConversationDeps {
  answerer: Answerer;
  records: RecordStore;
  clinic: ClinicInfo;
  conversationState: ConversationState;
  /** Example questions offered as buttons in the welcome. */
  examples: IntentLink[];
}

/**
 * The conversation a patient has: welcome, answers, did-you-mean, declines, escalations, feedback and handoff.
 * The medical decisions are made by the answerer; this file only turns them into messages and records.
 */
export class Conversation {
  private readonly flow: StatePropertyAccessor<Flow>;

  constructor(private readonly deps: ConversationDeps) {
    this.flow = deps.conversationState.createProperty<Flow>('flow');
  }

  async welcome(context: TurnContext): Promise<void> {
    const flow = await this.flow.get(context, {});
    if (!flow.welcomed) await this.sendWelcome(context, flow);
  }

  async onMessage(context: TurnContext): Promise<void> {
    const flow = await this.flow.get(context, {});
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    const choice = parseChoice(context.activity.value) ?? this.typedChoice(text, flow);

    // First contact without a conversationUpdate (some channels never send one): welcome before answering.
    if (!flow.welcomed && !choice) await this.sendWelcome(context, flow);

    if (choice) await this.onChoice(context, flow, choice);
    else if (text.trim() === '' && context.activity.value !== undefined) await this.send(context, flow, this.deps.answerer.answer(''));
    else await this.onQuestion(context, flow, text);
  }

  private async onQuestion(context: TurnContext, flow: Flow, text: string): Promise<void> {
    const reply = this.deps.answerer.answer(text);
    const channel = context.activity.channelId;
    flow.unclear = reply.kind === 'clarify' ? redact(text) : undefined;
    if (reply.kind === 'decline') await this.deps.records.unanswered(channel, text, reply.declineReason ?? 'no match');
    if (reply.escalation !== 'none') await this.deps.records.escalation(channel, reply.intent, reply.escalation, reply.escalationReason, text);
    if (reply.kind === 'handoff') await this.deps.records.handoff(channel);
    await this.send(context, flow, reply);
  }

  private async onChoice(context: TurnContext, flow: Flow, choice: Choice): Promise<void> {
    const channel = context.activity.channelId;
    switch (choice.action) {
      case 'ask':
      case 'choose': {
        flow.unclear = undefined;
        const reply = this.deps.answerer.answerIntent(choice.intent);
        if (reply.kind === 'handoff') await this.deps.records.handoff(channel);
        if (reply.escalation !== 'none') await this.deps.records.escalation(channel, reply.intent, reply.escalation, reply.escalationReason, '');
        await this.send(context, flow, reply);
        return;
      }
      case 'none': {
        if (flow.unclear) await this.deps.records.unanswered(channel, flow.unclear, 'none of the suggestions fitted');
        flow.unclear = undefined;
        await this.send(context, flow, { ...this.deps.answerer.answer(''), kind: 'decline' });
        return;
      }
      case 'feedback': {
        await this.deps.records.feedback(channel, choice.intent, choice.helpful);
        flow.choices = [];
        this.setOutcome(context, { intent: choice.intent, confidence: null, escalation: 'none', kind: 'feedback' });
        await context.sendActivity(choice.helpful ? 'Thank you, glad it helped.' : 'Thank you for telling us. The clinic reviews this feedback to improve the answers.');
        return;
      }
    }
  }

  /** A bare number in reply to numbered choices presses that choice. */
  private typedChoice(text: string, flow: Flow): Choice | undefined {
    const match = /^\s*(\d{1,2})\s*\.?\s*$/.exec(text);
    if (!match || !flow.choices) return undefined;
    return flow.choices[Number(match[1]) - 1];
  }

  private async sendWelcome(context: TurnContext, flow: Flow): Promise<void> {
    flow.welcomed = true;
    const rendered = renderWelcome(this.deps.clinic, this.deps.examples, this.useCards(context));
    flow.choices = rendered.choices;
    await this.deliver(context, rendered);
  }

  private async send(context: TurnContext, flow: Flow, reply: Reply): Promise<void> {
    const rendered = renderReply(reply, this.deps.clinic, this.useCards(context));
    flow.choices = rendered.choices;
    this.setOutcome(context, { intent: reply.intent, confidence: reply.confidence, escalation: reply.escalation, kind: reply.kind });
    await this.deliver(context, rendered);
  }

  private async deliver(context: TurnContext, rendered: Rendered): Promise<void> {
    for (const message of rendered.messages) await context.sendActivity({ type: 'message', ...message });
  }

  private useCards(context: TurnContext): boolean {
    return CARD_CHANNELS.has(context.activity.channelId);
  }

  private setOutcome(context: TurnContext, outcome: TurnOutcome): void {
    context.turnState.set(OUTCOME_KEY, outcome);
  }
}
