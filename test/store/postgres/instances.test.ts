import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, requirePostgres, sql, type TestDatabase } from './server.js';
import { relayTo, type DatabaseRelay } from './proxy.js';
import { Patient, startInstance, type Instance } from './instances.js';
import { execSync, spawnSync } from 'node:child_process';
import { loadContent } from '../../../src/content/load.js';
import { loadNluConfig } from '../../../src/nlu/config.js';
import { trainStats } from '../../../src/nlu/model.js';
import { projectRoot } from '../../../src/paths.js';
import { silentLogger } from '../../../src/logger.js';
import { PgModelStore } from '../../../src/store/postgres/models.js';
import { connect } from '../../../src/store/postgres/db.js';
import { loadDatabaseConfig } from '../../../src/store/postgres/config.js';

const alive = (i: Instance) => i.child.exitCode === null && i.child.signalCode === null;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until a bot message arrives (as Web Chat does, once a second at most), or gives up after `ms`. */
async function replyWithin(patient: Patient, instance: Instance, ms: number): Promise<{ texts: string[]; elapsed: number }> {
  const started = Date.now();
  for (;;) {
    const { texts } = await patient.poll(instance);
    if (texts.length > 0) return { texts, elapsed: Date.now() - started };
    if (Date.now() - started > ms) return { texts: [], elapsed: Date.now() - started };
    await delay(50);
  }
}

/**
 * Two bot processes on one PostgreSQL database, as behind a load balancer: one conversation served by both, an
 * instance killed with SIGKILL in the middle of a burst, and the database taken away and given back.
 */
