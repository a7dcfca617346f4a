import { BaseAdapter, TurnContext, type AttachmentData, type AttachmentInfo, type ResourceResponse } from '@microsoft/agents-hosting';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { Logger } from 'pino';
import { ConversationGoneError, type ConversationStore, type InProcessTurns, type WireActivity } from '../../directline/store.js';
import { turnErrorHandler } from '../turnError.js';
import { wireToActivity } from './activity.js';
import { ConversationQueue } from '../conversationQueue.js';

/** Longest pause a bot's `delay` activity may hold a turn (the client is waiting on its POST). */
const MAX_DELAY_MS = 5000;

/**
 * The Agents SDK's edge for our own Direct Line (src/bot/directLineAdapter.ts is botbuilder's): runs turns
 * in-process, and appends the bot's replies to the conversation's log, where the polling client picks them up.
 */
export class AgentsDirectLineAdapter extends BaseAdapter implements InProcessTurns {
  /** Turns of one conversation run one after another here, in the order their messages arrived. */
  private readonly queue = new ConversationQueue();

  constructor(
    private readonly store: ConversationStore,
    private readonly bot: { run(context: TurnContext): Promise<void> },
    private readonly botAccount: { id: string; name: string },
    private readonly logger: Logger,
  ) {
    super();
    this.onTurnError = turnErrorHandler(logger);
  }

  processActivity(conversationId: string, activity: WireActivity): Promise<void> {
    return this.queue.run(conversationId, async () => {
      const context = new TurnContext(this, wireToActivity(activity));
      try {
        await this.runMiddleware(context, (ctx) => this.bot.run(ctx));
      } catch (error) {
        this.logger.error({ err: error, channel: 'webchat' }, 'turn error handler failed');
      }
    });
  }


  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
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
      if (activity.type === 'trace' || activity.type === 'invokeResponse') {
        responses.push({ id: '' });
        continue;
      }
      const stored = await this.store.append(conversationId, { ...toPlain(activity), id: undefined });
      responses.push({ id: stored.id! });
    }
    return responses;
  }

  async updateActivity(context: TurnContext, activity: Activity): Promise<ResourceResponse | void> {
    const conversationId = this.conversationIdOf(context.activity.conversation?.id);
    if (!activity.id || !(await this.store.replace(conversationId, toPlain(activity)))) {
      throw new Error('updateActivity: no such activity in this conversation');
    }
    return { id: activity.id };
  }

  async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = this.conversationIdOf(reference.conversation?.id ?? context.activity.conversation?.id);
    if (reference.activityId) await this.store.remove(conversationId, reference.activityId);
  }

  async continueConversation(_identity: unknown, reference: ConversationReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const conversationId = this.conversationIdOf(reference.conversation?.id);
    if (!(await this.store.get(conversationId))) throw new ConversationGoneError(conversationId);
    const activity = Activity.getContinuationActivity(reference);
    await this.queue.run(conversationId, () => this.runMiddleware(new TurnContext(this, activity), logic));
  }

  // Web Chat on our Direct Line uploads nothing (src/directline/incoming.ts refuses attachments).
  async uploadAttachment(_context: TurnContext, _conversationId: string, _data: AttachmentData): Promise<ResourceResponse> {
    throw new Error('attachments are not supported on the built-in Direct Line');
  }
  async getAttachmentInfo(_context: TurnContext, _attachmentId: string): Promise<AttachmentInfo> {
    throw new Error('attachments are not supported on the built-in Direct Line');
  }
  async getAttachment(_context: TurnContext, _attachmentId: string, _viewId: string): Promise<NodeJS.ReadableStream> {
    throw new Error('attachments are not supported on the built-in Direct Line');
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
function toPlain(activity: Activity): WireActivity {
  return JSON.parse(JSON.stringify(activity)) as WireActivity;
}
