import type { Storage, StoreItems } from 'botbuilder';
import type { Database } from './database.js';

/**
 * botbuilder's Storage on the lowdb file. A write that names a specific eTag is refused when the stored one has
 * moved on, as MemoryStorage does. botbuilder's own state writes say "*" (last write wins), so the bot also runs
 * one conversation's turns one at a time (EczemaBot.run).
 */
export class LowdbStorage implements Storage {
  private nextTag = 1;

  constructor(
    private readonly database: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const state = this.database.db.data.state;
    const items: StoreItems = {};
    for (const key of keys) {
      const stored = state[key];
      if (stored) items[key] = { ...structuredClone(stored.data), eTag: stored.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const state = this.database.db.data.state;
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...data } = (change ?? {}) as Record<string, unknown>;
      const current = state[key];
      if (current && typeof eTag === 'string' && eTag !== '*' && eTag !== current.eTag) {
        throw new Error(`Storage: eTag conflict for "${key}"; the state was changed by another turn`);
      }
      state[key] = { eTag: `${Date.now().toString(36)}-${this.nextTag++}`, updatedAt: this.now().toISOString(), data: structuredClone(data) };
    }
    await this.database.save();
  }

  async delete(keys: string[]): Promise<void> {
    const state = this.database.db.data.state;
    for (const key of keys) delete state[key];
    await this.database.save();
  }
}
