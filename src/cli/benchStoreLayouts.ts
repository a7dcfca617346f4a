/**
 * `npm run bench:layouts`: the embedded layouts that were weighed for the store (docs/ARCHITECTURE.md has the
 * figures), at 20,000 and 100,000 stored conversations: the version-1 single lowdb file (rewritten whole on every
 * change), one lowdb file per conversation, and the append-only journal the store uses. For each: the cost of one
 * conversation's write, the start-up cost (what must be read before the first turn), heap held, and disk used.
 * A measurement script: it prints figures and asserts nothing.
 */
import './explainStartupErrors.js';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { silentLogger } from '../logger.js';
import { openLowdbStore } from '../store/lowdb/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A conversation's state as the bot writes it (welcomed, the last reply's choices). */
const STATE = {
  flow: {
    welcomed: true,
    choices: [
      { action: 'ask', intent: 'triggers', title: 'What triggers eczema flares?' },
      { action: 'ask', intent: 'moisturizers', title: 'How do moisturizers help?' },
      { action: 'feedback', intent: 'what-is-eczema', helpful: true, title: 'Yes, this helped' },
    ],
  },
};

const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

function duMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      // Disk blocks, not logical size: 100,000 small files cost a 4 KB block each.
      else bytes += s.blocks * 512;
    }
  };
  walk(dir);
  return bytes / 1048576;
}

async function timeEach(n: number, fn: (i: number) => Promise<void> | void): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - started) / n;
}

interface Row {
  layout: string;
  stored: number;
  writeMs: number;
  startMs: number;
  heapMb: number;
  diskMb: number;
}

async function singleFile(dir: string, n: number): Promise<Row> {
  const before = heapMb();
  const file = join(dir, 'db.json');
  const state: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) state[`webchat/conversations/c${i}`] = { eTag: `e${i}`, updatedAt: new Date().toISOString(), data: STATE };
  let db = new Low(new JSONFile<{ version: 1; state: Record<string, unknown>; records: unknown }>(file), { version: 1, state, records: {} });
  await db.write();
  const startMs = await timeEach(1, async () => {
    db = new Low(new JSONFile(file), { version: 1 as const, state: {}, records: {} });
    await db.read();
  });
  const held = heapMb() - before;
  const writeMs = await timeEach(10, async (i) => {
    db.data.state[`webchat/conversations/c${i}`] = { eTag: `x${i}`, updatedAt: new Date().toISOString(), data: STATE };
    await db.write();
  });
  return { layout: 'one lowdb file (version 1)', stored: n, writeMs, startMs, heapMb: held, diskMb: duMb(dir) };
}

async function filePerConversation(dir: string, n: number): Promise<Row> {
  const before = heapMb();
  const path = (key: string) => {
    const h = createHash('sha1').update(key).digest('hex');
    return join(dir, h.slice(0, 2), `${h}.json`);
  };
  for (let i = 0; i < 256; i++) mkdirSync(join(dir, i.toString(16).padStart(2, '0')), { recursive: true });
  for (let i = 0; i < n; i++) {
    const key = `webchat/conversations/c${i}`;
    writeFileSync(path(key), JSON.stringify({ key, eTag: `e${i}`, updatedAt: new Date().toISOString(), data: STATE }));
  }
  // Before the first turn: which conversations exist and how old they are (list and retention need both).
  const startMs = await timeEach(1, () => {
    for (const sub of readdirSync(dir)) for (const name of readdirSync(join(dir, sub))) statSync(join(dir, sub, name));
  });
  const writeMs = await timeEach(1000, async (i) => {
    const key = `webchat/conversations/c${(i * 7919) % n}`;
    const db = new Low(new JSONFile<Record<string, unknown>>(path(key)), {});
    await db.read();
    db.data = { ...db.data, eTag: `x${i}`, updatedAt: new Date().toISOString() };
    await db.write();
  });
  return { layout: 'one lowdb file per conversation', stored: n, writeMs, startMs, heapMb: heapMb() - before, diskMb: duMb(dir) };
}

async function journal(dir: string, n: number): Promise<Row> {
  const before = heapMb();
  const file = join(dir, 'db.json');
  let store = await openLowdbStore(file, silentLogger);
  for (let i = 0; i < n; i += 1000) {
    const batch: Record<string, Record<string, unknown>> = {};
    for (let j = i; j < Math.min(n, i + 1000); j++) batch[`conversation/webchat/conversations/c${j}`] = STATE;
    await store.documents.write(batch);
  }
  await store.close();
  const startMs = await timeEach(1, async () => {
    store = await openLowdbStore(file, silentLogger);
  });
  const held = heapMb() - before;
  const writeMs = await timeEach(1000, async (i) => {
    const key = `conversation/webchat/conversations/c${(i * 7919) % n}`;
    const current = (await store.documents.read([key]))[key]!;
    await store.documents.write({ [key]: { ...current, eTag: '*' } });
  });
  await store.close();
  return { layout: 'append-only journal (chosen)', stored: n, writeMs, startMs, heapMb: held, diskMb: duMb(`${file}.d`) };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const n of [20_000, 100_000]) {
    for (const layout of [singleFile, filePerConversation, journal]) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-layout-'));
      try {
        rows.push(await layout(dir, n));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const table = [['layout', 'stored', 'one write (ms)', 'start-up read (ms)', 'heap held (MB)', 'disk (MB)']];
  for (const r of rows) table.push([r.layout, r.stored.toLocaleString('en'), r.writeMs.toFixed(3), r.startMs.toFixed(0), r.heapMb.toFixed(1), r.diskMb.toFixed(1)]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('(one write: read and write one conversation\'s state, as a turn does; heap held: what the layout keeps in memory for that many conversations)');
}

await main();
