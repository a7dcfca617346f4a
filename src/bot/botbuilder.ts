import type { TurnContext } from 'botbuilder';
import { createCloudAdapter } from './adapter.js';
import { assembleBot } from './assemble.js';
import { DirectLineAdapter } from './directLineAdapter.js';
import type { BotEdge, EdgeDeps } from './edge.js';

/**
 * The botbuilder edge (BOT_SDK=botbuilder, the default): botbuilder's CloudAdapter on /api/messages (it verifies
 * Bot Framework tokens itself when MicrosoftAppId is set), EczemaBot (a TeamsActivityHandler), ConversationState on
 * the store's documents, and a BotAdapter for the built-in Direct Line.
 */
export function createBotbuilderEdge(deps: EdgeDeps): BotEdge {
  const { core, store, config, logger } = deps;
  const { bot, records } = assembleBot(core, store, logger, deps.now);
  const run = (context: TurnContext) => deps.around(context, () => bot.run(context));
  const adapter = createCloudAdapter(config, logger, config.EMERGENCY_NUMBER);
  return {
    sdk: 'botbuilder',
    records,
    idleNow: () => bot.idleNow(),
    idle: () => bot.idle(),
    messages: {
      // CloudAdapter.process verifies the token (or, without an app id, lets the request through).
      authenticate: async () => true,
      process: (req, res, started) =>
        adapter.process(req, res, async (context) => {
          started(context);
          await run(context);
        }),
    },
    inProcess: (conversations, account, channelLogger) => new DirectLineAdapter(conversations, { run }, account, channelLogger),
  };
}
