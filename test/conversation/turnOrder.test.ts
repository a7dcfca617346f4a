import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { MemoryStorage as AgentsMemoryStorage, TurnContext as AgentsTurnContext } from '@microsoft/agents-hosting';
import { Activity as AgentsActivity } from '@microsoft/agents-activity';
import { EczemaBot } from '../../src/bot/bot.js';
import { createEczemaAgent } from '../../src/bot/agents/app.js';
import { silentLogger } from '../../src/logger.js';
import type { Conversation } from '../../dialogs/conversation.js';
import type { ConversationTurn } from '../../src/bot/turn.js';
import { AgentsTestAdapter } from '../helpers/agentsTestAdapter.js';

/** A message turn of one conversation on either SDK's bot, run directly (both SDKs in one run, no BOT_SDK needed). */
type RunTurn = (text: string, conversation: string) => Promise<void>;

const bots: Record<string, (conversation: Conversation) => RunTurn> = {
  botbuilder(conversation) {
    const bot = new EczemaBot(conversation, new ConversationState(new MemoryStorage()), silentLogger);
    const adapter = new TestAdapter(async () => undefined);
    return (text, id) =>
      bot.run(new TurnContext(adapter, { type: 'message', text, channelId: 'msteams', conversation: { id }, from: { id: 'u' }, recipient: { id: 'b' } } as Partial<Activity>));
  },
  agents(conversation) {
    const agent = createEczemaAgent(conversation, new AgentsMemoryStorage(), silentLogger);
    const adapter = new AgentsTestAdapter(async () => undefined, { channelId: 'msteams', conversation: { id: 'unused' } });
    return (text, id) =>
      agent.run(new AgentsTurnContext(adapter, AgentsActivity.fromObject({ type: 'message', text, channelId: 'msteams', conversation: { id }, from: { id: 'u' }, recipient: { id: 'b' } })));
  },
};

describe('turns of one conversation', () => {
  for (const [sdk, build] of Object.entries(bots)) {
    it(`run one after another on ${sdk}, so a slow turn’s state is not overwritten by a quick one`, async () => {
      const events: string[] = [];
      // A conversation that takes a while on its first message, as a slow disk or a long answer would.
      const slowFirst = {
        async welcome() {},
        async onMessage(turn: ConversationTurn) {
          events.push(`start ${turn.text}`);
          await new Promise((resolve) => setTimeout(resolve, turn.text === 'first' ? 60 : 1));
          events.push(`end ${turn.text}`);
        },
      } as unknown as Conversation;
      const run = build(slowFirst);

      await Promise.all([run('first', 'c1'), run('second', 'c1'), run('other', 'c2')]);
      expect(events.indexOf('end first')).to.be.lessThan(events.indexOf('start second'));
      // Another conversation is not held up by c1's slow turn.
      expect(events.indexOf('end other')).to.be.lessThan(events.indexOf('end first'));
      expect(events).to.have.length(6);
    });
  }
});
