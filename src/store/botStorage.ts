import type { Storage, StoreItems } from 'botbuilder';
import { CONVERSATION_STATE_PREFIX, type DocumentStore } from './contract.js';

/**
 * botbuilder's Storage on the store's documents, whichever backend holds them. botbuilder's keys
 * (`<channel>/conversations/<id>`) are kept under CONVERSATION_STATE_PREFIX, so retention purges conversation state
 * and nothing else. eTags pass through: a write naming a stale one is refused with botbuilder's own message. Its
 * state writes say "*" (last write wins), so the bot also runs one conversation's turns one at a time (EczemaBot.run).
 */
export class BotStorage implements Storage {
  constructor(
    private readonly documents: DocumentStore,
    private readonly prefix = CONVERSATION_STATE_PREFIX,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await this.documents.read(keys.map((k) => this.prefix + k));
    const items: StoreItems = {};
    for (const key of keys) {
      const item = found[this.prefix + key];
      if (item) items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const prefixed: Record<string, Record<string, unknown>> = {};
    for (const [key, item] of Object.entries(changes)) prefixed[this.prefix + key] = (item ?? {}) as Record<string, unknown>;
    await this.documents.write(prefixed);
  }

  async delete(keys: string[]): Promise<void> {
    await this.documents.delete(keys.map((k) => this.prefix + k));
  }
}
