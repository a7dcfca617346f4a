import { expect } from 'chai';
import { ETagConflictError, StoreUnavailableError, type BotStore, type StoredRecord } from '../../src/store/contract.js';

/**
 * The one contract test suite every BotStore backend passes (src/store/contract.ts). A backend's test file calls
 * `botStoreContract` with a harness that opens a new, empty store on a clock the test moves, and reopens the same
 * store after it was closed.
 */
export interface StoreHarness {
  /** A new, empty store whose clock is `now` (the time documents are written at and records stamped with). */
  open(now: () => Date): Promise<BotStore>;
  /** The same data again, after `previous` was closed. */
  reopen(previous: BotStore, now: () => Date): Promise<BotStore>;
}

const DAY = 24 * 60 * 60 * 1000;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to be refused');
}

/** Every record of a query, page by page, checking that pages hold no duplicates. */
async function allPages(store: BotStore, query: Parameters<BotStore['records']['query']>[0]): Promise<{ items: StoredRecord[]; pages: number }> {
  const items: StoredRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.records.query({ ...query, cursor });
    pages += 1;
    items.push(...page.items);
    cursor = page.next;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor);
  expect(new Set(items.map((r) => r.id)).size).to.equal(items.length, 'no record on two pages');
  return { items, pages };
}

