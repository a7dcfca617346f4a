import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

/** Runs a CLI script (src/cli/*.ts) as a user would, with its own model and chat files in a fresh temporary folder. */
export function runCli(script: string, args: string[], input: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'eczema-cli-'));
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    input,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, MODEL_FILE: join(dir, 'model.json'), CHAT_DB_FILE: join(dir, 'chat.json'), LOG_LEVEL: 'silent', ...env },
  });
}
