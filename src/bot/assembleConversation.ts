import type { Core } from '../core/loadCore.js';
import type { Logger } from '../logger.js';
import type { BotStore } from '../store/contract.js';
import { BotStorage } from '../store/botStorage.js';
import { RecordStore } from '../store/records.js';
import { Conversation } from '../../dialogs/conversation.js';
import { SEE_A_DERMATOLOGIST } from '../core/types.js';
import { welcomeExampleIntents } from '../content/promises.js';

/** The clinic article's questions offered as buttons in the welcome message; an optional pack that is on adds one per topic. */
export const WELCOME_EXAMPLES = ['what-is-eczema', 'triggers', 'treatments-overview', SEE_A_DERMATOLOGIST];

/**
 * What the bot is on any SDK: the conversation, the records it writes, and the storage conversation state goes
 * to (the store's documents, through the Storage interface botbuilder and the Agents SDK share).
 */
export function assembleConversation(core: Core, store: BotStore, logger: Logger, now?: () => number): { conversation: Conversation; records: RecordStore; storage: BotStorage } {
  const records = new RecordStore(store.records);
  const conversation = new Conversation({
    answerer: core.answerer,
    records,
    clinic: core.clinic,
    examples: welcomeExampleIntents(core.content, WELCOME_EXAMPLES).map((id) => core.answerer.link(id)),
    logger,
    now,
  });
  return { conversation, records, storage: new BotStorage(store.documents) };
}
