import { expect } from 'chai';
import { ConversationStore, MAX_TRANSCRIPT_BYTES } from '../../src/directline/conversations.js';

describe('Direct Line conversation store', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('drops a conversation once it has been idle longer than the limit, and keeps an active one', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 10, now });
    const idle = store.create('idle', 'dl_a')!;
    const active = store.create('active', 'dl_b')!;
    clock += 50_000;
    store.append(active, { type: 'message', text: 'hi' });
    clock += 20_000;
    expect(store.sweep()).to.equal(1);
    expect(store.get(idle.id)).to.equal(undefined);
    expect(store.get(active.id)).to.equal(active);
  });

  it('keeps a transcript within its byte budget, dropping the oldest activities while watermarks keep counting', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 10, now });
    const c = store.create('c', 'dl_a')!;
    for (let i = 0; i < 100; i++) store.append(c, { type: 'message', text: `${i} ${'x'.repeat(9_000)}` });
    const kept = store.since(c, 0);
    expect(JSON.stringify(kept.activities).length).to.be.at.most(MAX_TRANSCRIPT_BYTES);
    expect(kept.activities.length).to.be.within(20, 30);
    expect(kept.activities.at(-1)?.text?.startsWith('99 ')).to.equal(true);
    expect(kept.watermark).to.equal(100);
  });

  it('cuts back a growing transcript once all transcripts together pass their budget, and counts what idle ones free', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 10, now, maxStoreBytes: 300 * 1024 });
    const big = (c: ReturnType<typeof store.create>) => {
      for (let i = 0; i < 40; i++) store.append(c!, { type: 'message', text: 'y'.repeat(9_000) });
    };
    const a = store.create('a', 'dl_a');
    big(a);
    expect(a!.bytes).to.be.within(200 * 1024, MAX_TRANSCRIPT_BYTES);
    clock += 30_000;
    const b = store.create('b', 'dl_b');
    big(b);
    expect(store.bytes, 'all transcripts stay near the store budget').to.be.at.most(300 * 1024 + 10_000);
    expect(b!.bytes, 'the conversation that grew past it was cut back').to.be.below(64 * 1024);
    expect(store.bytes).to.equal(a!.bytes + b!.bytes);
    clock += 40_000;
    expect(store.sweep()).to.equal(1);
    expect(store.bytes).to.equal(b!.bytes);
  });

  it('treats an expired conversation as gone even before the sweep runs', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 10, now });
    store.create('c', 'dl_a');
    clock += 60_001;
    expect(store.get('c')).to.equal(undefined);
    expect(store.size).to.equal(0);
  });

  it('makes room for a new conversation by sweeping idle ones when full', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 1, now });
    store.create('old', 'dl_a');
    expect(store.create('refused', 'dl_b')).to.equal(undefined);
    clock += 61_000;
    expect(store.create('new', 'dl_c')).not.to.equal(undefined);
  });

  it('numbers activities for watermarks and keeps counting after old ones drop off', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 1, now });
    const c = store.create('c', 'dl_a')!;
    for (let i = 1; i <= 505; i += 1) store.append(c, { type: 'message', text: `m${i}` });
    const all = store.since(c, 0);
    expect(all.watermark).to.equal(505);
    expect(all.activities).to.have.length(500);
    expect(all.activities[0]!.text).to.equal('m6');
    expect(all.activities[0]!.id).to.equal('c|0000006');
    expect(store.since(c, 503).activities.map((a) => a.text)).to.deep.equal(['m504', 'm505']);
  });

  it('moves an updated activity after the watermark so polling clients receive the new version', () => {
    const store = new ConversationStore({ idleMs: 60_000, maxConversations: 1, now });
    const c = store.create('c', 'dl_a')!;
    const first = store.append(c, { type: 'message', text: 'draft' });
    store.append(c, { type: 'message', text: 'other' });
    const seen = store.since(c, 0).watermark;
    expect(store.replace(c, { id: first.id, text: 'final' })).to.equal(true);
    const update = store.since(c, seen).activities;
    expect(update).to.have.length(1);
    expect(update[0]).to.include({ id: first.id, text: 'final' });
  });
});
