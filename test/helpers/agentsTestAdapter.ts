import { BaseAdapter, TurnContext, type AttachmentData, type AttachmentInfo, type ResourceResponse } from '@microsoft/agents-hosting';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';

/**
 * The Agents SDK's counterpart of botbuilder's TestAdapter, for the conversation tests on BOT_SDK=agents: runs an
 * activity through the adapter's middleware and the agent, and keeps what the agent sent, in order, as plain JSON
 * (what a channel would receive). The Agents SDK ships no test adapter of its own.
 */
export class AgentsTestAdapter extends BaseAdapter {
  readonly sent: Array<Record<string, unknown>> = [];
  private counter = 0;

  constructor(
    private readonly logic: (context: TurnContext) => Promise<void>,
    private readonly reference: { channelId: string; conversation: { id: string } },
  ) {
    super();
  }

  /** One incoming activity, addressed as botbuilder's TestAdapter addresses its own (user → bot). */
  async receiveActivity(activity: Record<string, unknown>): Promise<void> {
    this.counter += 1;
    const incoming = Activity.fromObject({
      id: String(this.counter),
      channelId: this.reference.channelId,
      conversation: this.reference.conversation,
      from: { id: 'user', name: 'User1' },
      recipient: { id: 'bot', name: 'Bot' },
      serviceUrl: 'https://test.com',
      locale: 'en-us',
      timestamp: new Date().toISOString(),
      ...activity,
    });
    await this.runMiddleware(new TurnContext(this, incoming), this.logic);
  }

  async sendActivities(_context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    return activities.map((activity) => {
      // toJsonString: the JSON the SDK puts on the wire (channelId, not the class field behind it).
      this.sent.push(JSON.parse(activity.toJsonString()) as Record<string, unknown>);
      return { id: String(this.sent.length) };
    });
  }

  async updateActivity(): Promise<ResourceResponse | void> {
    throw new Error('the conversation never updates a sent activity');
  }
  async deleteActivity(): Promise<void> {
    throw new Error('the conversation never deletes a sent activity');
  }
  async continueConversation(_identity: unknown, _reference: Partial<ConversationReference>): Promise<void> {
    throw new Error('the conversation tests do not continue conversations');
  }
  async uploadAttachment(_context: TurnContext, _conversationId: string, _data: AttachmentData): Promise<ResourceResponse> {
    throw new Error('no attachments in the conversation tests');
  }
  async getAttachmentInfo(): Promise<AttachmentInfo> {
    throw new Error('no attachments in the conversation tests');
  }
  async getAttachment(): Promise<NodeJS.ReadableStream> {
    throw new Error('no attachments in the conversation tests');
  }
}
