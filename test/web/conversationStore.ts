import { expect } from 'chai';
import { ConversationGoneError, MAX_TRANSCRIPT_BYTES, type ConversationStore, type WireActivity } from '../../src/directline/store.js';

/**
 * What every Direct Line conversation store does, the in-memory one and the PostgreSQL one alike. `make` gets a
 * clock the test moves, so idleness is tested without waiting.
 */
export interface StoreUnderTest {
  store: ConversationStore;
  close?(): Promise<void>;
}
export type MakeConversationStore = (options: { idleMs: number; maxConversations: number; now: () => number }) => Promise<StoreUnderTest>;

export function conversationStoreSuite(make: MakeConversationStore): void {
  let clock = 0;
  const now = () => clock;
  const opened: StoreUnderTest[] = [];
  const open = async (idleMs = 60_000, maxConversations = 10) => {
    const made = await make({ idleMs, maxConversations, now });
    opened.push(made);
    return made.store;
  };
  beforeEach(() => {
    clock = 1_000_000;
  });
  afterEach(async () => {
    for (const made of opened.splice(0)) await made.close?.();
  });

  it('drops a conversation once it has been idle longer than the limit, and keeps an active one', async () => {
    const store = await open();
    await store.create('idle', 'dl_a');
    await store.create('active', 'dl_b');
    clock += 50_000;
    await store.append('active', { type: 'message', text: 'hi' });
    clock += 20_000;
    expect(await store.sweep()).to.equal(1);
    expect(await store.get('idle')).to.equal(undefined);
    expect(await store.get('active')).to.deep.include({ id: 'active', userId: 'dl_b' });
    expect(await store.openCount()).to.equal(1);
  });

  it('counts a poll as activity, so a patient reading a long answer is not cut off', async () => {
    const store = await open();
    await store.create('c', 'dl_a');
    clock += 50_000;
    expect(await store.since('c', 0)).to.deep.equal({ activities: [], watermark: 0 });
    clock += 50_000;
    expect(await store.sweep()).to.equal(0);
    expect(await store.get('c')).not.to.equal(undefined);
  });

  it('keeps a transcript within its byte budget, dropping the oldest activities while watermarks keep counting', async () => {
    const store = await open();
    await store.create('c', 'dl_a');
    for (let i = 0; i < 100; i++) await store.append('c', { type: 'message', text: `${i} ${'x'.repeat(9_000)}` });
    const kept = (await store.since('c', 0))!;
    expect(JSON.stringify(kept.activities).length).to.be.at.most(MAX_TRANSCRIPT_BYTES);
    expect(kept.activities.length).to.be.within(20, 30);
    expect(kept.activities.at(-1)?.text?.startsWith('99 ')).to.equal(true);
    expect(kept.watermark).to.equal(100);
  });

  it('treats an expired conversation as gone even before the sweep runs', async () => {
    const store = await open();
    await store.create('c', 'dl_a');
    clock += 60_001;
    expect(await store.get('c')).to.equal(undefined);
    expect(await store.since('c', 0)).to.equal(undefined);
    let error: unknown;
    await store.append('c', { type: 'message', text: 'late' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ConversationGoneError);
  });

  it('makes room for a new conversation by sweeping idle ones when full', async () => {
    const store = await open(60_000, 1);
    await store.create('old', 'dl_a');
    expect(await store.create('refused', 'dl_b')).to.equal(undefined);
    clock += 61_000;
    expect(await store.create('new', 'dl_c')).not.to.equal(undefined);
  });

  it('numbers activities for watermarks and keeps counting after old ones drop off', async () => {
    const store = await open(60_000, 1);
    await store.create('c', 'dl_a');
    for (let i = 1; i <= 505; i += 1) await store.append('c', { type: 'message', text: `m${i}` });
    const all = (await store.since('c', 0))!;
    expect(all.watermark).to.equal(505);
    expect(all.activities).to.have.length(500);
    expect(all.activities[0]!.text).to.equal('m6');
    expect(all.activities[0]!.id).to.equal('c|0000006');
    expect((await store.since('c', 503))!.activities.map((a: WireActivity) => a.text)).to.deep.equal(['m504', 'm505']);
  });

  it('moves an updated activity after the watermark so polling clients receive the new version', async () => {
    const store = await open(60_000, 1);
    await store.create('c', 'dl_a');
    const first = await store.append('c', { type: 'message', text: 'draft' });
    await store.append('c', { type: 'message', text: 'other' });
    const seen = (await store.since('c', 0))!.watermark;
    expect(await store.replace('c', { id: first.id, text: 'final' })).to.equal(true);
    const update = (await store.since('c', seen))!.activities;
    expect(update).to.have.length(1);
    expect(update[0]).to.include({ id: first.id, text: 'final', type: 'message' });
    expect(await store.replace('c', { id: 'c|9999999', text: 'nothing' })).to.equal(false);
  });

  it('removes an activity from what later polls return', async () => {
    const store = await open();
    await store.create('c', 'dl_a');
    const a = await store.append('c', { type: 'message', text: 'a' });
    await store.append('c', { type: 'message', text: 'b' });
    expect(await store.remove('c', a.id!)).to.equal(true);
    expect(await store.remove('c', a.id!)).to.equal(false);
    expect((await store.since('c', 0))!.activities.map((x: WireActivity) => x.text)).to.deep.equal(['b']);
  });

  it('keeps what a client posted exactly, with a timestamp and the id it was given', async () => {
    const store = await open();
    await store.create('c', 'dl_a');
    const text = 'tricky: \u0000 nul, "quotes", emoji 🙂, ünïcödé';
    const stored = await store.append('c', { type: 'message', text, value: { action: 'feedback', helpful: true }, channelData: { clientActivityID: 'x1' } });
    expect(stored.id).to.equal('c|0000001');
    const [read] = (await store.since('c', 0))!.activities;
    expect(read).to.deep.include({ id: 'c|0000001', type: 'message', text, value: { action: 'feedback', helpful: true }, channelData: { clientActivityID: 'x1' } });
    expect(new Date(read!.timestamp as unknown as string).getTime()).to.equal(clock);
  });
}
