import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';

/**
 * A botbuilder adapter for the terminal: turns typed lines into message activities for the real bot and prints
 * what it sends. Its channel id ('terminal') makes the bot render plain text with numbered choices.
 */
export class TerminalAdapter extends BotAdapter {
  private nextId = 1;
  readonly reference: Partial<ConversationReference> = {
    channelId: 'terminal',
    serviceUrl: 'terminal://local',
    conversation: { id: `terminal-${process.pid}`, isGroup: false, conversationType: 'personal', name: 'terminal' },
    user: { id: 'patient', name: 'You' },
    bot: { id: 'bot', name: 'Eczema assistant' },
  };

  constructor(private readonly print: (text: string) => void) {
    super();
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) if (a.type === 'message' && a.text) this.print(a.text);
    return activities.map(() => ({ id: String(this.nextId++) }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}

  /** Run one turn of the bot with an activity from the terminal. */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const full = TurnContext.applyConversationReference({ ...activity, id: String(this.nextId++), timestamp: new Date() }, this.reference, true);
    await this.runMiddleware(new TurnContext(this, full), logic);
  }
}
