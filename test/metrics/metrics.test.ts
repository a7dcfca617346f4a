import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { start, type RunningServer } from '../../src/server/index.js';
import { testConfig } from '../helpers/testBot.js';

const TOKEN = 'metrics-token-for-the-test-0123';

async function serve(env: Record<string, string>): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eczema-metrics-'));
  return start({ env, config: { ...testConfig(), PORT: 0, DB_FILE: join(dir, 'db.json') }, logger: silentLogger });
}

/** Talks to the built-in Direct Line as Web Chat does and returns the posting function. */
async function chat(url: string): Promise<(text: string) => Promise<void>> {
  const { token } = (await (await fetch(`${url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const started = (await (await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers, body: '{}' })).json()) as { conversationId: string };
  return async (text) => {
    const res = await fetch(`${url}/v3/directline/conversations/${started.conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text }) });
    expect(res.status).to.equal(200);
  };
}

describe('/metrics', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('is off without METRICS_TOKEN', async () => {
    server = await serve({});
    expect((await fetch(`${server.url}/metrics`)).status).to.equal(404);
  });

  it('refuses a scrape without the token, and counts turns, replies by kind and escalation, latency and open conversations', async () => {
    server = await serve({ METRICS_TOKEN: TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).to.equal(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-of-the-same-size-xx' } })).status).to.equal(401);

    const say = await chat(server.url);
    await say('what triggers eczema?');
    await say('my lips are swelling and I cannot breathe');
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^bot_turns_total\{channel="webchat",type="message"[^}]*\} (\d+)$/m)).to.equal(2);
    expect(value(/^bot_replies_total\{channel="webchat",kind="answer",escalation="none"[^}]*\} (\d+)$/m)).to.equal(1);
    expect(value(/^bot_replies_total\{channel="webchat",kind="[^"]+",escalation="emergency"[^}]*\} (\d+)$/m)).to.equal(1);
    expect(value(/^bot_reply_latency_seconds_count\{[^}]*channel="webchat"[^}]*\} (\d+)$/m)).to.equal(2);
    expect(value(/^bot_directline_conversations_open\{[^}]*\} (\d+)$/m)).to.equal(1);
    expect(text, 'nothing a patient wrote').not.to.match(/triggers eczema|breathe/);
  });
});
