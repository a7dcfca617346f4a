/**
 * `npm run build` step two: bundle the built server into one file. Resolving and reading hundreds of small
 * module files (botbuilder alone pulls in several hundred) is a third of a cold start; one file starts in about
 * two thirds of the time. node_modules stays where it is for what is read at run time (the Web Chat bundle).
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

await build({
  entryPoints: [join(projectRoot, 'dist', 'src', 'main.js')],
  outfile: join(projectRoot, 'dist', 'bundle', 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Loaded from node_modules at run time: pg-listen's pg-format requires a file beside itself (__dirname), and
  // node-pg-migrate loads the migration files from disk, neither of which survives being inlined; a native module
  // (Argon2, a prebuilt binary per platform) cannot be bundled at all.
  // The Agents SDK's telemetry requires OpenTelemetry only when a host installs and turns it on (optional peers).
  external: ['pg-listen', 'node-pg-migrate', '@node-rs/argon2', '@opentelemetry/*'],
  // CommonJS dependencies call require(); an ES module has none unless we make one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// The staff console's retrain worker thread runs a file of its own (src/admin/retrain/pool.ts looks for it beside
// the bundle).
await build({
  entryPoints: [join(projectRoot, 'dist', 'src', 'admin', 'retrain', 'worker.js')],
  outfile: join(projectRoot, 'dist', 'bundle', 'retrain-worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
