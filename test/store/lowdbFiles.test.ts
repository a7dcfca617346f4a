import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { silentLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { isExplainedStartupError } from '../../src/startupError.js';
import { BotStorage } from '../../src/store/botStorage.js';
import { StoreStartupError, StoreUnavailableError } from '../../src/store/contract.js';
import { openLowdbStore, type LowdbBotStore } from '../../src/store/lowdb/index.js';
import { DatabaseLockedError } from '../../src/store/lowdb/lock.js';
import { startRetention } from '../../src/store/retention.js';
import { startTestServer } from '../helpers/testBot.js';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'eczema-db-')), 'db.json');
}

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

const segments = (file: string) => readdirSync(`${file}.d`).filter((n) => /^\d{8}-\d{4}\.jsonl$/.test(n)).sort();

const V1 = (state: unknown, records: unknown) => JSON.stringify({ version: 1, state, records });
const emptyRecords = { feedback: [], unanswered: [], escalations: [], handoffs: [] };

describe('embedded store: files on disk', function () {
  this.timeout(60_000);

  describe('bad content at DB_FILE', () => {
    for (const [name, content] of [
      ['truncated JSON', '{"version": 1, "state": {'],
      ['an empty file', ''],
      ['a foreign JSON file', '{"hello": "world"}'],
      ['a JSON list', '[1, 2]'],
      ['"state": null', V1(null, emptyRecords)],
      ['"records": null', V1({}, null)],
      ['a missing record list', V1({}, { feedback: [], unanswered: [], escalations: [] })],
      ['a record list that is a string', V1({}, { ...emptyRecords, handoffs: 'none' })],
    ] as const) {
      it(`moves ${name} aside as it was, logs one line, and starts a fresh store`, async () => {
        const file = tempFile();
        writeFileSync(file, content);
        const { logger, lines } = capturingLogger();
        const store = await openLowdbStore(file, logger);
        await store.records.append('feedback', { intent: 'x' });
        await store.close();
        const aside = readdirSync(join(file, '..')).filter((f) => f.startsWith('db.json.corrupt-'));
        expect(aside).to.have.length(1);
        expect(readFileSync(join(file, '..', aside[0]!), 'utf8')).to.equal(content, 'the bad file is kept as it was');
        const line = lines.filter((l) => l.level === 50);
        expect(line).to.have.length(1);
        expect(line[0]!.msg).to.equal('database file was unreadable; moved it aside and started a fresh one');
        expect(line[0]!.movedTo).to.equal(join(file, '..', aside[0]!));
        expect(line[0]!.problem).to.be.a('string');
        const again = await openLowdbStore(file, silentLogger);
        expect((await again.records.query({})).items).to.have.length(1);
        await again.close();
      });
    }

    it('reads a version-1 file and a header that start with a UTF-8 byte order mark', async () => {
      const file = tempFile();
      writeFileSync(file, `\uFEFF${V1({ 'webchat/conversations/a': { eTag: '1', updatedAt: new Date().toISOString(), data: { flow: { welcomed: true } } } }, emptyRecords)}`);
      const store = await openLowdbStore(file, silentLogger);
      expect(await store.documents.list('')).to.deep.equal(['conversation/webchat/conversations/a']);
      await store.close();
      writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
      const again = await openLowdbStore(file, silentLogger);
      expect(await again.documents.list('')).to.have.length(1);
      await again.close();
      expect(readdirSync(join(file, '..')).filter((f) => f.includes('corrupt'))).to.deep.equal([]);
    });

    it('stops start-up with one line when DB_FILE is a directory or a path that cannot be used', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eczema-db-'));
      const asDir = await refusal(openLowdbStore(dir, silentLogger));
      expect(asDir).to.be.instanceOf(StoreStartupError);
      expect(isExplainedStartupError(asDir)).to.equal(true);
      expect(asDir.message).to.equal(`DB_FILE ${dir} is a directory; it must name a file (the store keeps its data in the folder ${dir}.d beside it)`);
      const aFile = join(dir, 'plain');
      writeFileSync(aFile, 'x');
      const under = await refusal(openLowdbStore(join(aFile, 'db.json'), silentLogger));
      expect(under).to.be.instanceOf(StoreStartupError);
      expect(under.message).to.match(/^DB_FILE .*plain\/db\.json cannot be used: /);
      expect(under.message).to.not.include('\n');
    });

    it('the server prints the directory mistake as its one line and exits 1', () => {
      const dir = mkdtempSync(join(tmpdir(), 'eczema-db-'));
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: projectRoot,
        env: { ...process.env, DB_FILE: dir, PORT: '0', LOG_LEVEL: 'silent', MODEL_FILE: join(dir, 'model.json') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status).to.equal(1);
      expect(child.stderr.trim()).to.equal(`DB_FILE ${dir} is a directory; it must name a file (the store keeps its data in the folder ${dir}.d beside it)`);
    });
  });

  describe('carrying over a version-1 database', () => {
    const old = new Date(Date.now() - 10 * 24 * 60 * 60 * 1000).toISOString();
    const v1 = V1(
      {
        'webchat/conversations/a': { eTag: 'e1', updatedAt: old, data: { flow: { welcomed: true, choices: [] } } },
        'msteams/conversations/b': { eTag: 'e2', updatedAt: 'yesterday-ish', data: { flow: { welcomed: true } } },
        broken: null,
      },
      {
        feedback: [{ at: old, channel: 'webchat', intent: 'triggers', helpful: true }, null],
        unanswered: [{ at: 'not a date', channel: 'webchat', intent: null, text: 'parking?', reason: 'no match' }],
        escalations: [{ at: old, channel: 'webchat', intent: null, level: 'urgent', reason: 'infection', text: 'pus' }],
        handoffs: [],
        fromNewerVersion: [{ at: old }],
      },
    );

    it('keeps every conversation and record, the old file as a backup, and reports unreadable dates instead of deleting them', async () => {
      const file = tempFile();
      writeFileSync(file, v1);
      const { logger, lines } = capturingLogger();
      const store = await openLowdbStore(file, logger);
      const backups = readdirSync(join(file, '..')).filter((f) => f.startsWith('db.json.v1-backup-'));
      expect(backups).to.have.length(1);
      expect(readFileSync(join(file, '..', backups[0]!), 'utf8')).to.equal(v1, 'the backup is the old file, byte for byte');

      const state = new BotStorage(store.documents);
      const read = await state.read(['webchat/conversations/a', 'msteams/conversations/b']);
      expect(read['webchat/conversations/a']).to.deep.equal({ flow: { welcomed: true, choices: [] }, eTag: 'e1' });
      expect(read['msteams/conversations/b']).to.deep.include({ flow: { welcomed: true } });

      const records = (await store.records.query({})).items;
      expect(records.map((r) => r.kind).sort()).to.deep.equal(['escalations', 'feedback', 'unanswered']);
      const undated = records.find((r) => r.kind === 'unanswered')!;
      expect(undated).to.deep.include({ text: 'parking?', unreadableAt: 'not a date' });
      expect(Date.now() - Date.parse(undated.at)).to.be.below(60_000, 'dated to the carry-over');
      expect(records.find((r) => r.kind === 'feedback')!.at).to.equal(old);

      const carried = lines.find((l) => String(l.msg).startsWith('carried the version-1 database over'));
      expect(carried).to.deep.include({ conversations: 2, records: 3, dropped: 2, undated: 2 });
      expect(carried!.unknownKinds).to.deep.equal(['fromNewerVersion']);
      expect(lines.some((l) => String(l.msg).startsWith('database entries had unreadable dates; kept them'))).to.equal(true);

      // Retention that runs right after the carry-over keeps the undated record.
      const retention = startRetention(store, { days: 5, logger: silentLogger });
      expect(await retention.runOnce()).to.deep.equal({ records: 2, conversations: 1 });
      await retention.stop();
      expect((await store.records.query({})).items.map((r) => r.kind)).to.deep.equal(['unanswered']);
      await store.close();

      const again = await openLowdbStore(file, silentLogger);
      expect((await again.records.query({})).items).to.have.length(1);
      expect(readdirSync(join(file, '..')).filter((f) => f.startsWith('db.json.v1-backup-'))).to.have.length(1, 'carried over once');
      await again.close();
    });

    it('starts an interrupted carry-over again from the old file, without duplicates', async () => {
      const file = tempFile();
      writeFileSync(file, v1);
      // What a crash during the carry-over leaves: the data folder, its marker, part of a segment; DB_FILE still version 1.
      mkdirSync(`${file}.d`);
      writeFileSync(join(`${file}.d`, 'carrying-over-version-1'), '');
      writeFileSync(join(`${file}.d`, '00000001-0000.jsonl'), 'half a line');
      const store = await openLowdbStore(file, silentLogger);
      expect((await store.records.query({})).items).to.have.length(3);
      expect(await store.documents.list('')).to.have.length(2);
      await store.close();
      expect(existsSync(join(`${file}.d`, 'carrying-over-version-1'))).to.equal(false);
    });
  });

  describe('one writer', () => {
    it('refuses a second opener in this process, naming the file and the holder', async () => {
      const file = tempFile();
      const first = await openLowdbStore(file, silentLogger);
      try {
        const error = await refusal(openLowdbStore(file, silentLogger));
        expect(error).to.be.instanceOf(DatabaseLockedError);
        expect(error.message).to.contain(file).and.to.match(/another bot process/i).and.to.contain(`process ${process.pid}`);
      } finally {
        await first.close();
      }
      const again = await openLowdbStore(file, silentLogger);
      await again.close();
    });

    it('refuses a second process that reaches the file through a symlink', async () => {
      const file = tempFile();
      const link = join(mkdtempSync(join(tmpdir(), 'eczema-link-')), 'linked.json');
      const first = await openLowdbStore(file, silentLogger);
      symlinkSync(file, link);
      try {
        const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/store/fixtures/open.ts', link], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
        expect(child.status).to.equal(1);
        expect(child.stderr.trim()).to.match(/^Another bot process is already using the database file /);
        expect(child.stderr).to.contain(file);
      } finally {
        await first.close();
      }
    });

    it('refuses a hard link of DB_FILE, which has no data folder of its own', async () => {
      const file = tempFile();
      const store = await openLowdbStore(file, silentLogger);
      await store.close();
      const link = join(mkdtempSync(join(tmpdir(), 'eczema-link-')), 'hard.json');
      linkSync(file, link);
      const error = await refusal(openLowdbStore(link, silentLogger));
      expect(error).to.be.instanceOf(StoreStartupError);
      expect(error.message).to.contain(`${link}.d is missing`);
    });

    it('takes over at once, with a log line, a lock whose process no longer runs', async () => {
      const file = tempFile();
      const store = await openLowdbStore(file, silentLogger);
      await store.documents.write({ k: { v: 1 } });
      const lock = readFileSync(join(`${file}.d`, 'lock'), 'utf8');
      await store.close();
      // A lock as a killed process leaves it: its holder's pid is one that has exited.
      const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
      writeFileSync(join(`${file}.d`, 'lock'), JSON.stringify({ ...JSON.parse(lock), pid: Number(gone.stdout.trim()), nonce: 'dead' }));
      const { logger, lines } = capturingLogger();
      const again = await openLowdbStore(file, logger);
      expect((await again.documents.read(['k'])).k!.v).to.equal(1);
      const line = lines.find((l) => l.msg === 'took over the database lock of a process that no longer runs');
      expect(line?.previousPid).to.equal(Number(gone.stdout.trim()));
      await again.close();
    });

    it('stops writing loudly when its lock is taken away, and /readyz answers 503', async () => {
      const { logger, lines } = capturingLogger();
      const server = await startTestServer({}, logger);
      try {
        expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
        unlinkSync(join(`${server.config.DB_FILE}.d`, 'lock'));
        const deadline = Date.now() + 10_000;
        while (server.store.healthy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect((await fetch(`${server.url}/readyz`)).status).to.equal(503);
        expect(await refusal(server.store.documents.write({ k: {} }))).to.be.instanceOf(StoreUnavailableError);
        expect(lines.find((l) => l.msg === 'database lock lost; this process stops writing to the store')?.reason).to.equal('the lock file was removed');
      } finally {
        await server.stop();
      }
    });
  });

  describe('the journal', () => {
    const small = { journal: { segmentBytes: 16 * 1024, compactGarbageBytes: 8 * 1024, compactStepBytes: 2 * 1024 }, compactCheckMs: 60_000 };

    it('drops an unfinished last write with a log line and keeps everything before it', async () => {
      const file = tempFile();
      const store = await openLowdbStore(file, silentLogger);
      await store.records.append('feedback', { n: 1 });
      await store.close();
      appendFileSync(join(`${file}.d`, segments(file).at(-1)!), '1234abcd {"s":99,"op":"rec","kind":"feedback"');
      const { logger, lines } = capturingLogger();
      const again = await openLowdbStore(file, logger);
      expect((await again.records.query({})).items.map((r) => r.n)).to.deep.equal([1]);
      await again.records.append('feedback', { n: 2 });
      await again.close();
      expect(lines.some((l) => String(l.msg).startsWith('store journal ended in an unfinished write'))).to.equal(true);
      const third = await openLowdbStore(file, silentLogger);
      expect((await third.records.query({})).items.map((r) => r.n)).to.deep.equal([2, 1]);
      await third.close();
    });

    it('skips a damaged line inside a segment, keeps a copy of the file and every other entry', async () => {
      const file = tempFile();
      const store = await openLowdbStore(file, silentLogger, small);
      for (let i = 0; i < 3; i++) await store.records.append('feedback', { n: i });
      await store.close();
      const seg = join(`${file}.d`, segments(file)[0]!);
      const text = readFileSync(seg, 'utf8').split('\n');
      text[2] = text[2]!.replace('"n":1', '"n":7'); // the checksum no longer matches
      writeFileSync(seg, text.join('\n'));
      const { logger, lines } = capturingLogger();
      const again = await openLowdbStore(file, logger);
      expect((await again.records.query({})).items.map((r) => r.n)).to.deep.equal([2, 0]);
      await again.close();
      const line = lines.find((l) => String(l.msg).startsWith('store journal had unreadable entries'));
      expect(line?.unreadable).to.equal(1);
      expect(existsSync((line!.copies as string[])[0]!)).to.equal(true);
    });

    it('rotates segments and compacts them in the background, keeping exactly what is current', async () => {
      const file = tempFile();
      const store = (await openLowdbStore(file, silentLogger, small)) as LowdbBotStore;
      for (let i = 0; i < 400; i++) await store.documents.write({ [`conversation/c${i % 10}`]: { i, pad: 'p'.repeat(100) } });
      const kept = await store.records.append('escalations', { level: 'urgent' });
      for (let i = 0; i < 50; i++) await store.records.append('feedback', { i, at: '2025-01-01T00:00:00.000Z' });
      await store.records.purgeBefore(new Date('2025-06-01T00:00:00.000Z'), 100);
      await store.documents.delete(['conversation/c0']);
      const before = store.stats();
      expect(before.segments).to.be.greaterThan(2);
      await store.compactNow();
      const after = store.stats();
      expect(after.bytes).to.be.below(before.bytes / 2);
      const expectState = async (s: LowdbBotStore) => {
        const docs = await s.documents.read(Array.from({ length: 10 }, (_, i) => `conversation/c${i}`));
        expect(Object.keys(docs)).to.have.length(9);
        expect(docs['conversation/c9']!.i).to.equal(399);
        expect((await s.records.query({})).items).to.deep.equal([kept]);
      };
      await expectState(store);
      await store.documents.write({ 'conversation/c1': { i: 1000 } });
      await store.close();
      const again = (await openLowdbStore(file, silentLogger, small)) as LowdbBotStore;
      expect((await again.documents.read(['conversation/c1']))['conversation/c1']!.i).to.equal(1000);
      await again.documents.write({ 'conversation/c1': { i: 399 - 8 } });
      await again.close();
    });
  });

  describe('kill -9', () => {
    /** Runs the writer, kills it with SIGKILL once `until` says so, and returns what it acknowledged. */
    async function killWriter(file: string, until: (acks: number, compacting: boolean) => boolean) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/fixtures/writer.ts', file], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      const docs = new Map<string, number>();
      const records = new Set<string>();
      let compacting = false;
      let acks = 0;
      await new Promise<void>((resolve, reject) => {
        child.on('exit', () => resolve());
        child.on('error', reject);
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const [what, kind, id, n] = line.split(' ');
          if (what === 'compacting') compacting = true;
          if (what === 'ack') {
            acks += 1;
            if (kind === 'doc') docs.set(id!, Number(n));
            else records.add(id!);
          }
          if (until(acks, compacting) && child.exitCode === null) child.kill('SIGKILL');
        });
      });
      return { docs, records, compacting };
    }

    async function expectAcknowledged(file: string, acked: { docs: Map<string, number>; records: Set<string> }) {
      const store = await openLowdbStore(file, silentLogger);
      try {
        const docs = await store.documents.read([...acked.docs.keys()].map((k) => `conversation/${k}`));
        // Each conversation holds its last acknowledged write, or one the process wrote just before it died.
        for (const [key, n] of acked.docs) expect(docs[`conversation/${key}`]?.turn as number).to.be.at.least(n);
        const stored = new Set<string>();
        let cursor: string | undefined;
        do {
          const page = await store.records.query({ limit: 1000, cursor });
          for (const r of page.items) stored.add(r.id);
          cursor = page.next;
        } while (cursor);
        const missing = [...acked.records].filter((id) => !stored.has(id));
        expect(missing, 'acknowledged records missing after kill -9').to.deep.equal([]);
      } finally {
        await store.close();
      }
    }

    it('finds every acknowledged record after the writer is killed mid-write', async () => {
      const file = tempFile();
      const acked = await killWriter(file, (acks) => acks >= 300);
      expect(acked.records.size).to.be.greaterThan(100);
      await expectAcknowledged(file, acked);
    });

    it('finds every acknowledged record after the writer is killed during compactions and segment rotations, three times over', async () => {
      const file = tempFile();
      const all = { docs: new Map<string, number>(), records: new Set<string>() };
      let compactions = 0;
      for (let round = 0; round < 3; round++) {
        let seen = 0;
        const acked = await killWriter(file, (acks, compacting) => {
          if (compacting) seen += 1;
          return compacting && seen > 3 + round * 7;
        });
        if (acked.compacting) compactions += 1;
        for (const [k, n] of acked.docs) all.docs.set(k, n);
        for (const id of acked.records) all.records.add(id);
        await expectAcknowledged(file, all);
      }
      expect(compactions, 'each kill came during a compaction').to.equal(3);
      expect(readdirSync(`${file}.d`).filter((n) => n.endsWith('.tmp'))).to.deep.equal([], 'an unfinished compaction is cleared at start');
    });
  });
});
