/**
 * npm run staff -- add NAME [--password-stdin] | list | remove NAME | export-learned
 *
 * Staff accounts of the console (/admin). While the bot runs on the embedded store it asks the bot (the store
 * admits one process; see src/admin/control.ts); otherwise it opens the store itself, which PostgreSQL allows
 * beside running instances.
 */
import './explainStartupErrors.js';
import 'dotenv/config';
import { loadCoreConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { controlFilePath } from '../admin/control.js';
import { controlTarget, runStaffCli, storeTarget } from '../admin/staffCli.js';
import { openStore } from '../store/open.js';

const config = loadCoreConfig();
const code = await runStaffCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, async () => {
  const running = await controlTarget(controlFilePath(config.DB_FILE));
  if (running) return running;
  return storeTarget(await openStore(config, silentLogger), `the store at ${config.DB_FILE}`);
});
process.exit(code);
