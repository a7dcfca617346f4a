// @ts-check
/**
 * `npm start`: build only when the sources changed since the last successful build (scripts/build.mjs), then run
 * the bundle in this same process, which saves starting a second Node.js: a start with nothing changed costs the
 * bundle's own start, npm's, and about 0.1 s of hashing.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot, runBuild } from './build.mjs';

if (runBuild({ ifChanged: true })) {
  await import(pathToFileURL(join(projectRoot, 'dist', 'bundle', 'main.mjs')).href);
} else {
  process.exitCode = 1;
}
