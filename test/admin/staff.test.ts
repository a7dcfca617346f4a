import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { Accounts } from '../../src/admin/accounts.js';
import { AuditLog } from '../../src/admin/audit.js';
import { startControl } from '../../src/admin/control.js';
import { LearnedUtterances } from '../../src/admin/learned.js';
import { controlTarget, runStaffCli, storeTarget } from '../../src/admin/staffCli.js';
import { silentLogger } from '../../src/logger.js';
import { memoryStore } from './memoryStore.js';

/** `npm run staff`'s commands, through a running bot's control channel and straight on a store. */
describe('staff accounts CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'staff-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function io(input = '') {
    const stdin = new PassThrough();
    stdin.end(input);
    let out = '';
    let err = '';
    return {
      io: { stdin, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
      out: () => out,
      err: () => err,
    };
  }

  it('adds, lists and removes accounts through the running bot, which sees them at once', async () => {
    const store = memoryStore();
    let changes = 0;
    const file = join(dir, 'db.json.staff-control.json');
    const control = await startControl({
      file,
      accounts: new Accounts(store.documents),
      learned: new LearnedUtterances(store.documents),
      audit: new AuditLog(store.records),
      changed: () => changes++,
      logger: silentLogger,
    });
    try {
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const connect = async () => (await controlTarget(file))!;
      let run = io('a long enough password\n');
      expect(await runStaffCli(['add', 'Alice', '--password-stdin'], run.io, connect)).to.equal(0);
      expect(run.out()).to.match(/added staff account "alice" \(through the running bot \(process \d+\)\)/);
      expect(changes).to.equal(1);
      expect(await new Accounts(store.documents).verify('alice', 'a long enough password')).to.equal('alice');

      run = io('another good password\n');
      expect(await runStaffCli(['add', 'alice', '--password-stdin'], run.io, connect)).to.equal(1);
      expect(run.err()).to.equal('there is already an account "alice"\n');
      run = io('short\n');
      expect(await runStaffCli(['add', 'bob', '--password-stdin'], run.io, connect)).to.equal(1);
      expect(run.err()).to.equal('the password must be at least 12 characters\n');
      run = io('');
      expect(await runStaffCli(['add', 'bob'], run.io, connect)).to.equal(1);
      expect(run.err()).to.match(/--password-stdin/);

      run = io();
      expect(await runStaffCli(['list'], run.io, connect)).to.equal(0);
      expect(run.out()).to.match(/^alice\tcreated \d{4}-/);
      run = io();
      expect(await runStaffCli(['remove', 'alice'], run.io, connect)).to.equal(0);
      expect(await new Accounts(store.documents).any()).to.equal(false);
      run = io();
      expect(await runStaffCli(['remove', 'alice'], run.io, connect)).to.equal(1);

      const audit = store.records.all().filter((r) => r.kind === 'audit').map((r) => r.action);
      expect(audit).to.deep.equal(['account-removed', 'account-added']);
      expect(JSON.stringify(store.records.all())).not.to.include('a long enough password');
    } finally {
      await control.close();
    }
    // The bot removes its file when it stops; a file left by a crashed bot leads nowhere, and the CLI opens the store.
    expect(await controlTarget(file)).to.equal(undefined);
    writeFileSync(file, JSON.stringify({ port: 9, token: 'x', pid: 1 }));
    expect(await controlTarget(file)).to.equal(undefined);
  });

  it('refuses a wrong control token', async () => {
    const store = memoryStore();
    const file = join(dir, 'control.json');
    const control = await startControl({ file, accounts: new Accounts(store.documents), learned: new LearnedUtterances(store.documents), audit: new AuditLog(store.records), changed: () => undefined, logger: silentLogger });
    try {
      const { port } = JSON.parse(readFileSync(file, 'utf8')) as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/accounts`, { headers: { authorization: 'Bearer guessed' } });
      expect(res.status).to.equal(401);
    } finally {
      await control.close();
    }
  });

  it('prints usage for a wrong command and exits 2', async () => {
    const run = io();
    expect(await runStaffCli(['promote', 'alice'], run.io, async () => storeTarget(memoryStore(), 'memory'))).to.equal(2);
    expect(run.err()).to.match(/^usage: npm run staff -- add NAME/);
  });

  it('exports taught wordings into intents/ under a dated comment, once, and skips wordings intents/ has', async () => {
    const root = join(dir, 'project');
    mkdirSync(join(root, 'intents'), { recursive: true });
    writeFileSync(join(root, 'intents', 'moisturizers.txt'), '# moisturisers\nwhat moisturiser should i use\n');
    writeFileSync(join(root, 'intents', 'triggers.txt'), 'what triggers eczema');
    const store = memoryStore();
    const learned = new LearnedUtterances(store.documents);
    await learned.add({ text: 'how do wet wraps work', intent: 'moisturizers', by: 'alice', at: '2026-12-01T10:00:00Z' });
    await learned.add({ text: 'What triggers eczema?', intent: 'moisturizers', by: 'alice', at: '2026-12-01T10:01:00Z' });
    await learned.add({ text: 'does pollen matter', intent: 'triggers', by: 'bob', at: '2026-12-01T10:02:00Z' });
    const run = io();
    expect(await runStaffCli(['export-learned'], run.io, async () => storeTarget(store, 'the store'), root)).to.equal(0);
    expect(run.out()).to.include('intents/moisturizers.txt: 1 wording added');
    expect(run.out()).to.include('intents/triggers.txt: 1 wording added');
    expect(readFileSync(join(root, 'intents', 'moisturizers.txt'), 'utf8')).to.match(/^# moisturisers\nwhat moisturiser should i use\n# taught in the staff console, exported \d{4}-\d{2}-\d{2}\nhow do wet wraps work\n$/);
    expect(readFileSync(join(root, 'intents', 'triggers.txt'), 'utf8')).to.match(/^what triggers eczema\n# taught in the staff console, exported .*\ndoes pollen matter\n$/);
    const again = io();
    expect(await runStaffCli(['export-learned'], again.io, async () => storeTarget(store, 'the store'), root)).to.equal(0);
    expect(again.out()).to.include('nothing to export');
  });
});
