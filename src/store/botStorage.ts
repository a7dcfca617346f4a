import { CONVERSATION_STATE_PREFIX, type DocumentStore } from './contract.js';

/** Items as both SDKs' Storage interfaces pass them: documents by key, each with its eTag. */
type StoreItems = Record<string, unknown>;

/**
 * The bot SDKs' Storage (read / write / delete with eTags: botbuilder's and the Agents SDK's interfaces are the same
 * shape, so one class serves both without importing either) on the store's documents, whichever backend holds them.
 * The state keys (`<channel>/conversations/<id>`, the same on both SDKs: src/bot/agents/app.ts) are kept under
 * CONVERSATION_STATE_PREFIX, so retention purges conversation state and nothing else. eTags pass through: a write
 * naming a stale one is refused with botbuilder's own message. botbuilder's state writes say "*" (last write wins);
 * the Agents SDK's TurnState writes back the eTag it read, so a stale write is refused; either way the bot runs one
 * conversation's turns one at a time (src/bot/turns.ts).
 */
export class BotStorage {
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
