import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/paths.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';

/**
 * `npm start` runs the bundled server (dist/bundle/main.mjs), not the sources the other tests import: build it
 * the same way and check that what ships answers on every path, Web Chat's Direct Line and /api/messages.
 */
describe('the bundled server that npm start runs', function () {
  this.timeout(180_000);
  let port = 0;
  let child: ReturnType<typeof spawn> | undefined;
  const connector = new FakeConnector();

  before(async () => {
    const built = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stderr + built.stdout).to.equal(0);
    await connector.start();
    const dir = mkdtempSync(join(tmpdir(), 'eczema-bundle-'));
    child = spawn(process.execPath, ['dist/bundle/main.mjs'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DB_FILE: join(dir, 'db.json'), MODEL_FILE: join(dir, 'model.json') },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'bot ready') resolve(entry.port!);
      });
      child!.on('exit', (code) => reject(new Error(`bundled server exited with ${code}`)));
    });
  });
  after(async () => {
    child?.kill('SIGTERM');
    await connector.stop();
  });

  it('embeds none of data/ or intents/: they are read at start-up, so editing them needs no rebuild', () => {
    const bundled = readFileSync(join(projectRoot, 'dist', 'bundle', 'main.mjs'), 'utf8');
    const answer = readFileSync(join(projectRoot, 'data', 'kb', 'bathing.md'), 'utf8').split('---')[2]!.trim().split('\n')[0]!;
    const utterance = readFileSync(join(projectRoot, 'intents', 'bathing.txt'), 'utf8').split('\n').find((line) => line.trim().length > 20 && !line.startsWith('#'))!;
    expect(answer.length).to.be.above(40);
    expect(bundled).not.to.contain(answer.slice(0, 60));
    expect(bundled).not.to.contain(utterance.trim());
    // It finds them beside package.json instead (src/paths.ts).
    expect(bundled).to.match(/join\(projectRoot, "data"\)/);
  });

  it('serves the demo page, the widget script and the Web Chat bundle', async () => {
    for (const path of ['/', '/embed', '/widget.js']) expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).to.equal(200);
    const embed = await (await fetch(`http://127.0.0.1:${port}/embed`)).text();
    const bundlePath = /src="(\/vendor\/webchat[^"]+)"/.exec(embed)?.[1];
    expect(bundlePath).to.be.a('string');
    const bundle = await fetch(`http://127.0.0.1:${port}${bundlePath}`);
    expect(bundle.status).to.equal(200);
    expect((await bundle.arrayBuffer()).byteLength).to.be.greaterThan(500_000);
  });

  it('answers through its own Direct Line, as Web Chat would talk to it', async () => {
    const base = `http://127.0.0.1:${port}/v3/directline`;
    const issued = (await (await fetch(`${base}/tokens/generate`, { method: 'POST' })).json()) as { token: string };
    const auth = { authorization: `Bearer ${issued.token}`, 'content-type': 'application/json' };
    const started = (await (await fetch(`${base}/conversations`, { method: 'POST', headers: auth, body: '{}' })).json()) as { conversationId: string; token: string };
    const headers = { ...auth, authorization: `Bearer ${started.token}` };
    const posted = await fetch(`${base}/conversations/${started.conversationId}/activities`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'message', text: 'what is filaggrin', from: { id: 'someone' } }),
    });
    expect(posted.status).to.equal(200);
    const { activities } = (await (await fetch(`${base}/conversations/${started.conversationId}/activities`, { headers })).json()) as {
      activities: Array<{ from: { role?: string; id: string }; attachments?: unknown[]; text?: string }>;
    };
    expect(JSON.stringify(activities)).to.match(/filaggrin/i);
    expect(JSON.stringify(activities)).to.match(/not a doctor/i);
  });

  it('answers on /api/messages through the fake connector', async () => {
    const activity = messageActivity(connector.url, 'what triggers eczema flares');
    const res = await postActivity(`http://127.0.0.1:${port}`, activity);
    expect(res.status).to.equal(200);
    const replies = await connector.waitForMessages((activity.conversation as { id: string }).id, 2);
    expect(JSON.stringify(replies)).to.match(/trigger/i);
  });
});
