import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/paths.js';
import { silentLogger } from '../../src/logger.js';
import { openLowdbStore } from '../../src/store/lowdb/index.js';
import { NluConfigError } from '../../src/nlu/config.js';
import { ListenError, listenProblem } from '../../src/server/index.js';
import { isExplainedStartupError } from '../../src/startupError.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

describe('server lifecycle', () => {
  it('finishes a turn in flight when stopped, flushes storage, then refuses connections', async () => {
    // The connector takes 400 ms per reply, so the turn is still running when stop() is called.
    const connector = await new FakeConnector(400).start();
    const server = await startTestServer();
    const activity = messageActivity(connector.url, 'my child will get asthma?');
    const inFlight = postActivity(server.url, activity);
    // Stop once the turn is under way (the bot has started replying).
    while (server.bot.idleNow()) await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = server.stop();
    const res = await inFlight;
    await stopped;
    expect(res.status).to.equal(200);
    expect(connector.messages((activity.conversation as { id: string }).id).length).to.be.greaterThan(0);
    const reopened = await openLowdbStore(server.config.DB_FILE, silentLogger);
    const saved = await reopened.documents.list('');
    await reopened.close();
    expect(saved.some((k) => k.includes((activity.conversation as { id: string }).id))).to.equal(true);
    let refused = false;
    await fetch(`${server.url}/healthz`).catch(() => (refused = true));
    expect(refused).to.equal(true);
    await connector.stop();
  });

  it('npm start’s entry point serves /healthz and exits 0 on SIGTERM', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'eczema-main-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DB_FILE: join(dir, 'db.json'), MODEL_FILE: join(dir, 'model.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    const ready = new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'bot ready') resolve(entry.port as number);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const port = await ready;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(lines.some((l) => l.msg === 'bot stopped')).to.equal(true);
    // The shutdown line is a pino line like the others (it used to be a hand-made one with a string level on stderr).
    const stopping = lines.find((l) => l.msg === 'SIGTERM received, stopping');
    expect(stopping, 'shutdown logged on stdout').to.not.equal(undefined);
    expect(stopping).to.include({ level: 30, service: 'eczema-faq-bot', signal: 'SIGTERM' });
    expect(stopping!.time).to.be.a('string');
  });

  it('says in one line that the port is taken, and exits 1', async function () {
    this.timeout(60_000);
    const blocker = createNetServer();
    // No host, like the bot: both then claim every address.
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'eczema-main-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: projectRoot,
        env: { ...process.env, PORT: String(port), LOG_LEVEL: 'silent', DB_FILE: join(dir, 'db.json'), MODEL_FILE: join(dir, 'model.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).to.equal(1);
      expect(stderr.trim()).to.equal(`port ${port} is already in use; stop the other program or set PORT`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('start() names the taken port and releases the database, so the same file can be opened again', async () => {
    const first = await startTestServer();
    const dbFile = join(mkdtempSync(join(tmpdir(), 'eczema-db-')), 'db.json');
    try {
      const failed = await startTestServer({ PORT: first.port, DB_FILE: dbFile }).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(failed).to.be.instanceOf(ListenError);
      expect(failed!.message).to.equal(`port ${first.port} is already in use; stop the other program or set PORT`);
      const retry = await startTestServer({ DB_FILE: dbFile });
      await retry.stop();
    } finally {
      await first.stop();
    }
  });

  it('explains in one line the listen errors an operator can fix, and leaves the others as they are', () => {
    expect(listenProblem('EADDRINUSE', 3978)).to.equal('port 3978 is already in use; stop the other program or set PORT');
    expect(listenProblem('EACCES', 80)).to.equal('port 80 needs privileges this user does not have; set PORT to 1024 or above');
    expect(listenProblem('ENOTFOUND', 3978)).to.equal(undefined);
  });

  it('prints a mistake in data/nlu.yaml as its one line, like the content files, and keeps stacks for the rest', () => {
    expect(isExplainedStartupError(new NluConfigError('data/nlu.yaml', 'text.synonyms.Eczema', 'must be one lower-case word'))).to.equal(true);
    expect(isExplainedStartupError(new ListenError('port 3978 is already in use'))).to.equal(true);
    expect(isExplainedStartupError(new TypeError('x is undefined'))).to.equal(false);
  });

  it('stops start-up with one line naming the variable when configuration is wrong', async function () {
    this.timeout(60_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectRoot, env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr.trim()).to.equal('Invalid configuration: PORT must be a number (got "eighty")');
  });
});
