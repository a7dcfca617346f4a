import { loadContent } from '../src/content/load.js';
import { loadNluConfig } from '../src/nlu/config.js';
import { isExplainedStartupError } from '../src/startupError.js';
import { loadDermatologistCues } from '../src/triage/dermatologist.js';
import { loadRedFlagRules } from '../src/triage/index.js';

/**
 * Loaded by mocha before any test file. Several test files read the shipped content while mocha collects them; a
 * mistake in a content or rule file would then abort the run with a long stack trace. A clinician who runs
 * `npm test` after an edit gets the same list of problems `npm start` prints instead, and the run stops there.
 */
try {
  loadContent();
  loadRedFlagRules();
  loadDermatologistCues();
  loadNluConfig();
} catch (err) {
  if (!isExplainedStartupError(err)) throw err;
  console.error(`${err.message}\n\nFix these first: the tests read the same files.`);
  process.exit(1);
}
