import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import { DatabaseLockedError, openDatabase } from '../../src/store/database.js';
import { LowdbStorage } from '../../src/store/botStorage.js';
import { RecordStore } from '../../src/store/records.js';
import { silentLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'eczema-db-')), 'db.json');
}

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('database file', () => {
  for (const [name, content] of [
    ['corrupt', '{"version": 1, "state": {'],
    ['empty', ''],
    ['foreign', '{"hello": "world"}'],
  ] as const) {
    it(`moves a ${name} file aside with a timestamp, logs it, and starts fresh`, async () => {
      const file = tempFile();
      writeFileSync(file, content);
      const { logger, lines } = capturingLogger();
      const database = await openDatabase(file, logger);
      await database.close();
      const aside = readdirSync(join(file, '..')).filter((f) => f.startsWith('db.json.corrupt-'));
      expect(aside).to.have.length(1);
      expect(readFileSync(join(file, '..', aside[0]!), 'utf8')).to.equal(content, 'the bad file is kept as it was');
      expect(JSON.parse(readFileSync(file, 'utf8')).version).to.equal(1);
      const line = lines.find((l) => String(l.msg).includes('moved it aside'));
      expect(line?.movedTo).to.equal(join(file, '..', aside[0]!));
    });
  }

  it('refuses a second opener of the same file with a clear message', async () => {
    const file = tempFile();
    const first = await openDatabase(file, silentLogger);
    try {
      let error: unknown;
      try {
        await openDatabase(file, silentLogger);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(DatabaseLockedError);
      expect((error as Error).message).to.contain(file).and.to.match(/another bot process/i);
    } finally {
      await first.close();
    }
  });

  it('refuses a second bot process on the same DB_FILE, which exits with that message', async () => {
    const file = tempFile();
    const first = await openDatabase(file, silentLogger);
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: projectRoot,
        env: { ...process.env, DB_FILE: file, PORT: '0', LOG_LEVEL: 'silent', MODEL_FILE: join(file, '..', 'model.json') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status).to.equal(1);
      expect(child.stderr).to.match(/another bot process is already using the database file/i);
    } finally {
      await first.close();
    }
  });

  it('keeps what was written across a restart', async () => {
    const file = tempFile();
    const a = await openDatabase(file, silentLogger);
    await new RecordStore(a).feedback('webchat', 'dupilumab', true);
    await a.close();
    const b = await openDatabase(file, silentLogger);
    expect(new RecordStore(b).list('feedback')).to.have.length(1);
    await b.close();
    expect(existsSync(`${file}.lock`)).to.equal(false, 'the lock is released on close');
  });
});

describe('conversation state storage (botbuilder Storage on lowdb)', () => {
  it('reads back what it wrote, with a new eTag', async () => {
    const database = await openDatabase(tempFile(), silentLogger);
    const storage = new LowdbStorage(database);
    await storage.write({ k: { step: 1 } });
    const read = await storage.read(['k', 'missing']);
    expect(read.k.step).to.equal(1);
    expect(read.k.eTag).to.be.a('string');
    expect(read).not.to.have.property('missing');
    await database.close();
  });

  it('refuses a write with a stale eTag and accepts "*"', async () => {
    const database = await openDatabase(tempFile(), silentLogger);
    const storage = new LowdbStorage(database);
    await storage.write({ k: { step: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, step: 2 } });
    let error: unknown;
    try {
      await storage.write({ k: { ...first, step: 3 } });
    } catch (e) {
      error = e;
    }
    expect((error as Error | undefined)?.message).to.match(/eTag conflict/);
    await storage.write({ k: { step: 4, eTag: '*' } });
    expect((await storage.read(['k'])).k.step).to.equal(4);
    await storage.delete(['k']);
    expect(await storage.read(['k'])).to.deep.equal({});
    await database.close();
  });
});

describe('records and retention', () => {
  it('drops entries it cannot read one by one, keeps every other record and a newer kind, and still purges', async () => {
    const file = tempFile();
    const good = { at: new Date().toISOString(), channel: 'webchat', intent: 'x', helpful: true };
    writeFileSync(
      file,
      JSON.stringify({ version: 1, state: { x: null, y: { eTag: '1', updatedAt: good.at, data: {} } }, records: { feedback: [null, good], unanswered: [], escalations: [], handoffs: [], fromNewerVersion: 1 } }),
    );
    const { logger, lines } = capturingLogger();
    const database = await openDatabase(file, logger);
    const records = new RecordStore(database);
    expect(records.list('feedback')).to.deep.equal([good]);
    expect(Object.keys(database.db.data.state)).to.deep.equal(['y']);
    expect(await records.purgeOlderThan(90)).to.equal(0);
    expect((database.db.data.records as unknown as Record<string, unknown>).fromNewerVersion).to.equal(1);
    expect(lines.find((l) => String(l.msg).includes('dropped them'))?.dropped).to.equal(2);
    expect(readdirSync(join(file, '..')).filter((f) => f.includes('corrupt'))).to.deep.equal([]);
    await database.close();
  });

  it('stores the patient text of unanswered questions and escalations only after redaction', async () => {
    const database = await openDatabase(tempFile(), silentLogger);
    const records = new RecordStore(database);
    const text = 'My name is Jane Doe, email jane.doe@example.com, phone 555-123-4567. Is this rash eczema?';
    await records.unanswered('webchat', text, 'out-of-scope');
    await records.escalation('webchat', null, 'urgent', 'infection', text);
    const stored = JSON.stringify(database.db.data.records);
    expect(stored).not.to.contain('Jane');
    expect(stored).not.to.contain('jane.doe@example.com');
    expect(stored).not.to.contain('555-123-4567');
    expect(stored).to.contain('rash eczema');
    await database.close();
  });

  it('keeps 1,000 characters of a long message in a record, its start and its end, so a pasted story cannot bloat the file', async () => {
    const database = await openDatabase(tempFile(), silentLogger);
    const records = new RecordStore(database);
    await records.escalation('webchat', null, 'emergency', 'breathing', `It started last week. ${'x'.repeat(60_000)} Now he can't breathe.`);
    const text = records.list('escalations')[0]!.text;
    expect(text.startsWith('It started last week.')).to.equal(true);
    expect(text.endsWith("Now he can't breathe.")).to.equal(true);
    expect(text).to.include(' … [cut] … ');
    expect(text.length).to.be.below(1_100);
    await database.close();
  });

  it('purges records and conversation state older than the retention period', async () => {
    const database = await openDatabase(tempFile(), silentLogger);
    let now = new Date('2026-01-01T00:00:00Z');
    const records = new RecordStore(database, () => now);
    const storage = new LowdbStorage(database, () => now);
    await records.feedback('webchat', 'moisturizers', true);
    await records.handoff('msteams');
    await storage.write({ old: { step: 1 } });
    now = new Date('2026-03-15T00:00:00Z');
    await records.feedback('webchat', 'biologics', false);
    const removed = await records.purgeOlderThan(30);
    expect(removed).to.equal(3);
    expect(records.list('feedback').map((f) => f.intent)).to.deep.equal(['biologics']);
    expect(records.list('handoffs')).to.have.length(0);
    expect(await storage.read(['old'])).to.deep.equal({});
    await database.close();
  });
});
