import { expect } from 'chai';
import { silentLogger } from '../../../src/logger.js';
import { ETagConflictError, eTagConflictMessage } from '../../../src/store/contract.js';
import { DatabaseUnavailableError } from '../../../src/store/postgres/db.js';
import { DatabaseStartupError, type PostgresBotStore } from '../../../src/store/postgres/index.js';
import { MIGRATIONS_TABLE, SchemaTooNewError, knownMigrations } from '../../../src/store/postgres/migrate.js';
import { createTestDatabase, openStoreOn, requirePostgres, sql, type TestDatabase } from './server.js';
import { relayTo } from './proxy.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL store', function () {
  let server: string;
  let database: TestDatabase;
  const open: PostgresBotStore[] = [];
  const openStore = async (url = database.url, overrides: Record<string, string> = {}) => {
    const store = await openStoreOn(url, overrides);
    open.push(store);
    return store;
  };

  before(async function () {
    server = await requirePostgres(this);
  });
  beforeEach(async () => {
    database = await createTestDatabase(server);
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await database.drop();
  });

  describe('schema migrations', () => {
    it('applies the schema once when several instances start on an empty database at the same moment', async () => {
      const stores = await Promise.all([openStore(), openStore(), openStore(), openStore()]);
      expect(stores.every((s) => s.healthy())).to.equal(true);
      const applied = await sql<{ name: string }>(database.url, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
      expect(applied.map((r) => r.name)).to.deep.equal(knownMigrations());
      const tables = await sql<{ n: string }>(database.url, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bot_%'");
      expect(Number(tables[0]!.n)).to.be.at.least(3);
    });

    it('stops start-up with one line naming the migration when the database has a newer schema than this code', async () => {
      await (await openStore()).close();
      await sql(database.url, `INSERT INTO ${MIGRATIONS_TABLE} (name, run_on) VALUES ('999_from_a_newer_bot', now())`);
      const error = await openStoreOn(database.url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(SchemaTooNewError);
      expect((error as Error).message).to.match(/newer schema than this version of the bot knows.*999_from_a_newer_bot/);
      expect((error as Error).message).not.to.include('\n');
    });

    it('stops start-up with one clear line when the database does not exist or cannot be reached, without the password', async () => {
      const missing = new URL(server);
      missing.pathname = '/no_such_database_here';
      missing.password = 'secret-password';
      const notThere = await openStoreOn(missing.toString()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(notThere).to.be.instanceOf(DatabaseStartupError);
      expect((notThere as Error).message).to.match(/does not exist/);

      const closed = new URL(server);
      closed.port = '1';
      closed.password = 'secret-password';
      const unreachable = await openStoreOn(closed.toString(), { DATABASE_STARTUP_WAIT_MS: '300' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(unreachable).to.be.instanceOf(DatabaseStartupError);
      expect((unreachable as Error).message).to.match(/Cannot reach the database .*:1\//);
      for (const e of [notThere, unreachable]) expect((e as Error).message).not.to.include('secret-password');
    });
  });

  describe('documents with eTags across instances', () => {
    it('accepts the write of the instance that read the latest version and refuses the stale one with botbuilder’s message', async () => {
      const a = await openStore();
      const b = await openStore();
      await a.documents.write({ 'conversation/x': { flow: 'start' } });
      const seenByA = (await a.documents.read(['conversation/x']))['conversation/x']!;
      const seenByB = (await b.documents.read(['conversation/x']))['conversation/x']!;
      expect(seenByA.eTag).to.be.a('string').and.equal(seenByB.eTag);

      await a.documents.write({ 'conversation/x': { ...seenByA, flow: 'by A' } });
      const stale = await b.documents.write({ 'conversation/x': { ...seenByB, flow: 'by B' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(stale).to.be.instanceOf(ETagConflictError);
      expect((stale as Error).message).to.equal(eTagConflictMessage('conversation/x'));
      expect((await b.documents.read(['conversation/x']))['conversation/x']).to.include({ flow: 'by A' });

      await b.documents.write({ 'conversation/x': { ...seenByB, eTag: '*', flow: 'forced by B' } });
      expect((await a.documents.read(['conversation/x']))['conversation/x']).to.include({ flow: 'forced by B' });
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      const stores = [await openStore(), await openStore()];
      await stores[0]!.documents.write({ doc: { n: 0 } });
      const { eTag } = (await stores[0]!.documents.read(['doc'])).doc!;
      const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.documents.write({ doc: { n: i + 1, eTag } })));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).to.have.length(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof ETagConflictError)).to.equal(true);
    });

    it('changes nothing of a batch in which one document conflicts', async () => {
      const store = await openStore();
      await store.documents.write({ a: { v: 1 }, b: { v: 1 } });
      const before = await store.documents.read(['a', 'b']);
      await store.documents.write({ b: { ...before.b, v: 2 } });
      const error = await store.documents.write({ a: { ...before.a, v: 3 }, b: { ...before.b, v: 3 } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ETagConflictError);
      const after = await store.documents.read(['a', 'b']);
      expect(after.a).to.include({ v: 1, eTag: before.a!.eTag });
      expect(after.b).to.include({ v: 2 });
    });

    it('keeps a document exactly as written, characters jsonb refuses included', async () => {
      const store = await openStore();
      const body = { text: 'nul \u0000 here', nested: { list: [1, 'two', null, { deep: true }] }, big: 2 ** 52 + 1 };
      await store.documents.write({ doc: body });
      const { eTag, ...read } = (await store.documents.read(['doc'])).doc!;
      expect(eTag).to.be.a('string');
      expect(read).to.deep.equal(body);
    });
  });

  describe('records', () => {
    it('keeps a record written on one instance for another, newest first, in pages', async () => {
      const a = await openStore();
      const b = await openStore();
      for (let i = 0; i < 5; i += 1) await a.records.append('feedback', { at: `2025-01-0${i + 1}T10:00:00.000Z`, intent: 'triggers', helpful: i % 2 === 0 });
      const first = await b.records.query({ kinds: ['feedback'], limit: 2 });
      expect(first.items.map((r) => r.at)).to.deep.equal(['2025-01-05T10:00:00.000Z', '2025-01-04T10:00:00.000Z']);
      const second = await b.records.query({ kinds: ['feedback'], limit: 2, cursor: first.next });
      const third = await b.records.query({ kinds: ['feedback'], limit: 2, cursor: second.next });
      expect([...second.items, ...third.items].map((r) => r.at)).to.deep.equal(['2025-01-03T10:00:00.000Z', '2025-01-02T10:00:00.000Z', '2025-01-01T10:00:00.000Z']);
      expect(third.next).to.equal(undefined);
      expect((await b.records.query({ where: { helpful: true } })).items).to.have.length(3);
    });

    it('counts by day and field, and keeps a NUL a patient typed as a replacement character rather than losing the record', async () => {
      const store = await openStore();
      await store.records.append('unanswered', { at: '2025-02-01T23:59:00.000Z', text: 'a\u0000b', reason: 'no match', intent: null });
      await store.records.append('unanswered', { at: '2025-02-02T00:01:00.000Z', text: 'c', reason: 'no match', intent: null });
      await store.records.append('escalations', { at: '2025-02-02T08:00:00.000Z', text: 'd', level: 'urgent', intent: 'infection' });
      const tally = await store.records.tally({ kinds: ['unanswered'], by: ['day', 'reason'] });
      expect(tally).to.deep.equal([
        { key: { day: '2025-02-01', reason: 'no match' }, count: 1 },
        { key: { day: '2025-02-02', reason: 'no match' }, count: 1 },
      ]);
      const kept = (await store.records.query({ kinds: ['unanswered'], to: new Date('2025-02-02T00:00:00.000Z') })).items[0]!;
      expect(kept.text).to.equal('a\ufffdb');
      const id = (await store.records.query({ kinds: ['escalations'] })).items[0]!.id;
      expect(await store.records.amend(id, { reviewed: true })).to.equal(true);
      expect((await store.records.query({ where: { reviewed: true } })).items[0]).to.include({ id, level: 'urgent', reviewed: true });
      expect(await store.records.amend('999999', { reviewed: true })).to.equal(false);
    });

    it('purges by age in bounded steps, one instance at a time', async () => {
      const a = await openStore();
      const b = await openStore();
      for (let i = 0; i < 7; i += 1) await a.records.append('handoffs', { at: `2024-06-0${i + 1}T00:00:00.000Z`, intent: 'talk-to-human' });
      await a.records.append('handoffs', { at: '2025-06-01T00:00:00.000Z', intent: 'talk-to-human' });
      const cutoff = new Date('2025-01-01T00:00:00.000Z');
      expect(await a.records.purgeBefore(cutoff, 3)).to.deep.equal({ removed: 3, more: true });
      expect(await b.records.purgeBefore(cutoff, 3)).to.deep.equal({ removed: 3, more: true });
      expect(await a.records.purgeBefore(cutoff, 3)).to.deep.equal({ removed: 1, more: false });
      expect((await b.records.query({})).items.map((r) => r.at)).to.deep.equal(['2025-06-01T00:00:00.000Z']);
    });
  });

  describe('turn lock', () => {
    it('runs turns of one conversation on two instances one after the other, and of different conversations side by side', async () => {
      const a = await openStore();
      const b = await openStore();
      const events: string[] = [];
      const turn = (store: PostgresBotStore, key: string, name: string, ms: number) =>
        store.withTurnLock(key, async () => {
          events.push(`${name} start`);
          await delay(ms);
          events.push(`${name} end`);
        });
      const first = turn(a, 'webchat/conversations/c1', 'A1', 300);
      await delay(50);
      const second = turn(b, 'webchat/conversations/c1', 'B1', 10);
      const other = turn(b, 'webchat/conversations/c2', 'B2', 10);
      await Promise.all([first, second, other]);
      expect(events.indexOf('B1 start')).to.be.greaterThan(events.indexOf('A1 end'));
      expect(events.indexOf('B2 end')).to.be.lessThan(events.indexOf('A1 end'));
    });

    it('frees the lock of an instance whose connection dies mid-turn, so the conversation goes on elsewhere', async () => {
      const relay = await relayTo(database.url);
      try {
        const dying = await openStoreOn(relay.url);
        const survivor = await openStore();
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const stuck = dying.withTurnLock('webchat/conversations/k', async () => {
          entered();
          await delay(3_000);
        });
        await inside;
        relay.cut();
        const started = Date.now();
        await survivor.withTurnLock('webchat/conversations/k', async () => undefined);
        expect(Date.now() - started, 'the other instance waited for the dead one').to.be.below(2_500);
        await stuck.catch(() => undefined);
        await dying.close();
      } finally {
        await relay.close();
      }
    });
  });

  describe('rate limits', () => {
    it('counts one client’s requests on every instance together and starts a new window when the old one passes', async () => {
      const a = (await openStore()).rateLimitStore('messages');
      const b = (await openStore()).rateLimitStore('messages');
      a.init?.({ windowMs: 400 } as Parameters<NonNullable<typeof a.init>>[0]);
      b.init?.({ windowMs: 400 } as Parameters<NonNullable<typeof b.init>>[0]);
      await a.increment('conversation:c');
      await b.increment('conversation:c');
      expect((await a.increment('conversation:c')).totalHits).to.equal(3);
      expect((await b.increment('conversation:other')).totalHits).to.equal(1);
      await delay(450);
      expect((await b.increment('conversation:c')).totalHits).to.equal(1);
    });
  });

  describe('the intent model', () => {
    it('announces a model published on one instance to the others within a second', async () => {
      const a = await openStore();
      const b = await openStore();
      const seen: number[] = [];
      const watching = b.models.watch({ logger: silentLogger, knownId: () => seen.at(-1), onNew: (id) => seen.push(id), checkEveryMs: 60_000 });
      try {
        await delay(300); // LISTEN is in place
        const saved = { format: 3, trainingHash: 'h', configHash: 'c', words: [], memorised: [], stats: {} } as never;
        const started = Date.now();
        const id = await a.models.publish(saved, 'test');
        while (!seen.includes(id) && Date.now() - started < 1_000) await delay(10);
        expect(seen).to.include(id);
        expect((await b.models.latest())!.saved).to.include({ trainingHash: 'h' });
      } finally {
        await watching.stop();
      }
    });
  });

  describe('when the database goes away', () => {
    it('reports unhealthy and refuses with DatabaseUnavailableError, then recovers by itself when it is back', async () => {
      const relay = await relayTo(database.url);
      try {
        const store = await openStoreOn(relay.url);
        open.push(store);
        await store.documents.write({ doc: { v: 1 } });
        relay.cut();
        const error = await store.documents.read(['doc']).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(DatabaseUnavailableError);
        expect(store.healthy()).to.equal(false);
        relay.restore();
        const started = Date.now();
        while (!store.healthy() && Date.now() - started < 5_000) await delay(50);
        expect(store.healthy(), 'healthy again without a restart').to.equal(true);
        expect((await store.documents.read(['doc'])).doc).to.include({ v: 1 });
      } finally {
        await relay.close();
      }
    });
  });
});
