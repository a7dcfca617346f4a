import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { CONVERSATION_STATE_PREFIX } from '../../src/store/contract.js';
import { BotStorage } from '../../src/store/botStorage.js';
import { openLowdbStore } from '../../src/store/lowdb/index.js';
import { RecordStore } from '../../src/store/records.js';
import { startRetention } from '../../src/store/retention.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'eczema-records-')), 'db.json');

/** Everything the store wrote to disk, as text. */
const onDisk = (file: string) => readdirSync(`${file}.d`).map((n) => (n === 'lock' ? '' : readFileSync(join(`${file}.d`, n), 'utf8'))).join('\n');

describe('records the clinic reviews', () => {
  it('stores the patient text of unanswered questions and escalations only after redaction', async () => {
    const file = tempFile();
    const store = await openLowdbStore(file, silentLogger);
    const records = new RecordStore(store.records);
    const text = 'My name is Jane Doe, email jane.doe@example.com, phone 555-123-4567. Is this rash eczema?';
    await records.unanswered('webchat', text, 'out-of-scope');
    await records.escalation('webchat', null, 'urgent', 'infection', text);
    await store.close();
    const stored = onDisk(file);
    expect(stored).not.to.contain('Jane');
    expect(stored).not.to.contain('jane.doe@example.com');
    expect(stored).not.to.contain('555-123-4567');
    expect(stored).to.contain('rash eczema');
  });

  it('keeps 1,000 characters of a long message in a record, its start and its end', async () => {
    const store = await openLowdbStore(tempFile(), silentLogger);
    const records = new RecordStore(store.records);
    await records.escalation('webchat', null, 'emergency', 'breathing', `It started last week. ${'x'.repeat(60_000)} Now he can't breathe.`);
    const text = (await records.list('escalations'))[0]!.text;
    expect(text.startsWith('It started last week.')).to.equal(true);
    expect(text.endsWith("Now he can't breathe.")).to.equal(true);
    expect(text).to.include(' … [cut] … ');
    expect(text.length).to.be.below(1_100);
    await store.close();
  });

  it('lists each kind newest first, with the fields the bot wrote', async () => {
    const store = await openLowdbStore(tempFile(), silentLogger);
    const records = new RecordStore(store.records);
    await records.feedback('webchat', 'moisturizers', true);
    await records.handoff('msteams');
    await records.feedback('webchat', 'biologics', false);
    expect((await records.list('feedback')).map((f) => [f.intent, f.helpful])).to.deep.equal([
      ['biologics', false],
      ['moisturizers', true],
    ]);
    expect(await records.list('handoffs')).to.have.length(1);
    await store.close();
  });
});

describe('retention', () => {
  it('purges records and conversation state past retention in small steps, and leaves other documents alone', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const store = await openLowdbStore(tempFile(), silentLogger, { now: () => now });
    const records = new RecordStore(store.records);
    const state = new BotStorage(store.documents);
    for (let i = 0; i < 7; i++) await records.feedback('webchat', 'moisturizers', true);
    await records.handoff('msteams');
    await state.write({ 'webchat/conversations/old': { step: 1 } });
    await store.documents.write({ 'staff/account-1': { name: 'Dr A' } });
    now = new Date('2026-03-15T00:00:00Z');
    await records.feedback('webchat', 'biologics', false);
    await state.write({ 'webchat/conversations/new': { step: 1 } });

    const retention = startRetention(store, { days: 30, logger: silentLogger, budget: 3, pauseMs: 1, now: () => now });
    expect(await retention.runOnce()).to.deep.equal({ records: 8, conversations: 1 });
    await retention.stop();
    expect((await records.list('feedback')).map((f) => f.intent)).to.deep.equal(['biologics']);
    expect(await records.list('handoffs')).to.have.length(0);
    expect(await store.documents.list('')).to.deep.equal([`${CONVERSATION_STATE_PREFIX}webchat/conversations/new`, 'staff/account-1']);
    await store.close();
  });
});
