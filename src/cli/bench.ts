/**
 * npm run bench: train time, classify latency (median, p99), heap, against natural's stock BayesClassifier on the
 * same utterances, in one process; then the server's cold start (process start → first 200 from /readyz), started
 * the way `npm start` starts it (the bundled dist/bundle/main.mjs), and turn throughput through Direct Line and through
 * /api/messages, all for each bot SDK (BOT_SDK=botbuilder and agents, runs alternating, agents / botbuilder printed);
 * a second `npm start` with nothing changed beside the bundle started directly (to /healthz); then the store-scale
 * benchmark
 * (src/cli/benchStore.ts): turns/s, p99 and RSS by stored conversations, against a bare botbuilder bot. With
 * `-- --db postgres`, also turns/s and p99 through Direct Line on lowdb and on PostgreSQL with one and two instances
 * (src/cli/benchDirectLine.ts). `BENCH_ONLY=sdk npm run bench`: only the two bot SDKs side by side. A measurement
 * script, not a test: it prints figures and asserts nothing.
 */
import './explainStartupErrors.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadCoreConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { coreWith } from '../core/loadCore.js';
import { silentLogger } from '../logger.js';
import { loadNluConfig } from '../nlu/config.js';
import { NaiveBayesIntentModel, trainStats } from '../nlu/model.js';
import { loadOrTrainModel } from '../nlu/persist.js';
import { projectRoot } from '../paths.js';
import { benchDirectLine, benchSdkThroughput, DIRECT_LINE_LOAD, printTable, type LoadFigures } from './benchDirectLine.js';
import { benchSdkMessages, MESSAGES_LOAD, runStoreBench } from './benchStore.js';
import { runConsoleBench } from '../admin/bench.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WARM_UP = 2_000;
const ROUNDS = 5_000;
const COLD_START_RUNS = 5;
const SDKS = ['botbuilder', 'agents'] as const;
const SDK_THROUGHPUT_ROUNDS = 3;
const SDK_THROUGHPUT_SECONDS = 6;
const SDK_MESSAGES_TURNS = 1500;
const SDK_ONLY = process.env.BENCH_ONLY === 'sdk';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Latency of `fn` per question, in microseconds, after a warm-up on `warmUpWith`: ROUNDS calls cycling through
 * `questions`, or, when `firstSight` (typos the model must meet for the first time), each question once.
 */
