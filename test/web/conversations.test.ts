import { expect } from 'chai';
import { MAX_TRANSCRIPT_BYTES, MemoryConversationStore } from '../../src/directline/conversations.js';
import { conversationStoreSuite } from './conversationStore.js';

describe('Direct Line conversation store (in memory)', () => {
  conversationStoreSuite(async (options) => ({ store: new MemoryConversationStore(options) }));

  it('cuts back a growing transcript once all transcripts together pass their budget, and counts what idle ones free', async () => {
    let clock = 1_000_000;
    const store = new MemoryConversationStore({ idleMs: 60_000, maxConversations: 10, now: () => clock, maxStoreBytes: 300 * 1024 });
    const big = async (id: string) => {
      for (let i = 0; i < 40; i++) await store.append(id, { type: 'message', text: 'y'.repeat(9_000) });
    };
    await store.create('a', 'dl_a');
    await big('a');
    expect(store.bytesOf('a')).to.be.within(200 * 1024, MAX_TRANSCRIPT_BYTES);
    clock += 30_000;
    await store.create('b', 'dl_b');
    await big('b');
    expect(store.bytes, 'all transcripts stay near the store budget').to.be.at.most(300 * 1024 + 10_000);
    expect(store.bytesOf('b'), 'the conversation that grew past it was cut back').to.be.below(64 * 1024);
    expect(store.bytes).to.equal(store.bytesOf('a') + store.bytesOf('b'));
    clock += 40_000;
    expect(await store.sweep()).to.equal(1);
    expect(store.bytes).to.equal(store.bytesOf('b'));
  });
});
