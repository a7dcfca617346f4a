import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import { turnErrorHandler } from './adapter.js';
import { ConversationGoneError, type ConversationStore, type InProcessTurns, type WireActivity } from '../directline/store.js';
import { ConversationQueue } from './conversationQueue.js';

const CHANNEL_ID = 'webchat';

interface BotLike {
  run(context: TurnContext): Promise<void>;
}

/** Longest pause a bot's `delay` activity may hold a turn (the client is waiting on its POST). */
const MAX_DELAY_MS = 5000;

/**
 * botbuilder's edge for our own Direct Line (src/bot/agents/directLineAdapter.ts is the Agents SDK's).
 * Runs turns in-process for our own Direct Line: replies are appended to the conversation's log, where the
 * polling client picks them up. The bot sees the same activity shape Azure Direct Line would give it.
 */
export class DirectLineAdapter extends BotAdapter implements InProcessTurns {
  /** Turns of one conversation run one after another here, in the order their messages arrived. */
  private readonly queue = new ConversationQueue();

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
  processActivity(conversationId: string, activity: WireActivity): Promise<void> {
    return this.queue.run(conversationId, async () => {
      const context = new TurnContext(this, activity as Partial<Activity>);
      try {
        await this.runMiddleware(context, (ctx) => this.bot.run(ctx));
      } catch (error) {
        // onTurnError itself failed (e.g. the apology could not be sent): log, never crash the request.
        this.logger.error({ err: error, channel: CHANNEL_ID }, 'turn error handler failed');
      }
    });
  }


  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = this.conversationIdOf(context.activity.conversation?.id);
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
      const stored = await this.store.append(conversationId, toPlain({ ...activity, id: undefined }));
      responses.push({ id: stored.id! });
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const conversationId = this.conversationIdOf(context.activity.conversation?.id);
    if (!activity.id || !(await this.store.replace(conversationId, toPlain(activity)))) {
      throw new Error('updateActivity: no such activity in this conversation');
    }
    return { id: activity.id };
  }

  override async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = this.conversationIdOf(reference.conversation?.id ?? context.activity.conversation?.id);
    // A polling client that already fetched the activity keeps showing it; Direct Line has no "deleted" event.
    if (reference.activityId) await this.store.remove(conversationId, reference.activityId);
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const conversationId = this.conversationIdOf(reference.conversation?.id);
    if (!(await this.store.get(conversationId))) throw new ConversationGoneError(conversationId);
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.queue.run(conversationId, () => this.runMiddleware(new TurnContext(this, activity), logic));
  }

  get account(): { id: string; name: string } {
    return this.botAccount;
  }

  private conversationIdOf(id: string | undefined): string {
    if (!id) throw new ConversationGoneError('(none)');
    return id;
  }
}

/** A plain JSON copy: what a client receives, and safe from later mutation by the bot. */
function toPlain(activity: Partial<Activity>): WireActivity {
  return JSON.parse(JSON.stringify(activity)) as WireActivity;
}
