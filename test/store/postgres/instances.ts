import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../src/cli/benchDirectLine.js';
import { projectRoot, varDir } from '../../../src/paths.js';

/** A bot process of its own (`src/main.ts`, as `npm start` runs it), on a database the test names. */
export interface Instance {
  url: string;
  child: ChildProcess;
  output(): string;
  /** kill -9: no shutdown, no flush, connections cut by the kernel. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export const TOKEN_KEY = 'test-direct-line-key-0123456789abcdef-shared';

export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DIRECT_LINE_TOKEN_KEY: TOKEN_KEY,
      MODEL_FILE: join(varDir, 'model.json'),
      DB_FILE: join(varDir, `unused-${port}.json`),
      RATE_LIMIT_MESSAGES_PER_MINUTE: '1000',
      RATE_LIMIT_REQUESTS_PER_MINUTE: '10000',
      DOTENV_CONFIG_PATH: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited before it was ready: ${output.slice(-600)}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot was not ready within 60 s: ${output.slice(-600)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A Web Chat client of our Direct Line, talking to whichever instance it is told to. */
export class Patient {
  token = '';
  conversationId = '';
  watermark = '';

  async start(instance: Instance): Promise<void> {
    const generated = (await (await fetch(`${instance.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
    const res = await fetch(`${instance.url}/v3/directline/conversations`, { method: 'POST', headers: this.headers(generated.token), body: '{}' });
    if (res.status !== 201) throw new Error(`start: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string; conversationId: string };
    this.token = body.token;
    this.conversationId = body.conversationId;
  }

  headers(token = this.token): Record<string, string> {
    return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  }

  /** Posts a message; resolves with the HTTP status (200 once the turn, records included, is done). */
  async say(instance: Instance, text: string): Promise<number> {
    const res = await fetch(`${instance.url}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' } }),
    });
    await res.text();
    return res.status;
  }

  /** One poll; the bot's messages since the last one. */
  async poll(instance: Instance): Promise<{ status: number; texts: string[] }> {
    const res = await fetch(`${instance.url}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: this.headers() });
    if (res.status !== 200) return { status: res.status, texts: [] };
    const body = (await res.json()) as { activities: Array<{ from: { role?: string }; text?: string; attachments?: Array<{ content?: { body?: Array<{ text?: string }> } }> }>; watermark: string };
    this.watermark = body.watermark;
    const texts = body.activities
      .filter((a) => a.from.role === 'bot')
      .map((a) => [a.text ?? '', ...(a.attachments ?? []).flatMap((x) => (x.content?.body ?? []).map((b) => b.text ?? ''))].join(' ').trim());
    return { status: 200, texts };
  }
}
