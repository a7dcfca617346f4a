// @ts-check
/**
 * The build, and the check `npm start` makes before it: compile with tsc (tsconfig.build.json), bundle with
 * src/cli/bundle.ts, then write a stamp, dist/.build-stamp, with a hash of every file the build reads. `--if-changed`
 * builds only when a file differs from the stamp (or the stamp or a bundle is missing), so a second `npm start`
 * with nothing changed starts the bundle at once instead of spending 10 s rebuilding it.
 *
 *   node scripts/build.mjs               build (npm run build)
 *   node scripts/build.mjs --if-changed  build only if the sources changed since the last successful build
 *   node scripts/start.mjs               the same check, then the bundle in that process (npm start)
 *
 * Plain JavaScript because it runs before anything is compiled. The stamp is removed before a build starts and
 * written only after it succeeded, so a failed or interrupted build is built again next time. Contents are
 * compared, not times: a checkout that changes nothing does not rebuild, and a restored older file does. data/ and
 * intents/ are not inputs: the server reads them at start-up (the bundle embeds none of them).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join('dist', '.build-stamp');
/** What `npm start` runs (and the staff console's retrain worker beside it): missing means build. */
export const OUTPUTS = [join('dist', 'bundle', 'main.mjs'), join('dist', 'bundle', 'retrain-worker.mjs')];
/**
 * Besides the sources: the compiler's settings, the dependencies as locked (npm ci installs exactly these), and this
 * script. Not node_modules itself: pruning the dev dependencies after a build must not ask for a build without tsc.
 */
const FIXED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/**
 * Every file the build reads from the project, relative to root and sorted: tsconfig.build.json's include patterns
 * (each `dir/**\/*.ts`) and the fixed inputs that exist.
 * @param {string} root
 * @returns {string[]}
 */
export function buildInputs(root) {
  const { include } = /** @type {{ include: string[] }} */ (JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')));
  const files = FIXED_INPUTS.filter((file) => existsSync(join(root, file)));
  for (const pattern of include) {
    const match = /^([\w.-]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (!match) throw new Error(`scripts/build.mjs understands include patterns like "src/**/*.ts", not "${pattern}"`);
    const dir = join(root, match[1]);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (name.endsWith('.ts')) files.push(relative(root, join(dir, name)).split('\\').join('/'));
    }
  }
  return [...new Set(files)].sort();
}

/**
 * sha256 of each input's contents.
 * @param {string} root
 * @returns {Record<string, string>}
 */
export function hashInputs(root) {
  return Object.fromEntries(buildInputs(root).map((file) => [file, createHash('sha256').update(readFileSync(join(root, file))).digest('hex')]));
}

/**
 * Why a build is needed, or undefined when the last successful build is up to date.
 * @param {string} root
 * @returns {string | undefined}
 */
export function whyBuild(root) {
  const stampFile = join(root, STAMP);
  if (!existsSync(stampFile)) return 'no successful build yet';
  const missing = OUTPUTS.find((file) => !existsSync(join(root, file)));
  if (missing) return `${missing} is missing`;
  /** @type {Record<string, string>} */
  let before;
  try {
    before = JSON.parse(readFileSync(stampFile, 'utf8')).files;
  } catch {
    return `${STAMP} is unreadable`;
  }
  const now = hashInputs(root);
  const changed = Object.keys(now).filter((file) => before[file] !== now[file]);
  const removed = Object.keys(before).filter((file) => !(file in now));
  const all = [...changed.map((f) => (f in before ? `${f} changed` : `${f} is new`)), ...removed.map((f) => `${f} was removed`)];
  if (all.length === 0) return undefined;
  return all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}

/**
 * The build itself, as `npm run build` always ran it: tsc, then the bundle. Throws when a step fails.
 * @param {string} root
 */
export function compileAndBundle(root) {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  for (const args of [[tsc, '-p', 'tsconfig.build.json'], [join('dist', 'src', 'cli', 'bundle.js')]]) {
    const step = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (step.status !== 0) throw new Error(`build step failed: node ${relative(root, args[0])} ${args.slice(1).join(' ')} (exit ${step.status ?? step.signal})`);
  }
}

/**
 * Builds, and writes the stamp when the build succeeded. `steps` is the build (injectable for tests).
 * @param {string} root
 * @param {(root: string) => void} [steps]
 */
export function build(root, steps = compileAndBundle) {
  rmSync(join(root, STAMP), { force: true });
  const files = hashInputs(root);
  steps(root);
  mkdirSync(dirname(join(root, STAMP)), { recursive: true });
  writeFileSync(join(root, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), files }, null, 1)}\n`);
}

/**
 * Builds when whyBuild says so; returns why it built, or undefined when it did not need to.
 * @param {string} root
 * @param {(root: string) => void} [steps]
 * @returns {string | undefined}
 */
export function buildIfChanged(root, steps = compileAndBundle) {
  const reason = whyBuild(root);
  if (reason !== undefined) build(root, steps);
  return reason;
}

/**
 * The command line's work, shared with scripts/start.mjs: says on stderr what it does; false when the build failed.
 * @param {{ ifChanged: boolean, root?: string }} options
 * @returns {boolean}
 */
export function runBuild({ ifChanged, root = projectRoot }) {
  try {
    const reason = ifChanged ? whyBuild(root) : 'asked to';
    if (reason === undefined) {
      console.error('build up to date: no source changed since the last build');
    } else {
      console.error(`building: ${reason}`);
      build(root);
    }
    return true;
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}; the next start builds again`);
    return false;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (!runBuild({ ifChanged: process.argv.includes('--if-changed') })) process.exitCode = 1;
}
