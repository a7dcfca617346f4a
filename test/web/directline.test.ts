import { expect } from 'chai';
import { createTokenService } from '../../src/directline/tokens.js';
import { startWeb, type Running } from './harness.js';

const KEY = 'test-signing-key-that-is-long-enough-0123456789';

interface Started {
  conversationId: string;
  token: string;
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

/** The `user` claim Web Chat reads from the token to recognise the patient's own messages. */
function userOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { user: string }).user;
}

async function startConversation(s: Running, body: unknown = {}): Promise<Started> {
  const issued = await fetch(`${s.url}/api/directline/token`, { method: 'POST' });
  expect(issued.status).to.equal(200);
  const { token } = (await issued.json()) as { token: string };
  const res = await fetch(`${s.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token), body: JSON.stringify(body) });
  expect(res.status).to.equal(201);
  return (await res.json()) as Started;
}

async function post(s: Running, c: Started, activity: unknown, token = c.token): Promise<Response> {
  return fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`, {
    method: 'POST',
    headers: bearer(token),
    body: JSON.stringify(activity),
  });
}

async function poll(s: Running, c: Started, watermark = '', token = c.token) {
  const res = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities?watermark=${watermark}`, {
    headers: bearer(token),
  });
  return { res, body: res.ok ? ((await res.json()) as { activities: { id: string; text?: string; from: { id: string; role?: string }; channelData?: Record<string, unknown> }[]; watermark: string }) : undefined };
}

describe('self-hosted Direct Line', () => {
  let s: Running;
  beforeEach(async () => {
    s = await startWeb({ DIRECT_LINE_TOKEN_KEY: KEY });
  });
  afterEach(async () => {
    await s.close();
  });

  it('starts a conversation with a welcome, and answers a message the client finds by watermark', async () => {
    const c = await startConversation(s);
    const first = await poll(s, c);
    expect(first.body!.activities.map((a) => a.text)).to.deep.equal(['Welcome! I am an automated assistant.']);

    const sent = await post(s, c, { type: 'message', text: 'hello', channelData: { clientActivityID: 'client-1' } });
    expect(sent.status).to.equal(200);
    const { id } = (await sent.json()) as { id: string };

    const next = await poll(s, c, first.body!.watermark);
    const texts = next.body!.activities.map((a) => a.text);
    expect(texts).to.deep.equal(['hello', `echo from ${userOf(c.token)}: hello`]);
    // Web Chat matches its pending message to the echo through this id.
    expect(next.body!.activities[0]!.id).to.equal(id);
    expect(next.body!.activities[0]!.channelData).to.deep.equal({ clientActivityID: 'client-1' });

    const nothingNew = await poll(s, c, next.body!.watermark);
    expect(nothingNew.body!.activities).to.deep.equal([]);
  });

  it('passes a long pasted message (several times the length the bot classifies) on to the bot', async () => {
    // The bot reads such a message for red flags before asking for a shorter one; refusing it here meant
    // "Send failed" in the widget and no reply at all.
    const c = await startConversation(s);
    const story = `${'Long story about the last few weeks of itching and creams. '.repeat(100)}Now his lips are swelling.`;
    expect(story.length).to.be.greaterThan(5000);
    expect((await post(s, c, { type: 'message', text: story })).status).to.equal(200);
    const texts = (await poll(s, c)).body!.activities.map((a) => a.text);
    expect(texts).to.include(`echo from ${userOf(c.token)}: ${story}`);
  });

  it('gives the bot the user id from the token, whatever `from` the client claims', async () => {
    const c = await startConversation(s);
    const res = await post(s, c, { type: 'message', text: 'who am I', from: { id: 'dr-house', name: 'Dr House', role: 'bot' } });
    expect(res.status).to.equal(200);
    expect(s.bot.seenUserIds).to.deep.equal([userOf(c.token)]);
    const { body } = await poll(s, c);
    const echoed = body!.activities.find((a) => a.text === 'who am I')!;
    expect(echoed.from).to.deep.include({ id: userOf(c.token), role: 'user' });
  });

  it('passes a card submit (value, no text) to the bot', async () => {
    const c = await startConversation(s);
    const res = await post(s, c, { type: 'message', value: { feedback: 'yes' } });
    expect(res.status).to.equal(200);
    const { body } = await poll(s, c);
    expect(body!.activities.map((a) => a.text)).to.include('value {"feedback":"yes"}');
  });

  it("refuses one conversation's token on another conversation (403)", async () => {
    const a = await startConversation(s);
    const b = await startConversation(s);
    const read = await poll(s, b, '', a.token);
    expect(read.res.status).to.equal(403);
    const write = await post(s, b, { type: 'message', text: 'hi' }, a.token);
    expect(write.status).to.equal(403);
    // Nothing reached conversation b.
    const own = await poll(s, b);
    expect(own.body!.activities.map((x) => x.text)).to.deep.equal(['Welcome! I am an automated assistant.']);
  });

  it('refuses a missing or forged token (401) and an expired one (403, which Web Chat reads as "expired")', async () => {
    const c = await startConversation(s);
    const missing = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`);
    expect(missing.status).to.equal(401);
    const forged = createTokenService({ key: 'another-key-of-sufficient-length-0123456789', ttlSeconds: 1800 });
    const wrongKey = await forged.issue({ conversationId: c.conversationId, userId: 'dl_x' });
    expect((await poll(s, c, '', wrongKey.token)).res.status).to.equal(401);

    const oneHourAgo = createTokenService({ key: KEY, ttlSeconds: 1800, now: () => Date.now() - 3600_000 });
    const expired = await oneHourAgo.issue({ conversationId: c.conversationId, userId: userOf(c.token) });
    const res = await poll(s, c, '', expired.token);
    expect(res.res.status).to.equal(403);
    expect(((await res.res.json()) as { error: { code: string } }).error.code).to.equal('TokenExpired');
    const refresh = await fetch(`${s.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: bearer(expired.token) });
    expect(refresh.status).to.equal(403);
  });

  it('refreshes a valid token into a new one for the same conversation', async () => {
    const c = await startConversation(s);
    const res = await fetch(`${s.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: bearer(c.token) });
    expect(res.status).to.equal(200);
    const refreshed = (await res.json()) as { conversationId: string; token: string; expires_in: number };
    expect(refreshed.conversationId).to.equal(c.conversationId);
    expect(refreshed.expires_in).to.equal(1800);
    expect(userOf(refreshed.token)).to.equal(userOf(c.token));
    expect((await post(s, c, { type: 'message', text: 'still here' }, refreshed.token)).status).to.equal(200);
  });

  it('refuses to refresh the token of a conversation that no longer exists (404), so the page starts a new one', async () => {
    const issued = (await (await fetch(`${s.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
    // Issued but never started: the same answer a page gets after the conversation expired or the server restarted.
    const res = await fetch(`${s.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: bearer(issued.token) });
    expect(res.status).to.equal(404);
  });

  it('resumes a conversation by id (reconnect) with its history intact', async () => {
    const c = await startConversation(s);
    await post(s, c, { type: 'message', text: 'first' });
    const res = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}?watermark=`, { headers: bearer(c.token) });
    expect(res.status).to.equal(200);
    const { body } = await poll(s, c);
    expect(body!.activities.map((a) => a.text)).to.include('first');
  });

  it('answers bad input with 4xx JSON, never 500', async () => {
    const c = await startConversation(s);
    const url = `${s.url}/v3/directline/conversations/${c.conversationId}/activities`;
    const cases: { name: string; init: RequestInit; status: number }[] = [
      { name: 'malformed JSON', init: { method: 'POST', headers: bearer(c.token), body: '{"type": "message", ' }, status: 400 },
      { name: 'a JSON array', init: { method: 'POST', headers: bearer(c.token), body: '[1,2]' }, status: 400 },
      { name: 'not JSON at all', init: { method: 'POST', headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'text/plain' }, body: 'hello' }, status: 415 },
      { name: 'an unknown activity type', init: { method: 'POST', headers: bearer(c.token), body: '{"type":"deleteUserData"}' }, status: 400 },
      { name: 'an empty message', init: { method: 'POST', headers: bearer(c.token), body: '{"type":"message","text":"  "}' }, status: 400 },
      { name: 'text of the wrong type', init: { method: 'POST', headers: bearer(c.token), body: '{"type":"message","text":42}' }, status: 400 },
      { name: 'an uploaded file', init: { method: 'POST', headers: bearer(c.token), body: '{"type":"message","text":"x","attachments":[{"contentType":"image/png","contentUrl":"data:,"}]}' }, status: 400 },
      { name: 'a body over the byte limit', init: { method: 'POST', headers: bearer(c.token), body: JSON.stringify({ type: 'message', text: 'x', value: 'y'.repeat(70_000) }) }, status: 413 },
      { name: 'a card value nested deeply', init: { method: 'POST', headers: bearer(c.token), body: `{"type":"message","value":${'{"a":'.repeat(50)}1${'}'.repeat(50)}}` }, status: 400 },
      { name: 'a card value with a long field', init: { method: 'POST', headers: bearer(c.token), body: JSON.stringify({ type: 'message', value: { action: 'ask', pad: 'x'.repeat(5_000) } }) }, status: 400 },
      { name: 'text over the character limit', init: { method: 'POST', headers: bearer(c.token), body: JSON.stringify({ type: 'message', text: 'z'.repeat(10_001) }) }, status: 400 },
      { name: 'a bearer header without a token', init: { method: 'POST', headers: { Authorization: 'Bearer', 'Content-Type': 'application/json' }, body: '{}' }, status: 401 },
    ];
    for (const { name, init, status } of cases) {
      const res = await fetch(url, init);
      expect(res.status, name).to.equal(status);
      expect(res.headers.get('content-type'), name).to.match(/application\/json/);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message, name).to.be.a('string').and.not.match(/at .*\.ts:\d+/);
    }
    const badWatermark = await fetch(`${url}?watermark=abc`, { headers: bearer(c.token) });
    expect(badWatermark.status).to.equal(400);
    const unknownConversation = await fetch(`${s.url}/v3/directline/conversations/nope/activities`, { headers: bearer(c.token) });
    expect(unknownConversation.status).to.equal(403);
    // None of it reached the bot.
    expect(s.bot.seenUserIds).to.deep.equal([]);
  });
});

describe('self-hosted Direct Line rate limits', () => {
  let s: Running;
  afterEach(async () => {
    await s.close();
  });

  it('limits messages per conversation token (429), without touching other conversations', async () => {
    s = await startWeb({ RATE_LIMIT_MESSAGES_PER_MINUTE: '3' });
    const busy = await startConversation(s);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(s, busy, { type: 'message', text: `m${i}` })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429]);
    const calm = await startConversation(s);
    expect((await post(s, calm, { type: 'message', text: 'hi' })).status).to.equal(200);
  });

  it('limits new conversations per IP (429 with Retry-After)', async () => {
    s = await startWeb({ RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '2' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await fetch(`${s.url}/api/directline/token`, { method: 'POST' });
      statuses.push(last.status);
    }
    expect(statuses).to.deep.equal([200, 200, 429]);
    expect(last!.headers.get('retry-after')).to.equal('60');
    expect(((await last!.json()) as { error: { code: string } }).error.code).to.equal('TooManyRequests');
  });

  it('limits all requests per IP', async () => {
    s = await startWeb({ RATE_LIMIT_REQUESTS_PER_MINUTE: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await fetch(`${s.url}/widget.js`)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]);
  });

  it('refuses new conversations once the configured maximum is open (503), keeping the open ones', async () => {
    s = await startWeb({ DIRECT_LINE_MAX_CONVERSATIONS: '1' });
    const open = await startConversation(s);
    const { token } = (await (await fetch(`${s.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
    const refused = await fetch(`${s.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token), body: '{}' });
    expect(refused.status).to.equal(503);
    expect((await post(s, open, { type: 'message', text: 'still works' })).status).to.equal(200);
  });
});
