/**
 * `npm run bench -- --db postgres`: turns per second through our Direct Line, and the p99 reply latency, for the
 * server as `npm start` runs it (dist/bundle/main.mjs) — lowdb on one instance, then PostgreSQL on one and on two
 * instances behind a round-robin "load balancer" (each message goes to the next instance). A patient posts a
 * question and waits for the answer (the POST returns once the turn has run and its replies are stored), then asks
 * the next. A measurement, not a test: it prints figures and asserts nothing. PostgreSQL comes from
 * TEST_DATABASE_URL or DATABASE_URL; a database of its own is created there and dropped afterwards.
 * The same load drives `npm run bench`'s comparison of the two bot SDKs (benchSdkThroughput, lowdb, one instance).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../paths.js';

const PATIENTS = 16;
const SECONDS = 8;
const WARM_UP_TURNS = 2;
const QUESTIONS = ['what triggers eczema?', 'what is eczema?', 'what treatments are there for eczema?', 'how often should I moisturise?', 'can I swim with eczema?'];
const TOKEN_KEY = randomBytes(32).toString('base64url');

interface Server {
  url: string;
  child: ChildProcess;
}

/** A port nothing listens on now (for a server started right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(mainJs: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: '',
      ...env,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      DIRECT_LINE_TOKEN_KEY: TOKEN_KEY,
      RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
      RATE_LIMIT_MESSAGES_PER_MINUTE: '10000',
      RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '10000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr.trim().slice(0, 300)}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server not ready within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function patientConversation(server: Server): Promise<{ token: string; id: string }> {
  const generated = (await (await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
  const res = await fetch(`${server.url}/v3/directline/conversations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${generated.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { token: string; conversationId: string };
  return { token: body.token, id: body.conversationId };
}

/** What one load run measured: every answered turn's latency (ms) and how long the run took. */
interface LoadRun {
  latencies: number[];
  seconds: number;
  failed: number;
}

/** Turns per second and the reply latency's p50 / p99 over one or more runs (their turns pooled). */
export interface LoadFigures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  turns: number;
  failed: number;
}

function figuresOf(runs: readonly LoadRun[]): LoadFigures {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { turnsPerSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), turns: latencies.length, failed: runs.reduce((sum, r) => sum + r.failed, 0) };
}

/** Every patient asks, waits for the answer, asks again, for `seconds`; messages go round-robin over `servers`. */
async function load(servers: Server[], seconds = SECONDS): Promise<LoadRun> {
  const conversations = await Promise.all(Array.from({ length: PATIENTS }, (_, i) => patientConversation(servers[i % servers.length]!)));
  let next = 0;
  const ask = async (c: { token: string; id: string }, n: number): Promise<boolean> => {
    const server = servers[next++ % servers.length]!;
    const res = await fetch(`${server.url}/v3/directline/conversations/${c.id}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: QUESTIONS[n % QUESTIONS.length] }),
    });
    await res.text();
    return res.status === 200;
  };
  for (const c of conversations) for (let i = 0; i < WARM_UP_TURNS; i++) await ask(c, i);
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    conversations.map(async (c, i) => {
      for (let n = i; performance.now() < until; n += 1) {
        const t = performance.now();
        if (await ask(c, n)) latencies.push(performance.now() - t);
        else failed += 1;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failed };
}

/**
 * Turn throughput on each bot SDK (BOT_SDK, docs/SDK.md): the server as `npm start` runs it, lowdb, one instance,
 * the same Direct Line load as above; `rounds` runs of `seconds` each per SDK, alternating (botbuilder, agents,
 * botbuilder, …) so the machine's other load falls on both alike. Each run starts a fresh server on a fresh store.
 */
export async function benchSdkThroughput(mainJs: string, modelFile: string, sdks: readonly string[], rounds = 3, seconds = 6): Promise<Map<string, LoadFigures>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sdk-'));
  const runs = new Map<string, LoadRun[]>(sdks.map((sdk) => [sdk, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const sdk of sdks) {
        const server = await startServer(mainJs, { BOT_SDK: sdk, MODEL_FILE: modelFile, DB_FILE: join(dir, `db-${sdk}-${round}.json`) });
        try {
          runs.get(sdk)!.push(await load([server], seconds));
        } finally {
          await stopServer(server);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return new Map([...runs].map(([sdk, r]) => [sdk, figuresOf(r)]));
}

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

export const DIRECT_LINE_LOAD = `${PATIENTS} patients through Direct Line, each asking and waiting for the answer`;

export async function benchDirectLine(mainJs: string, modelFile: string): Promise<void> {
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server) {
    console.log('Direct Line throughput on PostgreSQL: skipped (set TEST_DATABASE_URL or DATABASE_URL to a server the bench may create a database on)');
    return;
  }
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-dl-'));
  const rows: string[][] = [['', 'turns/s', 'reply p50 (ms)', 'reply p99 (ms)', 'turns', 'failed']];
  let baseline: number | undefined;
  try {
    const runs: Array<{ label: string; env: Record<string, string>; instances: number }> = [
      { label: 'lowdb, 1 instance', env: { DB_FILE: join(dir, 'db.json'), MODEL_FILE: modelFile }, instances: 1 },
      { label: 'PostgreSQL, 1 instance', env: { DATABASE_URL: url.toString(), MODEL_FILE: modelFile }, instances: 1 },
      { label: 'PostgreSQL, 2 instances', env: { DATABASE_URL: url.toString(), MODEL_FILE: modelFile }, instances: 2 },
    ];
    for (const run of runs) {
      const servers: Server[] = [];
      try {
        for (let i = 0; i < run.instances; i++) servers.push(await startServer(mainJs, run.env));
        const result = figuresOf([await load(servers)]);
        baseline ??= result.turnsPerSecond;
        rows.push([
          run.label,
          `${result.turnsPerSecond.toFixed(0)} (${(result.turnsPerSecond / baseline).toFixed(2)}×)`,
          result.p50.toFixed(1),
          result.p99.toFixed(1),
          String(result.turns),
          String(result.failed),
        ]);
      } finally {
        for (const s of servers) await stopServer(s);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  console.log(`Direct Line throughput: ${DIRECT_LINE_LOAD}, ${SECONDS} s per run, ratios against lowdb on one instance`);
  printTable(rows);
  console.log('(all instances, PostgreSQL and the load share this machine’s cores: a second instance adds no CPU here)');
}
