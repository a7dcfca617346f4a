import { ConversationState } from 'botbuilder';
import type { Core } from '../core/loadCore.js';
import type { Logger } from '../logger.js';
import type { BotStore } from '../store/contract.js';
import { BotStorage } from '../store/botStorage.js';
import { RecordStore } from '../store/records.js';
import { Conversation } from '../../dialogs/conversation.js';
import { EczemaBot } from './bot.js';
import { SEE_A_DERMATOLOGIST } from '../core/types.js';

/** Questions offered as buttons in the welcome message. */
export const WELCOME_EXAMPLES = ['what-is-eczema', 'triggers', 'treatments-overview', SEE_A_DERMATOLOGIST];

/** The bot and what it writes to, the same for the server, the terminal chat and the tests, on any backend. */
export function assembleBot(core: Core, store: BotStore, logger: Logger, now?: () => number): { bot: EczemaBot; records: RecordStore } {
  const records = new RecordStore(store.records);
  const conversationState = new ConversationState(new BotStorage(store.documents));
  const conversation = new Conversation({
    answerer: core.answerer,
    records,
    clinic: core.clinic,
    conversationState,
    examples: WELCOME_EXAMPLES.filter((id) => core.content.entries.has(id)).map((id) => core.answerer.link(id)),
    logger,
    now,
  });
  return { bot: new EczemaBot(conversation, conversationState, logger), records };
}