export function botStoreContract(backend: string, harness: StoreHarness): void {
  describe(`BotStore contract: ${backend}`, function () {
    this.timeout(30_000);
    let now: Date;
    const clock = () => now;
    let store: BotStore;
    const open: BotStore[] = [];

    beforeEach(async () => {
      now = new Date('2026-03-01T12:00:00.000Z');
      store = await harness.open(clock);
      open.push(store);
    });
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    const reopen = async () => {
      await store.close();
      store = await harness.reopen(store, clock);
      open.push(store);
      return store;
    };

    describe('documents', () => {
      it('reads back what was written, each write with a new eTag, and leaves missing keys out', async () => {
        await store.documents.write({ 'a/1': { step: 1, nested: { list: [1, 'two', null], flag: true } } });
        const first = await store.documents.read(['a/1', 'missing']);
        expect(Object.keys(first)).to.deep.equal(['a/1']);
        expect(first['a/1']).to.deep.include({ step: 1, nested: { list: [1, 'two', null], flag: true } });
        expect(first['a/1']!.eTag).to.be.a('string').and.not.equal('');
        await store.documents.write({ 'a/1': { step: 2 } });
        const second = await store.documents.read(['a/1']);
        expect(second['a/1']).to.deep.equal({ step: 2, eTag: second['a/1']!.eTag });
        expect(second['a/1']!.eTag).to.not.equal(first['a/1']!.eTag);
      });

      it('gives copies: changing what was read or written does not change the store', async () => {
        const item = { list: [1] };
        await store.documents.write({ k: item });
        item.list.push(2);
        const read = await store.documents.read(['k']);
        (read.k!.list as number[]).push(3);
        expect((await store.documents.read(['k'])).k!.list).to.deep.equal([1]);
      });

      it('refuses a stale eTag with botbuilder\'s conflict message and keeps the stored document', async () => {
        await store.documents.write({ k: { step: 1 } });
        const seen = (await store.documents.read(['k'])).k!;
        await store.documents.write({ k: { ...seen, step: 2 } });
        const error = await rejection(store.documents.write({ k: { ...seen, step: 3 } }));
        expect(error).to.be.instanceOf(ETagConflictError);
        expect(error.message).to.equal('Storage: error writing "k" due to eTag conflict.');
        expect((await store.documents.read(['k'])).k!.step).to.equal(2);
      });

      it('accepts the current eTag, and overwrites with "*" or without an eTag', async () => {
        await store.documents.write({ k: { step: 1 } });
        const seen = (await store.documents.read(['k'])).k!;
        await store.documents.write({ k: { ...seen, step: 2 } });
        await store.documents.write({ k: { step: 3, eTag: '*' } });
        expect((await store.documents.read(['k'])).k!.step).to.equal(3);
        await store.documents.write({ k: { step: 4 } });
        expect((await store.documents.read(['k'])).k!.step).to.equal(4);
      });

      it('creates a document that does not exist yet even when the write names an eTag', async () => {
        await store.documents.write({ fresh: { step: 1, eTag: 'an-etag-from-a-deleted-document' } });
        expect((await store.documents.read(['fresh'])).fresh!.step).to.equal(1);
      });

      it('changes nothing for the conflicting key of a batch', async () => {
        await store.documents.write({ a: { v: 1 }, b: { v: 1 } });
        const seen = await store.documents.read(['a', 'b']);
        await store.documents.write({ a: { v: 2 } });
        await rejection(store.documents.write({ a: { ...seen.a, v: 3 }, b: { v: 3 } }));
        expect((await store.documents.read(['a'])).a!.v).to.equal(2);
      });

      it('deletes documents and ignores keys that are not there', async () => {
        await store.documents.write({ a: { v: 1 }, b: { v: 2 } });
        await store.documents.delete(['a', 'never-written']);
        expect(Object.keys(await store.documents.read(['a', 'b']))).to.deep.equal(['b']);
        await store.documents.write({ a: { v: 3 } });
        expect((await store.documents.read(['a'])).a!.v).to.equal(3);
      });

      it('keeps keys with slashes, spaces, quotes and non-ASCII letters apart', async () => {
        const keys = ['conversation/msteams/conversations/19:abc@thread.v2', 'x y', 'quote"d', '中文/会话', 'emoji 🙂'];
        await store.documents.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
        const read = await store.documents.read(keys);
        expect(keys.map((k) => read[k]?.i)).to.deep.equal([0, 1, 2, 3, 4]);
      });

      it('lists keys under a prefix in ascending order, with a limit and an `after`, across batches', async () => {
        await store.documents.write({ 'staff/c': {}, 'staff/a': {}, other: {}, 'staff/b': {} });
        await store.documents.write({ 'staff/d': {}, staf: {} });
        expect(await store.documents.list('staff/')).to.deep.equal(['staff/a', 'staff/b', 'staff/c', 'staff/d']);
        expect(await store.documents.list('staff/', { limit: 2 })).to.deep.equal(['staff/a', 'staff/b']);
        expect(await store.documents.list('staff/', { limit: 2, after: 'staff/b' })).to.deep.equal(['staff/c', 'staff/d']);
        expect(await store.documents.list('staff/', { after: 'staff/d' })).to.deep.equal([]);
        expect(await store.documents.list('nothing/')).to.deep.equal([]);
        await store.documents.delete(['staff/b']);
        expect(await store.documents.list('staff/')).to.deep.equal(['staff/a', 'staff/c', 'staff/d']);
      });

      it('lists at most 1,000 keys unless told otherwise', async () => {
        await store.documents.write(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`many/${String(i).padStart(4, '0')}`, { i }])));
        const first = await store.documents.list('many/');
        expect(first).to.have.length(1000);
        expect(first[0]).to.equal('many/0000');
        expect(await store.documents.list('many/', { after: first[999] })).to.deep.equal(['many/1000']);
      });

      it('purges documents under a prefix written before the cutoff, within a budget, saying whether more remain', async () => {
        await store.documents.write({ 'conversation/1': {}, 'conversation/2': {}, 'conversation/3': {}, 'staff/old': {} });
        now = new Date(now.getTime() + 10 * DAY);
        await store.documents.write({ 'conversation/4': {} });
        // Rewritten after the cutoff: it counts as new.
        await store.documents.write({ 'conversation/2': { again: true } });
        const cutoff = new Date(now.getTime() - DAY);

        expect(await store.documents.purgeBefore('conversation/', cutoff, 1)).to.deep.equal({ removed: 1, more: true });
        expect(await store.documents.purgeBefore('conversation/', cutoff, 10)).to.deep.equal({ removed: 1, more: false });
        expect(await store.documents.purgeBefore('conversation/', cutoff, 10)).to.deep.equal({ removed: 0, more: false });
        expect(await store.documents.list('')).to.deep.equal(['conversation/2', 'conversation/4', 'staff/old']);
      });
    });

    describe('records', () => {
      it('appends a record with an id, its kind and a time, and gives it back as stored', async () => {
        const stored = await store.records.append('feedback', { channel: 'webchat', intent: 'triggers', helpful: true });
        expect(stored).to.deep.include({ kind: 'feedback', at: '2026-03-01T12:00:00.000Z', channel: 'webchat', intent: 'triggers', helpful: true });
        expect(stored.id).to.be.a('string').and.not.equal('');
        const page = await store.records.query({});
        expect(page.items).to.deep.equal([stored]);
        expect(page.next).to.equal(undefined);
      });

      it('gives one record back by its id, amended, and nothing for an id it never gave or has purged', async () => {
        const stored = await store.records.append('unanswered', { channel: 'webchat', text: 'parking', status: 'open' });
        expect(await store.records.get(stored.id)).to.deep.equal(stored);
        await store.records.amend(stored.id, { status: 'dismissed' });
        expect(await store.records.get(stored.id)).to.deep.equal({ ...stored, status: 'dismissed' });
        expect(await store.records.get('no-such-id')).to.equal(undefined);
        await store.records.purgeBefore(new Date(Date.parse(stored.at) + 1), 10);
        expect(await store.records.get(stored.id)).to.equal(undefined);
      });

      it('keeps a given time, and refuses one that is not a timestamp', async () => {
        const stored = await store.records.append('handoffs', { channel: 'msteams', at: '2025-12-24T08:30:00.000Z' });
        expect(stored.at).to.equal('2025-12-24T08:30:00.000Z');
        expect(await rejection(store.records.append('handoffs', { channel: 'x', at: 'last Tuesday' }))).to.be.instanceOf(TypeError);
        expect((await store.records.query({})).items).to.have.length(1);
      });

      it('gives unique ids, newest first, even for records of the same millisecond', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await store.records.append('unanswered', { n: i })).id);
        expect(new Set(ids).size).to.equal(5);
        expect((await store.records.query({})).items.map((r) => r.n)).to.deep.equal([4, 3, 2, 1, 0]);
      });

      it('filters by kinds, by time (from inclusive, to exclusive) and by field values', async () => {
        const at = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();
        await store.records.append('feedback', { at: at(1), intent: 'triggers', helpful: true });
        await store.records.append('feedback', { at: at(2), intent: 'triggers', helpful: false });
        await store.records.append('unanswered', { at: at(2), intent: null, text: 'parking' });
        await store.records.append('escalations', { at: at(3), intent: 'infection', level: 'urgent' });
        await store.records.append('feedback', { at: at(4), intent: 'biologics', helpful: true });
        const n = async (q: Parameters<BotStore['records']['query']>[0]) => (await store.records.query(q)).items.map((r) => `${r.kind}@${r.at.slice(8, 10)}`);

        expect(await n({ kinds: ['feedback'] })).to.deep.equal(['feedback@04', 'feedback@02', 'feedback@01']);
        expect(await n({ kinds: ['unanswered', 'escalations'] })).to.deep.equal(['escalations@03', 'unanswered@02']);
        expect(await n({ from: new Date(at(2)), to: new Date(at(4)) })).to.deep.equal(['escalations@03', 'unanswered@02', 'feedback@02']);
        expect(await n({ where: { intent: 'triggers' } })).to.deep.equal(['feedback@02', 'feedback@01']);
        expect(await n({ where: { helpful: true, intent: 'biologics' } })).to.deep.equal(['feedback@04']);
        expect(await n({ where: { intent: null } })).to.deep.equal(['unanswered@02']);
        expect(await n({ kinds: ['audit'] })).to.deep.equal([]);
      });

      it('pages newest first with a cursor, each record once, also among records of the same time', async () => {
        for (let i = 0; i < 23; i++) {
          if (i % 5 === 0) now = new Date(now.getTime() + 1000);
          await store.records.append(i % 2 ? 'feedback' : 'unanswered', { n: i });
        }
        const { items, pages } = await allPages(store, { limit: 4 });
        expect(pages).to.equal(6);
        expect(items.map((r) => r.n)).to.deep.equal(Array.from({ length: 23 }, (_, i) => 22 - i));
        const feedback = await allPages(store, { kinds: ['feedback'], limit: 3 });
        expect(feedback.items.map((r) => r.n)).to.deep.equal([21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
        const last = await store.records.query({ limit: 23 });
        expect(last.items).to.have.length(23);
        expect(last.next, 'no cursor when nothing is left').to.equal(undefined);
      });

      it('keeps a page sequence stable while new records arrive', async () => {
        for (let i = 0; i < 6; i++) await store.records.append('feedback', { n: i });
        const first = await store.records.query({ limit: 3 });
        now = new Date(now.getTime() + 1000);
        await store.records.append('feedback', { n: 99 });
        const second = await store.records.query({ limit: 3, cursor: first.next });
        expect([...first.items, ...second.items].map((r) => r.n)).to.deep.equal([5, 4, 3, 2, 1, 0]);
      });

      it('tallies by kind, by UTC day and by fields, within a time range; a missing field counts as null', async () => {
        await store.records.append('feedback', { at: '2026-01-01T23:59:59.000Z', intent: 'triggers', helpful: true });
        await store.records.append('feedback', { at: '2026-01-02T00:00:00.000Z', intent: 'triggers', helpful: false });
        await store.records.append('feedback', { at: '2026-01-02T10:00:00.000Z', intent: 'triggers', helpful: true });
        await store.records.append('unanswered', { at: '2026-01-02T11:00:00.000Z', text: 'x' });
        await store.records.append('feedback', { at: '2026-01-05T10:00:00.000Z', intent: 'biologics', helpful: true });
        const sorted = (rows: Array<{ key: Record<string, unknown>; count: number }>) =>
          rows.map((r) => `${JSON.stringify(r.key)}=${r.count}`).sort();

        expect(sorted(await store.records.tally({ by: ['kind'] }))).to.deep.equal(['{"kind":"feedback"}=4', '{"kind":"unanswered"}=1']);
        expect(sorted(await store.records.tally({ by: ['day'], kinds: ['feedback'] }))).to.deep.equal([
          '{"day":"2026-01-01"}=1',
          '{"day":"2026-01-02"}=2',
          '{"day":"2026-01-05"}=1',
        ]);
        const rows = await store.records.tally({ by: ['day', 'intent'], from: new Date('2026-01-02T00:00:00.000Z'), to: new Date('2026-01-05T10:00:00.000Z') });
        expect(sorted(rows)).to.deep.equal(['{"day":"2026-01-02","intent":"triggers"}=2', '{"day":"2026-01-02","intent":null}=1']);
        expect(rows[0]!.count, 'the biggest group first').to.equal(2);
        expect(sorted(await store.records.tally({ by: ['helpful'], kinds: ['feedback'] }))).to.deep.equal(['{"helpful":false}=1', '{"helpful":true}=3']);
        expect(await store.records.tally({ by: ['kind'], kinds: ['audit'] })).to.deep.equal([]);
      });

      it('amends one record in place, keeps its id, kind, time and order, and refuses to change those', async () => {
        const a = await store.records.append('unanswered', { text: 'first', reviewed: false });
        now = new Date(now.getTime() + 1000);
        const b = await store.records.append('unanswered', { text: 'second' });
        expect(await store.records.amend(a.id, { reviewed: true, reviewedBy: 'staff-1' })).to.equal(true);
        const items = (await store.records.query({})).items;
        expect(items.map((r) => r.id)).to.deep.equal([b.id, a.id]);
        expect(items[1]).to.deep.equal({ ...a, reviewed: true, reviewedBy: 'staff-1' });
        expect((await store.records.query({ where: { reviewed: true } })).items.map((r) => r.id)).to.deep.equal([a.id]);
        expect(await store.records.amend('no-such-record', { reviewed: true })).to.equal(false);
        for (const patch of [{ id: 'x' }, { kind: 'feedback' }, { at: '2020-01-01T00:00:00.000Z' }]) {
          expect(await rejection(store.records.amend(a.id, patch))).to.be.instanceOf(TypeError);
        }
        expect((await store.records.query({})).items[1]).to.deep.equal({ ...a, reviewed: true, reviewedBy: 'staff-1' });
      });

      it('purges records older than the cutoff, at most a budget at a time, saying whether more remain', async () => {
        for (let d = 1; d <= 5; d++) await store.records.append('feedback', { at: new Date(Date.UTC(2026, 0, d)).toISOString(), d });
        const cutoff = new Date(Date.UTC(2026, 0, 4));
        expect(await store.records.purgeBefore(cutoff, 2)).to.deep.equal({ removed: 2, more: true });
        expect(await store.records.purgeBefore(cutoff, 2)).to.deep.equal({ removed: 1, more: false });
        expect(await store.records.purgeBefore(cutoff, 2)).to.deep.equal({ removed: 0, more: false });
        expect((await store.records.query({})).items.map((r) => r.d)).to.deep.equal([5, 4]);
      });
    });

    describe('the store', () => {
      it('is healthy while open; closing twice is safe; afterwards writes are refused as unavailable', async () => {
        expect(store.healthy()).to.equal(true);
        await store.close();
        await store.close();
        expect(store.healthy()).to.equal(false);
        expect(await rejection(store.documents.write({ k: {} }))).to.be.instanceOf(StoreUnavailableError);
        expect(await rejection(store.records.append('feedback', {}))).to.be.instanceOf(StoreUnavailableError);
      });

      it('keeps documents, eTags, deletions, records, amendments and purges across a reopen', async () => {
        await store.documents.write({ a: { v: 1 }, b: { v: 2 }, c: { v: 3 } });
        await store.documents.write({ b: { v: 20 } });
        await store.documents.delete(['c']);
        const eTags = await store.documents.read(['a', 'b']);
        const old = await store.records.append('feedback', { at: '2025-01-01T00:00:00.000Z', intent: 'old' });
        const kept = await store.records.append('unanswered', { text: 'kept' });
        await store.records.amend(kept.id, { reviewed: true });
        await store.records.purgeBefore(new Date('2025-06-01T00:00:00.000Z'), 10);
        expect(old.id).to.not.equal(kept.id);

        const again = await reopen();
        expect(await again.documents.read(['a', 'b', 'c'])).to.deep.equal(eTags);
        expect(await again.documents.list('')).to.deep.equal(['a', 'b']);
        expect((await again.records.query({})).items).to.deep.equal([{ ...kept, reviewed: true }]);
        // New ids after a reopen do not repeat old ones.
        const next = await again.records.append('feedback', { intent: 'new' });
        expect([kept.id, old.id]).to.not.include(next.id);
        // The stale eTag is still stale after the reopen.
        await again.documents.write({ a: { v: 10 } });
        expect(await rejection(again.documents.write({ a: { ...eTags.a, v: 11 } }))).to.be.instanceOf(ETagConflictError);
      });
    });
  });
}
