import { createAgentsEdge } from './agents/index.js';
import { createBotbuilderEdge } from './botbuilder.js';
import type { BotSdk, EdgeFactory } from './edge.js';

/**
 * The two SDK edges, for the composition root to choose from by BOT_SDK. Imported statically, not with import():
 * mocha loads the tests through require(), and a dynamically imported edge would then be a second copy of every
 * module it shares with the rest of the server (its symbols and error classes would not match). Both SDKs are
 * therefore loaded at start-up; `npm run bench` measures what that costs the cold start.
 */
export function edgeFor(sdk: BotSdk): EdgeFactory {
  return sdk === 'agents' ? createAgentsEdge : createBotbuilderEdge;
}
