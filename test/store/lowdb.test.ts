import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import type { BotStore } from '../../src/store/contract.js';
import { openLowdbStore } from '../../src/store/lowdb/index.js';
import { botStoreContract } from './contract.js';

const files = new WeakMap<BotStore, string>();

botStoreContract('lowdb (embedded journal)', {
  async open(now) {
    const file = join(mkdtempSync(join(tmpdir(), 'eczema-store-')), 'db.json');
    const store = await openLowdbStore(file, silentLogger, { now });
    files.set(store, file);
    return store;
  },
  async reopen(previous, now) {
    const file = files.get(previous)!;
    const store = await openLowdbStore(file, silentLogger, { now });
    files.set(store, file);
    return store;
  },
});
