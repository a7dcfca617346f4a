import { ConversationState } from 'botbuilder';
import type { Core } from '../core/loadCore.js';
import type { Logger } from '../logger.js';
import type { BotStore } from '../store/contract.js';
import type { RecordStore } from '../store/records.js';
import { assembleConversation } from './assembleConversation.js';
import { EczemaBot } from './bot.js';

export { WELCOME_EXAMPLES } from './assembleConversation.js';

/** The botbuilder bot and what it writes to, the same for the server, the terminal chat and the tests, on any backend. */
export function assembleBot(core: Core, store: BotStore, logger: Logger, now?: () => number): { bot: EczemaBot; records: RecordStore } {
  const { conversation, records, storage } = assembleConversation(core, store, logger, now);
  return { bot: new EczemaBot(conversation, new ConversationState(storage), logger), records };
}
