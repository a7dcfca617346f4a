import { isExplainedStartupError } from '../startupError.js';

/**
 * Imported first by every command-line tool. A clinician who runs `npm run ask` after editing a content or rule
 * file must see the same one-line message `npm start` prints ("data/red-flags.yaml: entry …, field …"), not a
 * stack trace; anything unexplained keeps its stack for a developer.
 */
process.on('uncaughtException', (err) => {
  console.error(isExplainedStartupError(err) ? err.message : err);
  process.exit(1);
});
