import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { BotStore } from './contract.js';
import { openLowdbStore } from './lowdb/index.js';
import { openPostgresStore, type DatabaseConfig } from './postgres/index.js';

/**
 * The one place that chooses the backend: PostgreSQL when DATABASE_URL is set (several instances share it), else
 * the embedded store at DB_FILE (the default, one instance).
 */
export async function openStore(config: Pick<CoreConfig, 'DB_FILE'>, logger: Logger, database?: DatabaseConfig): Promise<BotStore> {
  if (database?.DATABASE_URL) return openPostgresStore({ ...database, DATABASE_URL: database.DATABASE_URL }, { logger });
  return openLowdbStore(config.DB_FILE, logger);
}
