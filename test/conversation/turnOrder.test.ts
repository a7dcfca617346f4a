import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { EczemaBot } from '../../src/bot/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { Conversation } from '../../dialogs/conversation.js';
import type { ConversationTurn } from '../../src/bot/turn.js';

describe('turns of one conversation', () => {
  it('run one after another, so a slow turn’s state is not overwritten by a quick one', async () => {
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
    const state = new ConversationState(new MemoryStorage());
    const bot = new EczemaBot(slowFirst, state, silentLogger);
    const adapter = new TestAdapter(async () => undefined);
    const context = (text: string, conversation: string) =>
      new TurnContext(adapter, { type: 'message', text, channelId: 'msteams', conversation: { id: conversation }, from: { id: 'u' }, recipient: { id: 'b' } } as Partial<Activity>);

    await Promise.all([bot.run(context('first', 'c1')), bot.run(context('second', 'c1')), bot.run(context('other', 'c2'))]);
    expect(events.indexOf('end first')).to.be.lessThan(events.indexOf('start second'));
    // Another conversation is not held up by c1's slow turn.
    expect(events.indexOf('end other')).to.be.lessThan(events.indexOf('end first'));
  });
});
