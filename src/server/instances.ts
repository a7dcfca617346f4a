import { hostname } from 'node:os';
import { conversationKey, type TurnLike } from '../bot/turn.js';
import { ConfigError } from '../config.js';
import type { Core } from '../core/loadCore.js';
import type { Logger } from '../logger.js';
import type { MetricsSources } from '../metrics/index.js';
import type { WebConfig, WebDeps } from '../web/index.js';
import type { BotStore } from '../store/contract.js';
import type { DatabaseConfig } from '../store/postgres/config.js';
import { PostgresBotStore } from '../store/postgres/index.js';
import { syncModel } from '../store/postgres/modelSync.js';

/**
 * What several instances of the bot must share to act as one, chosen by the store: with PostgreSQL, Direct Line
 * conversations, rate-limit counters, the intent model and a lock that runs each conversation's turns one at a
 * time across instances; with the embedded store (one instance), this process's memory, as before.
 */
export interface Sharing {
  /** For createWeb: where Direct Line conversations and rate-limit counters live. */
  web: Pick<WebDeps, 'conversations' | 'rateLimitStore'>;
  /** Runs a turn under the conversation's lock (a plain call on one instance). */
  runTurn(context: TurnLike, turn: () => Promise<void>): Promise<void>;
  metrics: MetricsSources;
  close(): Promise<void>;
}

/**
 * Several instances must verify each other's Direct Line tokens, so the signing key must be set, and the same, on
 * all of them: with a random key per process, a patient whose poll reached another instance would be refused.
 */
export function checkSharedConfig(database: DatabaseConfig, web: Pick<WebConfig, 'DIRECT_LINE_SECRET' | 'DIRECT_LINE_TOKEN_KEY'>): void {
  if (database.DATABASE_URL && !web.DIRECT_LINE_SECRET && !web.DIRECT_LINE_TOKEN_KEY) {
    throw new ConfigError(
      'DIRECT_LINE_TOKEN_KEY',
      'must be set when DATABASE_URL is set: every instance verifies the Direct Line tokens the others issue, so give all of them the same key (32+ random characters, e.g. openssl rand -base64 48)',
    );
  }
}

export async function shareAcrossInstances(store: BotStore, deps: { core: Core; webConfig: WebConfig; logger: Logger }): Promise<Sharing> {
  if (!(store instanceof PostgresBotStore)) {
    return { web: {}, runTurn: (_context, turn) => turn(), metrics: {}, close: async () => undefined };
  }
  const { webConfig, logger } = deps;
  const conversations = store.conversations({
    idleMs: webConfig.DIRECT_LINE_CONVERSATION_IDLE_MINUTES * 60_000,
    maxConversations: webConfig.DIRECT_LINE_MAX_CONVERSATIONS,
  });
  const model = deps.core.model;
  const models = model
    ? await syncModel({
        models: store.models,
        model,
        knownIntents: new Set(deps.core.content.training.keys()),
        logger,
        instance: `${hostname()}:${process.pid}`,
      })
    : undefined;
  return {
    web: { conversations, rateLimitStore: (name) => store.rateLimitStore(name) },
    runTurn: (context, turn) => store.withTurnLock(conversationKey(context), turn),
    metrics: {
      openConversations: () => conversations.openCount(),
      database: { errors: () => store.db.stats.errors, up: () => store.db.healthy(), pools: store.db.stats.pools },
    },
    async close() {
      await models?.stop();
    },
  };
}