function latency(questions: readonly string[], fn: (q: string) => unknown, { warmUpWith = questions, firstSight = false } = {}) {
  // Warm-up: at least one pass over every utterance, so the JIT has settled and the words have been met once,
  // as in a server that has been answering for a while. First sights are timed separately (the typo rows).
  for (let i = 0; i < Math.max(WARM_UP, warmUpWith.length); i++) fn(warmUpWith[i % warmUpWith.length]);
  const times: number[] = [];
  const rounds = firstSight ? Math.min(ROUNDS, questions.length) : ROUNDS;
  for (let i = 0; i < rounds; i++) {
    const q = questions[i % questions.length];
    const t = process.hrtime.bigint();
    fn(q);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** Heap kept alive by what `build` returns, in MB. */
function heapOf<T>(build: () => T): { value: T; mb: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const value = build();
  gc();
  return { value, mb: (process.memoryUsage().heapUsed - before) / 1048576 };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/** The questions to time: every training and held-out utterance. */
function utterancesFrom(sets: ReadonlyMap<string, readonly string[]>[]): string[] {
  const out: string[] = [];
  for (const set of sets) for (const texts of set.values()) out.push(...texts);
  return out;
}

/** Each utterance with two neighbouring letters swapped: a typo the model has never seen. */
function withTypos(utterances: readonly string[]): string[] {
  return utterances.map((t) => {
    const i = Math.floor(t.length / 2);
    return t.length > 3 ? t.slice(0, i) + t[i + 1] + t[i] + t.slice(i + 2) : t;
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawning the server to its first 200 on /readyz. */
function coldStart(mainJs: string, env: NodeJS.ProcessEnv): Promise<number> {
  return timeToOk([process.execPath, mainJs], env, '/readyz');
}

/**
 * Milliseconds from running a command that starts the server (the bundle, or `npm start`) to its first 200 on
 * `path`. The command runs in its own process group, so npm and the server it started stop together.
 */
async function timeToOk(command: string[], env: NodeJS.ProcessEnv, path: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: projectRoot,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    const deadline = started + 30_000;
    while (performance.now() < deadline) {
      if (exited) throw new Error(`server exited before it was ready: ${stderr.trim().slice(0, 300)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('server not ready within 30 s');
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => (exited ? r(null) : child.once('exit', r)));
  }
}

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

type MessagesFigures = Awaited<ReturnType<typeof benchSdkMessages>>;

/**
 * Cold start and turn throughput for each bot SDK, one row each, and agents / botbuilder under them: through the
 * built-in Direct Line (the widget's path) and through /api/messages (the Emulator's and Teams' path).
 */
function printSdkTable(coldStarts: ReadonlyMap<string, number[]>, turns: ReadonlyMap<string, LoadFigures>, messages: MessagesFigures): void {
  const rows: string[][] = [['BOT_SDK', 'cold start median (ms)', 'cold start runs (ms)', 'Direct Line turns/s', 'p50 (ms)', 'p99 (ms)', '/api/messages turns/s', 'p50 (ms)', 'p99 (ms)', 'failed']];
  for (const [sdk, runs] of coldStarts) {
    const t = turns.get(sdk)!;
    const m = messages.get(sdk)!;
    rows.push([sdk, fmt(median(runs), 0), runs.map((r) => fmt(r, 0)).join(', '), fmt(t.turnsPerSecond, 0), fmt(t.p50), fmt(t.p99), fmt(m.perSecond, 0), fmt(m.p50), fmt(m.p99), String(t.failed + m.failed)]);
  }
  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
  const [ca, cb] = [coldStarts.get('agents')!, coldStarts.get('botbuilder')!];
  const [ta, tb] = [turns.get('agents')!, turns.get('botbuilder')!];
  const [ma, mb] = [messages.get('agents')!, messages.get('botbuilder')!];
  rows.push(['agents / botbuilder', ratio(median(ca), median(cb)), '', ratio(ta.turnsPerSecond, tb.turnsPerSecond), ratio(ta.p50, tb.p50), ratio(ta.p99, tb.p99), ratio(ma.perSecond, mb.perSecond), ratio(ma.p50, mb.p50), ratio(ma.p99, mb.p99), '']);
  console.log(`bot SDKs side by side, runs alternating: cold start = process start to first 200 on /readyz, ${COLD_START_RUNS} runs each`);
  console.log(`  Direct Line = ${DIRECT_LINE_LOAD}, ${SDK_THROUGHPUT_ROUNDS} runs of ${SDK_THROUGHPUT_SECONDS} s each on a fresh server and store`);
  console.log(`  /api/messages = ${MESSAGES_LOAD}, ${SDK_MESSAGES_TURNS} messages per run, ${SDK_THROUGHPUT_ROUNDS} runs each on a fresh server and store`);
  printTable(rows);
}

/**
 * A second `npm start` with nothing changed (scripts/start.mjs finds the build up to date and runs the bundle)
 * against starting the bundle directly, both to the first 200 on /healthz, runs alternating. Target: ≤ 1.5×.
 */
async function quickStart(modelFile: string, dir: string): Promise<void> {
  // The build is current before the first timed start, as it is for any start after the first.
  const check = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs'), '--if-changed'], { cwd: projectRoot, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`the build check failed: ${check.stderr.trim()}`);
  const stamp = () => readFileSync(join(projectRoot, 'dist', '.build-stamp'), 'utf8');
  const builtBefore = stamp();
  const runs: Record<'bundle' | 'npm start', number[]> = { bundle: [], 'npm start': [] };
  for (let i = 0; i < COLD_START_RUNS; i++) {
    const env = (name: string) => ({ MODEL_FILE: modelFile, DB_FILE: join(dir, `db-quick-${name}-${i + 1}.json`) });
    runs.bundle.push(await timeToOk([process.execPath, join(projectRoot, 'dist', 'bundle', 'main.mjs')], env('bundle'), '/healthz'));
    runs['npm start'].push(await timeToOk(['npm', 'start'], env('npm'), '/healthz'));
  }
  const list = (r: number[]) => r.map((x) => fmt(x, 0)).join(', ');
  console.log(
    `start to first 200 /healthz, nothing changed: npm start median ${fmt(median(runs['npm start']), 0)} ms (${list(runs['npm start'])}), ` +
      `node dist/bundle/main.mjs median ${fmt(median(runs.bundle), 0)} ms (${list(runs.bundle)}): ` +
      `${fmt(median(runs['npm start']) / median(runs.bundle), 2)}× (target ≤ 1.5×)`,
  );
  if (stamp() !== builtBefore) console.log('  (a source changed during these runs, so one npm start rebuilt: run the bench again)');
}

/** The classifier against natural's stock BayesClassifier, and answer() as a whole: in this process, no I/O. */
async function classifierBench(content: ReturnType<typeof loadContent>, config: ReturnType<typeof loadNluConfig>): Promise<void> {
  const questions = utterancesFrom([content.training, content.heldOut]);
  const typos = withTypos(questions);
  const utterances = [...content.training.values()].reduce((a, u) => a + u.length, 0);
  console.log(`${content.training.size} intents, ${utterances} training utterances; timing ${ROUNDS} questions after a warm-up pass over all ${questions.length}`);

  // Ours: counting (what `npm run train` does) and building the weight matrix (what a start-up does on load).
  const ours = heapOf(() => timed(() => new NaiveBayesIntentModel(trainStats(content.training, config), config)));
  const oursModel = ours.value.value;
  const oursClassify = latency(questions, (q) => oursModel.classify(q));
  const oursDecide = latency(questions, (q) => oursModel.decide(q));
  // Each typo'd question once, so every one is a first sight (ours caches per word; stock has nothing to cache).
  const oursTypos = latency(typos, (q) => oursModel.classify(q), { warmUpWith: questions, firstSight: true });
  // The whole of answer(): the safety steps (red flags, and everything that decides the escalation) around the
  // model's decision and the grounding, as a patient's message meets them. No rendering, no I/O.
  const { answerer } = coreWith(loadCoreConfig({}), content, oursModel);
  const oursAnswer = latency(questions, (q) => answerer.answer(q));

  // Stock: imported the stock way, from the package root (quietly: natural's root calls dotenv).
  process.env.DOTENV_CONFIG_QUIET = 'true';
  const importStarted = performance.now();
  const natural = (await import('natural')).default;
  const rootImportMs = performance.now() - importStarted;
  const stock = heapOf(() =>
    timed(() => {
      const classifier = new natural.BayesClassifier();
      for (const [intent, texts] of content.training) for (const t of texts) classifier.addDocument(t, intent);
      classifier.train();
      return classifier;
    }),
  );
  const stockModel = stock.value.value;
  const stockClassify = latency(questions, (q) => stockModel.classify(q));
  const stockRanked = latency(questions, (q) => stockModel.getClassifications(q));
  const stockTypos = latency(typos, (q) => stockModel.classify(q), { warmUpWith: questions, firstSight: true });

  const rows: [string, string, string, string][] = [
    ['', 'ours', 'stock BayesClassifier', 'stock / ours'],
    ['train (ms)', fmt(ours.value.ms), fmt(stock.value.ms), `${fmt(stock.value.ms / ours.value.ms)}×`],
    ['classify median (µs)', fmt(oursClassify.median), fmt(stockClassify.median), `${fmt(stockClassify.median / oursClassify.median)}×`],
    ['classify p99 (µs)', fmt(oursClassify.p99), fmt(stockClassify.p99), `${fmt(stockClassify.p99 / oursClassify.p99)}×`],
    ['classify median, new typo (µs)', fmt(oursTypos.median), fmt(stockTypos.median), `${fmt(stockTypos.median / oursTypos.median)}×`],
    ['classify p99, new typo (µs)', fmt(oursTypos.p99), fmt(stockTypos.p99), `${fmt(stockTypos.p99 / oursTypos.p99)}×`],
    ['ranked list median (µs)', fmt(oursClassify.median), fmt(stockRanked.median), `${fmt(stockRanked.median / oursClassify.median)}×`],
    ['decide median / p99 (µs)', `${fmt(oursDecide.median)} / ${fmt(oursDecide.p99)}`, '-', '-'],
    ['answer() median / p99 (µs)', `${fmt(oursAnswer.median)} / ${fmt(oursAnswer.p99)}`, '-', '-'],
    ['model heap (MB)', fmt(ours.mb), fmt(stock.mb), `${fmt(stock.mb / ours.mb)}×`],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log(`(classify: the ${questions.length} training and held-out utterances; "new typo": each once with two letters swapped)`);
  console.log(`(ranked list: ours classify() returns every intent with confidences; stock getClassifications() does the same, unnormalised)`);
  console.log(`(answer(): triage, the other escalation steps, classify, decide and grounding: what one message costs before rendering)`);
  console.log(`import of natural's package root: ${fmt(rootImportMs)} ms (ours imports single files)`);
  console.log(`process heap used now: ${fmt(process.memoryUsage().heapUsed / 1048576)} MB`);
}

async function main(): Promise<void> {
  const content = loadContent();
  const config = loadNluConfig();
  // BENCH_ONLY=sdk: only the two bot SDKs side by side (cold start, turn throughput), for a quick comparison.
  if (!SDK_ONLY) await classifierBench(content, config);
  const mainJs = join(projectRoot, 'dist', 'bundle', 'main.mjs');
  if (!existsSync(mainJs)) {
    console.log('cold start: server not built (dist/bundle/main.mjs missing: npm run build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  try {
    const modelFile = join(dir, 'model.json');
    // A saved, current model is the normal start; one start without it shows the cost of training at start-up.
    const withoutModel = await coldStart(mainJs, { MODEL_FILE: modelFile, DB_FILE: join(dir, 'db-0.json') });
    loadOrTrainModel({ training: content.training, trainingHash: content.trainingHash, modelFile, logger: silentLogger, config });
    // Both bot SDKs (BOT_SDK, docs/SDK.md), side by side: runs alternate so the machine's load falls on both alike.
    const bySdk = new Map<string, number[]>(SDKS.map((sdk) => [sdk, []]));
    for (let i = 0; i < COLD_START_RUNS; i++) {
      for (const sdk of SDKS) {
        bySdk.get(sdk)!.push(await coldStart(mainJs, { BOT_SDK: sdk, MODEL_FILE: modelFile, DB_FILE: join(dir, `db-${sdk}-${i + 1}.json`) }));
      }
    }
    const turns = await benchSdkThroughput(mainJs, modelFile, SDKS, SDK_THROUGHPUT_ROUNDS, SDK_THROUGHPUT_SECONDS);
    const messages = await benchSdkMessages(SDKS, modelFile, SDK_THROUGHPUT_ROUNDS, SDK_MESSAGES_TURNS);
    printSdkTable(bySdk, turns, messages);
    console.log(`(without a saved model, BOT_SDK=botbuilder trains at start-up: cold start ${fmt(withoutModel, 0)} ms)`);
    await quickStart(modelFile, dir);
  } catch (err) {
    console.log(`cold start: failed: ${(err as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // --db postgres: turns per second through Direct Line on lowdb and on PostgreSQL with one and two instances.
  const db = process.argv.indexOf('--db');
  if (db >= 0 && process.argv[db + 1] === 'postgres') {
    const modelDir = mkdtempSync(join(tmpdir(), 'bench-model-'));
    try {
      const modelFile = join(modelDir, 'model.json');
      loadOrTrainModel({ training: content.training, trainingHash: content.trainingHash, modelFile, logger: silentLogger, config });
      await benchDirectLine(mainJs, modelFile);
    } finally {
      rmSync(modelDir, { recursive: true, force: true });
    }
  }
}

await main();
if (!SDK_ONLY) {
  await runStoreBench();
  await runConsoleBench();
}
