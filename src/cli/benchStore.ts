/**
 * The store-scale part of `npm run bench`: the bot as `npm start` runs it (dist/bundle/main.mjs, a child process
 * whose RSS is read from /proc) driven through /api/messages by this process, with a loopback connector here too,
 * on an empty store and after 20,000 and 100,000 stored conversations (written through the store's own code,
 * openLowdbStore, between runs); then the same load against a bare botbuilder bot replying with fixed text
 * (dist/src/cli/bareBot.js), and restarts after a clean stop and after kill -9. Prints figures and ratios; asserts
 * nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../logger.js';
import { projectRoot } from '../paths.js';
import { CONVERSATION_STATE_PREFIX } from '../store/contract.js';
import { openLowdbStore } from '../store/lowdb/index.js';
import { RecordStore } from '../store/records.js';

const CONCURRENCY = 10;
const TURNS = Number(process.env.BENCH_TURNS ?? 3000);
const WARM_UP = 500;
const QUESTION = 'what is eczema?';
const RESTARTS = 3;

/** Accepts the bots' replies the way the Bot Framework connector does. */
async function startConnector(): Promise<{ url: string; server: Server; received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, received: () => received };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Bot {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readyMs: number;
}

/** Starts a bot process and waits for its /readyz. */
async function spawnBot(script: string, env: NodeJS.ProcessEnv): Promise<Bot> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [script], { cwd: projectRoot, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited before it was ready: ${stderr.trim().slice(0, 300)}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, child, readyMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} not ready within 60 s`);
}

async function stopBot(bot: Bot, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (bot.child.exitCode !== null) return;
  const exited = new Promise((resolve) => bot.child.once('exit', resolve));
  bot.child.kill(signal);
  await exited;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let runId = 0;

/**
 * `turns` messages at CONCURRENCY in flight. `fixed`: each of the CONCURRENCY clients keeps its own conversation
 * (an established chat); otherwise every message starts a new conversation (welcome, state created).
 */
async function drive(url: string, connectorUrl: string, turns: number, fixed: boolean): Promise<{ perSecond: number; p50: number; p99: number; failed: number; latencies: number[]; seconds: number }> {
  runId += 1;
  const run = runId;
  let next = 0;
  let failed = 0;
  const latencies: number[] = [];
  const worker = async (client: number) => {
    while (next < turns) {
      const i = next++;
      const body = JSON.stringify({
        type: 'message',
        id: `a${run}-${i}`,
        channelId: 'emulator',
        serviceUrl: connectorUrl,
        conversation: { id: fixed ? `fixed-${run}-${client}` : `new-${run}-${i}` },
        from: { id: `patient-${client}`, name: 'Patient' },
        recipient: { id: 'bot', name: 'Bot' },
        text: QUESTION,
        locale: 'en-US',
        timestamp: new Date().toISOString(),
      });
      const started = performance.now();
      const status = await post(url, body);
      latencies.push(performance.now() - started);
      if (status !== 200) failed += 1;
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => worker(c)));
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { perSecond: turns / seconds, p50: at(0.5), p99: at(0.99), failed, latencies, seconds };
}

/**
 * Turn throughput through /api/messages (the Emulator's and Teams' path: each SDK's CloudAdapter, its connector
 * client, the loopback connector here) on each bot SDK: established conversations, `turns` messages per run at
 * CONCURRENCY, `rounds` runs per SDK alternating, each on a fresh server and store. Turns and latencies are pooled.
 */
export const MESSAGES_LOAD = `${CONCURRENCY} established conversations at once through /api/messages to a loopback connector`;

export async function benchSdkMessages(sdks: readonly string[], modelFile: string, rounds = 3, turns = 1500): Promise<Map<string, { perSecond: number; p50: number; p99: number; failed: number }>> {
  const connector = await startConnector();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sdk-messages-'));
  const runs = new Map<string, Array<Awaited<ReturnType<typeof drive>>>>(sdks.map((sdk) => [sdk, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const sdk of sdks) {
        const bot = await spawnBot(join(projectRoot, 'dist', 'bundle', 'main.mjs'), { BOT_SDK: sdk, MODEL_FILE: modelFile, DB_FILE: join(dir, `db-${sdk}-${round}.json`), LOG_LEVEL: 'info' });
        try {
          await drive(bot.url, connector.url, WARM_UP, true);
          runs.get(sdk)!.push(await drive(bot.url, connector.url, turns, true));
        } finally {
          await stopBot(bot);
        }
      }
    }
  } finally {
    await new Promise((resolve) => connector.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
  return new Map(
    [...runs].map(([sdk, r]) => {
      const latencies = r.flatMap((x) => x.latencies).sort((a, b) => a - b);
      const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
      const seconds = r.reduce((sum, x) => sum + x.seconds, 0);
      return [sdk, { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), failed: r.reduce((sum, x) => sum + x.failed, 0) }];
    }),
  );
}

/** Stored conversations (and about one record for every four), written through the store's own code. */
async function fill(dbFile: string, modelState: Record<string, unknown>, from: number, upTo: number): Promise<number> {
  const started = performance.now();
  const store = await openLowdbStore(dbFile, silentLogger);
  const records = new RecordStore(store.records);
  const BATCH = 500;
  for (let i = from; i < upTo; i += BATCH) {
    const batch: Record<string, Record<string, unknown>> = {};
    for (let j = i; j < Math.min(upTo, i + BATCH); j++) batch[`${CONVERSATION_STATE_PREFIX}webchat/conversations/stored-${j}`] = modelState;
    await store.documents.write(batch);
    for (let j = i; j < Math.min(upTo, i + BATCH); j += 4) await records.unanswered('webchat', `stored question ${j} about something the clinic has no answer for`, 'no match');
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.compactNow();
  await store.close();
  return performance.now() - started;
}

/** A conversation's state as the bot left it, read back through the store. */
async function sampleState(dbFile: string): Promise<Record<string, unknown>> {
  const store = await openLowdbStore(dbFile, silentLogger);
  try {
    const key = (await store.documents.list(`${CONVERSATION_STATE_PREFIX}emulator/conversations/new-`, { limit: 1 }))[0]!;
    const { eTag: _eTag, ...state } = (await store.documents.read([key]))[key]!;
    return state;
  } finally {
    await store.close();
  }
}

function journalMb(dbFile: string): number {
  const dir = `${dbFile}.d`;
  return existsSync(dir) ? dirBytes(dir) / 1048576 : 0;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) n += statSync(join(dir, name)).size;
  return n;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runStoreBench(): Promise<void> {
  const mainJs = join(projectRoot, 'dist', 'bundle', 'main.mjs');
  const bareJs = join(projectRoot, 'dist', 'src', 'cli', 'bareBot.js');
  if (!existsSync(mainJs) || !existsSync(bareJs)) {
    console.log('store scale: not built (npm run build)');
    return;
  }
  const connector = await startConnector();
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const dbFile = join(dir, 'db.json');
  // The bot logs its turn lines as in production (LOG_LEVEL=info), to a stdout nobody reads.
  const env = { DB_FILE: dbFile, LOG_LEVEL: 'info', ...(process.env.MODEL_FILE ? { MODEL_FILE: process.env.MODEL_FILE } : {}) };
  let bot: Bot | undefined;
  let bare: Bot | undefined;
  try {
    if (process.env.BENCH_ONLY === 'fixed') {
      // For profiling one bot (BENCH_BOT=bare for the baseline): established conversations only.
      bot = await spawnBot(process.env.BENCH_BOT === 'bare' ? bareJs : mainJs, env);
      console.log(`RSS when ready: ${fmt(rssMb(bot.child.pid!), 0)} MB`);
      await drive(bot.url, connector.url, WARM_UP, true);
      const before = connector.received();
      const r = await drive(bot.url, connector.url, TURNS, true);
      console.log(`fixed conversations: ${fmt(r.perSecond, 0)} turns/s, p99 ${fmt(r.p99)} ms, ${fmt((connector.received() - before) / TURNS, 2)} replies per turn, RSS ${fmt(rssMb(bot.child.pid!), 0)} MB`);
      return;
    }
    console.log(`\nstore scale: ${TURNS} messages per row at concurrency ${CONCURRENCY}, a new conversation per message ("${QUESTION}"), loopback connector; the bot is dist/bundle/main.mjs in its own process`);
    const rows: string[][] = [['stored conversations', 'turns/s', 'p50 (ms)', 'p99 (ms)', 'bot RSS (MB)', 'journal (MB)', 'fill (s)', 'start (ms)']];
    const results = new Map<number, { perSecond: number; p99: number; rss: number }>();
    let stored = 0;
    let state: Record<string, unknown> | undefined;
    for (const target of [0, 20_000, 100_000]) {
      let fillMs = 0;
      if (target > stored) {
        fillMs = await fill(dbFile, state!, stored, target);
        stored = target;
      }
      bot = await spawnBot(mainJs, env);
      await drive(bot.url, connector.url, WARM_UP, false);
      const r = await drive(bot.url, connector.url, TURNS, false);
      const rss = rssMb(bot.child.pid!);
      results.set(target, { perSecond: r.perSecond, p99: r.p99, rss });
      rows.push([target.toLocaleString('en'), fmt(r.perSecond, 0), fmt(r.p50), fmt(r.p99), fmt(rss, 0), '', target ? fmt(fillMs / 1000) : '-', fmt(bot.readyMs, 0)]);
      if (r.failed) console.log(`  (${r.failed} requests failed at ${target})`);
      if (target < 100_000) {
        await stopBot(bot);
        bot = undefined;
      }
      rows[rows.length - 1]![5] = fmt(journalMb(dbFile));
      state ??= await sampleState(dbFile);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    const empty = results.get(0)!;
    const full = results.get(100_000)!;
    console.log(`(each stored conversation: ${JSON.stringify(state).length} bytes of state, as the bot wrote it; one unanswered record for every four; plus ${(3 * (WARM_UP + TURNS)).toLocaleString('en')} conversations from the runs)`);
    console.log(
      `after 100,000: ${fmt(full.perSecond / empty.perSecond, 2)}× the empty-store rate (target ≥ 0.8), p99 ${fmt(full.p99 / empty.p99, 2)}× the empty-store p99 (target ≤ 2), bot RSS ${fmt(full.rss, 0)} MB (target ≤ 300)`,
    );

    const ours = await drive(bot!.url, connector.url, TURNS, true);
    bare = await spawnBot(bareJs, {});
    await drive(bare.url, connector.url, WARM_UP, true);
    const bareFixed = await drive(bare.url, connector.url, TURNS, true);
    const bareNew = await drive(bare.url, connector.url, TURNS, false);
    console.log(
      `fixed conversations (${CONCURRENCY} chats, each its own, state in place): this bot ${fmt(ours.perSecond, 0)} turns/s (p99 ${fmt(ours.p99)} ms), ` +
        `bare botbuilder bot with a fixed text reply ${fmt(bareFixed.perSecond, 0)} turns/s (p99 ${fmt(bareFixed.p99)} ms): ${fmt(ours.perSecond / bareFixed.perSecond, 2)}× (target ≥ 0.9)`,
    );
    console.log(`bare bot, a new conversation per message: ${fmt(bareNew.perSecond, 0)} turns/s (p99 ${fmt(bareNew.p99)} ms)`);
    await stopBot(bare);
    bare = undefined;

    // Restart on the 100,000-conversation store: after a clean stop, and right after kill -9 (the lock is left behind).
    const clean: number[] = [];
    const killed: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      await stopBot(bot!, 'SIGTERM');
      bot = await spawnBot(mainJs, env);
      clean.push(bot.readyMs);
      await stopBot(bot, 'SIGKILL');
      bot = await spawnBot(mainJs, env);
      killed.push(bot.readyMs);
    }
    console.log(
      `restart to first 200 /readyz on that store: after a clean stop median ${fmt(median(clean), 0)} ms (${clean.map((x) => fmt(x, 0)).join(', ')}), ` +
        `right after kill -9 median ${fmt(median(killed), 0)} ms (${killed.map((x) => fmt(x, 0)).join(', ')}): ${fmt(median(killed) / median(clean), 2)}× (target ≤ 1.5)`,
    );
  } finally {
    if (bot) await stopBot(bot);
    if (bare) await stopBot(bare);
    await new Promise((resolve) => connector.server.close(resolve));
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