describe('several instances on one PostgreSQL database', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let relay: DatabaseRelay;
  let dir: string;
  const running: Instance[] = [];
  const start = async () => {
    const instance = await startInstance(relay.url, { MODEL_FILE: join(dir, 'model.json'), METRICS_TOKEN: 'metrics-token-0123456789' });
    running.push(instance);
    return instance;
  };

  before(async function () {
    const server = await requirePostgres(this);
    database = await createTestDatabase(server);
    relay = await relayTo(database.url);
    dir = mkdtempSync(join(tmpdir(), 'eczema-instances-'));
  });
  after(async () => {
    for (const instance of running.splice(0)) await instance.kill();
    await relay?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('continues a conversation started on one instance on the other, and again after the first is killed with -9', async () => {
    const a = await start();
    const b = await start();
    const patient = new Patient();
    await patient.start(a);
    const welcome = await patient.poll(b);
    expect(welcome.texts.join(' '), 'the welcome written by A, read from B').to.match(/automated/i);

    expect(await patient.say(b, 'what triggers eczema?')).to.equal(200);
    const answer = await replyWithin(patient, a, 1_000);
    expect(answer.texts.join(' '), 'the reply produced on B, polled from A').to.match(/trigger/i);

    // A reply produced on A reaches a client polling B within a second.
    const said = patient.say(a, 'what treatments are there for eczema?');
    const crossed = await replyWithin(patient, b, 1_000);
    expect(await said).to.equal(200);
    expect(crossed.texts.join(' ')).to.match(/treat/i);
    expect(crossed.elapsed).to.be.below(1_000);
    console.log(`      (the reply produced on A was in a poll of B ${crossed.elapsed} ms after the message was sent)`);

    await a.kill();
    expect(await patient.say(b, 'what is eczema?')).to.equal(200);
    const after = await replyWithin(patient, b, 1_000);
    expect(after.texts.join(' '), 'B goes on alone with the same conversation').to.match(/eczema/i);
    const refresh = await fetch(`${b.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: patient.headers() });
    expect(refresh.status, 'the token A issued is accepted by B').to.equal(200);
  });

  it('loses no acknowledged record when an instance is killed with -9 during a burst of turns, and leaves its conversations to the other', async () => {
    const a = await start();
    const b = running.find((i) => alive(i) && i !== a) ?? (await start());
    const patients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const p = new Patient();
        await p.start(a);
        return p;
      }),
    );
    const acknowledged: string[] = [];
    let stop = false;
    // Each patient sends questions the bot cannot answer (each is recorded as unanswered, with its marker).
    const bursts = patients.map(async (p, i) => {
      for (let n = 0; !stop && n < 200; n += 1) {
        const marker = `qzx${i}n${n}`;
        const status = await p.say(a, `where do I park my ${marker} bicycle`).catch(() => 0);
        if (status === 200) acknowledged.push(marker);
        else break;
      }
    });
    await delay(1_500);
    await a.kill();
    stop = true;
    await Promise.all(bursts);
    expect(acknowledged.length, 'turns acknowledged before the kill').to.be.greaterThan(5);
    console.log(`      (${acknowledged.length} turns acknowledged by the killed instance, every one's record found)`);
    const rows = await sql<{ text: string }>(database.url, "SELECT fields->>'text' AS text FROM bot_records WHERE kind = 'unanswered'");
    const stored = rows.map((r) => r.text).join('\n');
    const missing = acknowledged.filter((m) => !stored.includes(m));
    expect(missing, 'acknowledged turns whose record is not in the database').to.deep.equal([]);

    for (const p of patients) {
      expect(await p.say(b, 'what is eczema?'), 'each conversation of the killed instance goes on at the other').to.equal(200);
    }
  });

  it('answers 503 on /readyz and "try again shortly" while the database is away, and recovers by itself', async () => {
    const b = running.find(alive) ?? (await start());
    const patient = new Patient();
    await patient.start(b);
    await patient.poll(b);
    relay.cut();
    try {
      let ready = 200;
      for (let i = 0; i < 40 && ready === 200; i += 1) {
        ready = (await fetch(`${b.url}/readyz`)).status;
        if (ready === 200) await delay(250);
      }
      expect(ready, '/readyz while the database is away').to.equal(503);
      const refused = await fetch(`${b.url}/v3/directline/conversations/${patient.conversationId}/activities`, {
        method: 'POST',
        headers: patient.headers(),
        body: JSON.stringify({ type: 'message', text: 'what is eczema?' }),
      });
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('5');
      expect(((await refused.json()) as { error: { message: string } }).error.message).to.match(/try again shortly/);
      const poll = await patient.poll(b);
      expect(poll.status, 'polls keep Web Chat polling').to.equal(200);
      expect(poll.texts.join(' ')).to.match(/try again in a minute.*emergency, call 911/i);
      expect(b.child.exitCode, 'no crash').to.equal(null);
    } finally {
      relay.restore();
    }
    let ready = 503;
    for (let i = 0; i < 60 && ready !== 200; i += 1) {
      await delay(250);
      ready = (await fetch(`${b.url}/readyz`)).status;
    }
    expect(ready, '/readyz once the database is back').to.equal(200);
    expect(await patient.say(b, 'what is eczema?')).to.equal(200);
    expect((await replyWithin(patient, b, 1_000)).texts.join(' ')).to.match(/eczema/i);
  });

  it('comes back by itself after PostgreSQL itself restarts (TEST_PG_RESTART, set by .ci/run)', async function () {
    const restart = process.env.TEST_PG_RESTART;
    if (!restart) {
      if (process.env.E2E === 'required') throw new Error('E2E=required but TEST_PG_RESTART (the command that restarts the test server) is not set');
      // Skipped, not failed, outside .ci/run: restarting PostgreSQL needs the command of the cluster the run started;
      // the relay test above covers lost connections on any machine, and the reason is printed.
      console.log('      database restart skipped: TEST_PG_RESTART is not set (.ci/run sets it; the relay test above cuts the connections instead)');
      return this.skip();
    }
    const b = running.find(alive) ?? (await start());
    const patient = new Patient();
    await patient.start(b);
    await patient.poll(b);
    execSync(restart, { stdio: 'ignore', timeout: 60_000 });
    // Every connection the instance had was ended by the restart; the next turns must go through all the same.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i += 1) {
      status = await patient.say(b, 'what is eczema?');
      if (status !== 200) await delay(250);
    }
    expect(status, 'a message after the restart').to.equal(200);
    expect((await replyWithin(patient, b, 1_000)).texts.join(' ')).to.match(/eczema/i);
    expect((await fetch(`${b.url}/readyz`)).status).to.equal(200);
    expect(alive(b), 'no crash').to.equal(true);
  });

  it('answers with a model published elsewhere (npm run train, another instance) within a second', async () => {
    const b = running.find(alive) ?? (await start());
    const patient = new Patient();
    await patient.start(b);
    await patient.poll(b);
    const word = 'zorblatt';
    expect(await patient.say(b, `${word} quixotrum`)).to.equal(200);
    expect((await replyWithin(patient, b, 1_000)).texts.join(' '), 'before: words the model does not know').to.match(/^Sorry, I can.t answer/);

    // A retrained model that knows one more way to ask about triggers.
    const content = loadContent();
    const training = new Map(content.training);
    training.set('triggers', [...(training.get('triggers') ?? []), `${word} quixotrum`, `${word} quixotrum please`]);
    const saved = trainStats(training, loadNluConfig(), 'retrained-in-the-test');
    const db = connect({ ...loadDatabaseConfig({}), DATABASE_URL: database.url }, { logger: silentLogger });
    try {
      await new PgModelStore(db).publish(saved, 'the test');
    } finally {
      await db.close();
    }
    await delay(1_000);
    expect(await patient.say(b, `${word} quixotrum`)).to.equal(200);
    const after = (await replyWithin(patient, b, 1_000)).texts.join(' ');
    expect(after, 'after: answered with the new model').not.to.match(/^Sorry, I can.t answer/);
    expect(after).to.match(/trigger/i);
  });

  it('reports the database and the shared conversations on /metrics', async () => {
    const b = running.find(alive) ?? (await start());
    const text = await (await fetch(`${b.url}/metrics`, { headers: { Authorization: 'Bearer metrics-token-0123456789' } })).text();
    expect(text).to.match(/^bot_database_up\{[^}]*\} 1$/m);
    expect(text).to.match(/^bot_database_pool_connections\{[^}]*pool="queries"[^}]*state="total"[^}]*\} \d+$/m);
    expect(text).to.match(/^bot_database_errors_total\{[^}]*\} [1-9]\d*$/m, 'the outage above was counted');
    expect(Number(/^bot_directline_conversations_open\{[^}]*\} (\d+)$/m.exec(text)?.[1])).to.be.at.least(2);
  });

  it('stops start-up with one line when DATABASE_URL is set without DIRECT_LINE_TOKEN_KEY', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DIRECT_LINE_TOKEN_KEY: '', PORT: '0', DOTENV_CONFIG_PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).to.equal(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Invalid configuration: DIRECT_LINE_TOKEN_KEY must be set when DATABASE_URL is set/);
  });
});
