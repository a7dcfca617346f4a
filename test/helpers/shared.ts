import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { projectRoot } from '../../src/paths.js';

/**
 * ../shared (the source article, the real-question test set) sits beside the checkout for developers and CI but
 * is not part of the product, so a clinic's machine has none. There the checks that need it skip with one line
 * saying why; with SHARED=required (set by .ci/run) a missing file fails the run instead, so CI can never pass
 * by silently skipping them.
 */
export function readSharedFile(ctx: Mocha.Context, file: string, what: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const shown = relative(projectRoot, file);
  if (process.env.SHARED === 'required') throw new Error(`SHARED=required but ${shown} (${what}) is missing`);
  console.log(`    ${what} skipped: ${shown} is not here (it comes with ../shared beside the checkout; SHARED=required makes this fail)`);
  return ctx.skip();
}
