import type { BotStore } from '../../../src/store/contract.js';
import { botStoreContract } from '../contract.js';
import { createTestDatabase, openStoreOn, requirePostgres, sql, type TestDatabase } from './server.js';

/** The one contract suite (test/store/contract.ts), against PostgreSQL: each test on emptied tables of one database. */
describe('PostgreSQL backend', function () {
  let database: TestDatabase | undefined;
  before(async function () {
    database = await createTestDatabase(await requirePostgres(this));
  });
  after(async () => {
    await database?.drop();
  });

  botStoreContract('postgres', {
    async open(now: () => Date): Promise<BotStore> {
      const store = await openStoreOn(database!.url, {}, now);
      await sql(database!.url, 'TRUNCATE bot_documents, bot_records');
      return store;
    },
    async reopen(_previous: BotStore, now: () => Date): Promise<BotStore> {
      return openStoreOn(database!.url, {}, now);
    },
  });
});
