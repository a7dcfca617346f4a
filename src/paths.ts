import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Code runs both from src/ (tsx) and from dist/src/ (built); content folders sit beside package.json,
// so we look upwards instead of hard-coding a depth.
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'intents'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project folder above ${start}`);
    dir = parent;
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const dataDir = join(projectRoot, 'data');
export const intentsDir = join(projectRoot, 'intents');
export const varDir = join(projectRoot, 'var');
/** `../shared` beside the checkout: present for developers and CI, absent on a clinic's machine. */
export const sharedDir = resolve(projectRoot, '..', 'shared');
