import { ConfigError } from './config.js';
import { ContentError } from './content/errors.js';
import { NluConfigError } from './nlu/config.js';
import { ListenError } from './server/index.js';
import { StoreStartupError } from './store/contract.js';

/**
 * Whether a start-up failure is a mistake an operator or a clinician can fix (configuration, a content or rule
 * file, data/nlu.yaml, the database in use, the port): those are printed as their one-line message; anything
 * else keeps its stack for a developer.
 */
export function isExplainedStartupError(err: unknown): err is Error {
  return [ConfigError, ContentError, NluConfigError, StoreStartupError, ListenError].some((kind) => err instanceof kind);
}
