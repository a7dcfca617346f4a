import { expect } from 'chai';
import type { FetchLike } from '../../src/directline/azure.js';
import { startWeb, type Running } from './harness.js';

const SECRET = 'azure-direct-line-secret-for-tests-only';

interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function fakeAzure(answer: { status: number; body: unknown } | Error): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body });
    if (answer instanceof Error) throw answer;
    return { ok: answer.status < 300, status: answer.status, json: async () => answer.body };
  };
  return { fetch, calls };
}

describe('Azure Direct Line mode (DIRECT_LINE_SECRET set)', () => {
  let s: Running | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('trades the secret for a conversation token on the server; the browser never sees the secret', async () => {
    const azure = fakeAzure({ status: 200, body: { conversationId: 'AzConv-1', token: 'azure-token', expires_in: 3600 } });
    s = await startWeb({ DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: 'https://europe.directline.botframework.com/v3/directline' }, { fetch: azure.fetch });
    const res = await fetch(`${s.url}/api/directline/token`, { method: 'POST' });
    expect(res.status).to.equal(200);
    const text = await res.text();
    expect(text).not.to.include(SECRET);
    expect(JSON.parse(text)).to.deep.equal({
      token: 'azure-token',
      conversationId: 'AzConv-1',
      expires_in: 3600,
      domain: 'https://europe.directline.botframework.com/v3/directline',
    });
    expect(azure.calls).to.have.length(1);
    expect(azure.calls[0]!.url).to.equal('https://europe.directline.botframework.com/v3/directline/tokens/generate');
    expect(azure.calls[0]!.headers.Authorization).to.equal(`Bearer ${SECRET}`);
    // The user id Azure gets is random per conversation, never something about the patient.
    const userId = (JSON.parse(azure.calls[0]!.body) as { user: { id: string } }).user.id;
    expect(userId).to.match(/^dl_[A-Za-z0-9_-]{10,}$/);
  });

  it('lets the chat page connect to Azure (CSP connect-src) and switches our own Direct Line off', async () => {
    const azure = fakeAzure({ status: 200, body: { conversationId: 'c', token: 't' } });
    s = await startWeb({ DIRECT_LINE_SECRET: SECRET }, { fetch: azure.fetch });
    const page = await fetch(`${s.url}/embed`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).to.match(/connect-src 'self' https:\/\/directline\.botframework\.com wss:\/\/directline\.botframework\.com/);
    expect(await page.text()).to.include('"webSocket":true');
    const own = await fetch(`${s.url}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(own.status).to.equal(404);
  });

  it('answers 502 (not 500, no details) when Azure refuses the secret or cannot be reached', async () => {
    for (const answer of [{ status: 403, body: { error: { code: 'BadArgument' } } }, new Error('getaddrinfo ENOTFOUND')]) {
      const azure = fakeAzure(answer);
      s = await startWeb({ DIRECT_LINE_SECRET: SECRET }, { fetch: azure.fetch });
      const res = await fetch(`${s.url}/api/directline/token`, { method: 'POST' });
      expect(res.status).to.equal(502);
      const text = await res.text();
      expect(text).not.to.include(SECRET);
      expect(text).not.to.include('ENOTFOUND');
      await s.close();
      s = undefined;
    }
  });
});
