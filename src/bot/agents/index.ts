import type { TurnContext } from '@microsoft/agents-hosting';
import { assembleConversation } from '../assembleConversation.js';
import type { BotEdge, EdgeDeps } from '../edge.js';
import { withoutEmptyStrings } from './activity.js';
import { EczemaCloudAdapter } from './adapter.js';
import { createEczemaAgent } from './app.js';
import { AgentsDirectLineAdapter } from './directLineAdapter.js';

/**
 * The Microsoft 365 Agents SDK edge (BOT_SDK=agents): its CloudAdapter on /api/messages, its JWT middleware
 * (authorizeJWT) when a client id is set, an AgentApplication with TurnState on the store's documents, and a
 * BaseAdapter for the built-in Direct Line. Nothing here imports botbuilder.
 */
export function createAgentsEdge(deps: EdgeDeps): BotEdge {
  const { core, store, config, logger } = deps;
  const { conversation, records, storage } = assembleConversation(core, store, logger, deps.now);
  const agent = createEczemaAgent(conversation, storage, logger);
  const run = (context: TurnContext) => deps.around(context, () => agent.run(context));
  // Built at start-up, so connection settings the SDK cannot use stop start-up rather than the first turn.
  const adapter = new EczemaCloudAdapter(config, logger, config.REPLY_DELIVERY_TIMEOUT_MS);
  return {
    sdk: 'agents',
    records,
    idleNow: () => agent.idleNow(),
    idle: () => agent.idle(),
    messages: {
      authenticate: (req) => (config.MicrosoftAppId ? adapter.verify(req) : Promise.resolve(true)),
      process: (req, res, started) => {
        // The Agents SDK refuses empty strings the protocol allows (./activity.ts); the body was checked already.
        req.body = withoutEmptyStrings(req.body);
        return adapter.process(req, res, async (context) => {
          started(context);
          await run(context);
        });
      },
    },
    inProcess: (conversations, account, channelLogger) => new AgentsDirectLineAdapter(conversations, { run }, account, channelLogger),
  };
}
