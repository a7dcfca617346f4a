import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import { turnErrorHandler } from '../bot/adapter.js';
import type { Conversation, ConversationStore } from './conversations.js';

export const CHANNEL_ID = 'webchat';

export interface BotLike {
  run(context: TurnContext): Promise<void>;
}

/** Longest pause a bot's `delay` activity may hold a turn (the client is waiting on its POST). */
const MAX_DELAY_MS = 5000;

/**
 * Runs turns in-process for our own Direct Line: replies are appended to the conversation's log, where the
 * polling client picks them up. The bot sees the same activity shape Azure Direct Line would give it.
 */
export class DirectLineAdapter extends BotAdapter {
  constructor(
    private readonly store: ConversationStore,
    private readonly bot: BotLike,
    private readonly botAccount: { id: string; name: string },
    private readonly logger: Logger,
  ) {
    super();
    // The same apology with a log reference as /api/messages: the patient gets no internals.
    this.onTurnError = turnErrorHandler(logger);
  }

  /** Runs one incoming activity through middleware and the bot, after the conversation's earlier turns. */
  processActivity(conversation: Conversation, activity: Partial<Activity>): Promise<void> {
    const turn = conversation.queue.then(async () => {
      const context = new TurnContext(this, activity);
      try {
        await this.runMiddleware(context, (ctx) => this.bot.run(ctx));
      } catch (error) {
        // onTurnError itself failed (e.g. the apology could not be sent): log, never crash the request.
        this.logger.error({ err: error, channel: CHANNEL_ID }, 'turn error handler failed');
      }
    });
    conversation.queue = turn;
    return turn;
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversation = this.conversationOf(context.activity.conversation?.id);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        const ms = typeof activity.value === 'number' ? Math.min(Math.max(activity.value, 0), MAX_DELAY_MS) : 1000;
        await new Promise((resolve) => setTimeout(resolve, ms));
        responses.push({ id: '' });
        continue;
      }
      // Trace activities are for the Emulator; invoke responses are for HTTP channels. Neither reaches Web Chat.
      if (activity.type === ActivityTypes.Trace || activity.type === ActivityTypes.InvokeResponse) {
        responses.push({ id: '' });
        continue;
      }
      const stored = this.store.append(conversation, toPlain({ ...activity, id: undefined }));
      responses.push({ id: stored.id! });
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const conversation = this.conversationOf(context.activity.conversation?.id);
    if (!activity.id || !this.store.replace(conversation, toPlain(activity))) {
      throw new Error('updateActivity: no such activity in this conversation');
    }
    return { id: activity.id };
  }

  override async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversation = this.conversationOf(reference.conversation?.id ?? context.activity.conversation?.id);
    // A polling client that already fetched the activity keeps showing it; Direct Line has no "deleted" event.
    if (reference.activityId) this.store.remove(conversation, reference.activityId);
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const conversation = this.conversationOf(reference.conversation?.id);
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    const turn = conversation.queue.then(() => this.runMiddleware(new TurnContext(this, activity), logic));
    conversation.queue = turn.catch(() => undefined);
    await turn;
  }

  get account(): { id: string; name: string } {
    return this.botAccount;
  }

  private conversationOf(id: string | undefined): Conversation {
    const conversation = id ? this.store.get(id) : undefined;
    if (!conversation) throw new Error('conversation not found or expired');
    return conversation;
  }
}

/** A plain JSON copy: what a client receives, and safe from later mutation by the bot. */
function toPlain(activity: Partial<Activity>): Partial<Activity> {
  return JSON.parse(JSON.stringify(activity)) as Partial<Activity>;
}
