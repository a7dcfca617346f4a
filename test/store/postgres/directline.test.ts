import { expect } from 'chai';
import type { PostgresBotStore } from '../../../src/store/postgres/index.js';
import { conversationStoreSuite } from '../../web/conversationStore.js';
import { createTestDatabase, openStoreOn, requirePostgres, sql, type TestDatabase } from './server.js';

describe('Direct Line conversation store (PostgreSQL)', function () {
  let database: TestDatabase;
  let store: PostgresBotStore;
  before(async function () {
    const server = await requirePostgres(this);
    database = await createTestDatabase(server);
    store = await openStoreOn(database.url);
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  conversationStoreSuite(async (options) => {
    await sql(database.url, 'TRUNCATE directline_conversations, directline_activities');
    return { store: store.conversations(options) };
  });

  it('serves a conversation opened on one instance from another: what either appends, both return at once', async () => {
    const other = await openStoreOn(database.url);
    try {
      await sql(database.url, 'TRUNCATE directline_conversations, directline_activities');
      const onA = store.conversations({ idleMs: 60_000, maxConversations: 10 });
      const onB = other.conversations({ idleMs: 60_000, maxConversations: 10 });
      await onA.create('shared', 'dl_patient');
      expect(await onB.get('shared')).to.deep.equal({ id: 'shared', userId: 'dl_patient' });
      await onB.append('shared', { type: 'message', text: 'from the patient, posted to B' });
      await onA.append('shared', { type: 'message', text: 'the reply, produced on A' });
      const polled = (await onB.since('shared', 1))!;
      expect(polled.watermark).to.equal(2);
      expect(polled.activities.map((a) => a.text)).to.deep.equal(['the reply, produced on A']);
      expect(await onA.openCount()).to.equal(1);
    } finally {
      await other.close();
    }
  });

  it('numbers activities appended by two instances at once without a gap or a repeat', async () => {
    const other = await openStoreOn(database.url);
    try {
      await sql(database.url, 'TRUNCATE directline_conversations, directline_activities');
      const onA = store.conversations({ idleMs: 60_000, maxConversations: 10 });
      const onB = other.conversations({ idleMs: 60_000, maxConversations: 10 });
      await onA.create('busy', 'dl_x');
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? onA : onB).append('busy', { type: 'message', text: `m${i}` })));
      const all = (await onA.since('busy', 0))!;
      expect(all.watermark).to.equal(40);
      expect(all.activities.map((a) => a.id)).to.deep.equal(Array.from({ length: 40 }, (_, i) => `busy|${String(i + 1).padStart(7, '0')}`));
    } finally {
      await other.close();
    }
  });
});
