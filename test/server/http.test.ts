import { expect } from 'chai';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

function post(url: string, body: string, contentType = 'application/json') {
  return postActivity(url, body, { 'content-type': contentType });
}

describe('HTTP server (local mode, no app id)', () => {
  let server: RunningServer;
  const connector = new FakeConnector();

  before(async () => {
    await connector.start();
    server = await startTestServer({ MAX_MESSAGE_CHARS: 300, MAX_BODY_BYTES: 16 * 1024 });
  });
  after(async () => {
    await server.stop();
    await connector.stop();
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready' });
  });

  it('delivers the bot reply to the serviceUrl of a real Bot Framework message', async () => {
    const activity = messageActivity(connector.url, 'what is filaggrin');
    const res = await post(server.url, JSON.stringify(activity));
    expect(res.status).to.equal(200);
    const convId = (activity.conversation as { id: string }).id;
    const replies = await connector.waitForMessages(convId, 2);
    const all = JSON.stringify(replies);
    expect(all).to.match(/not a doctor/i, 'first contact carries the disclaimer');
    expect(all).to.match(/filaggrin/i, 'the answer is about the question');
    expect(replies.every((r) => (r as { replyToId?: string }).replyToId === activity.id)).to.equal(true);
  });

  it('answers politely when a message is longer than the limit', async () => {
    const activity = messageActivity(connector.url, 'itch '.repeat(100));
    expect((await post(server.url, JSON.stringify(activity))).status).to.equal(200);
    const replies = await connector.waitForMessages((activity.conversation as { id: string }).id, 2);
    expect(replies.map((r) => r.text).join(' ')).to.match(/too long/i);
  });

  const base = () => messageActivity(connector.url, 'hello');
  const without = (field: string) => {
    const a = base();
    delete a[field];
    return JSON.stringify(a);
  };
  const badInputs: Array<{ name: string; body: () => string; contentType?: string; status: number; error?: RegExp }> = [
    { name: 'invalid JSON', body: () => '{"type": "message",', status: 400, error: /not valid JSON/ },
    { name: 'an empty body', body: () => '', status: 400, error: /body is empty; it must be a JSON object/ },
    { name: 'an empty object', body: () => '{}', status: 400 },
    { name: 'an array', body: () => JSON.stringify([base()]), status: 400, error: /must be a JSON object/ },
    { name: 'a JSON string', body: () => '"hello"', status: 400, error: /must be a JSON object/ },
    { name: 'null', body: () => 'null', status: 400, error: /must be a JSON object/ },
    { name: 'the wrong content type', body: () => JSON.stringify(base()), contentType: 'text/plain', status: 415 },
    { name: 'a form body', body: () => 'type=message', contentType: 'application/x-www-form-urlencoded', status: 415 },
    { name: 'no type', body: () => without('type'), status: 400, error: /"type" is required/ },
    { name: 'no conversation', body: () => without('conversation'), status: 400, error: /"conversation" is required/ },
    { name: 'a conversation without id', body: () => JSON.stringify({ ...base(), conversation: {} }), status: 400, error: /"conversation.id" is required/ },
    { name: 'no serviceUrl', body: () => without('serviceUrl'), status: 400, error: /"serviceUrl" is required/ },
    { name: 'no from', body: () => without('from'), status: 400, error: /"from" is required/ },
    // What botbuilder dereferences during a message turn: without these the patient got "something went wrong".
    { name: 'no recipient', body: () => without('recipient'), status: 400, error: /"recipient" is required/ },
    { name: 'a recipient without id', body: () => JSON.stringify({ ...base(), recipient: { name: 'bot' } }), status: 400, error: /"recipient.id" is required/ },
    { name: 'no channelId', body: () => without('channelId'), status: 400, error: /"channelId" is required/ },
    { name: 'a mention naming nobody', body: () => JSON.stringify({ ...base(), entities: [{ type: 'mention', text: '<at>Bot</at>' }] }), status: 400, error: /"entities.0.mentioned" is required/ },
    {
      name: 'a mention of the bot in a message without text',
      body: () => JSON.stringify({ ...base(), text: undefined, value: { a: 1 }, entities: [{ type: 'mention', mentioned: { id: 'bot' }, text: '<at>Bot</at>' }] }),
      status: 400,
      error: /"text" is required/,
    },
    { name: 'membersRemoved that is not a list', body: () => JSON.stringify({ ...base(), type: 'conversationUpdate', membersRemoved: 'bot' }), status: 400, error: /"membersRemoved" has the wrong type/ },
    { name: 'a text that is a number', body: () => JSON.stringify({ ...base(), text: 42 }), status: 400, error: /"text" has the wrong type/ },
    { name: 'a conversation that is a string', body: () => JSON.stringify({ ...base(), conversation: 'abc' }), status: 400 },
    { name: 'a serviceUrl that is not a URL', body: () => JSON.stringify({ ...base(), serviceUrl: 'not a url' }), status: 400 },
    { name: 'a from that is an array', body: () => JSON.stringify({ ...base(), from: [] }), status: 400 },
    // Ids go back out in the reply URL (and conversation.id in a header too): these could never be answered (they gave 502).
    ...(
      [
        ['a conversation.id with a control character', { conversation: { id: 'conv\u0001x' } }, /"conversation.id" must be printable ASCII/],
        ['a conversation.id with a line break', { conversation: { id: 'conv\r\nx-injected: 1' } }, /"conversation.id" must be printable ASCII/],
        ['a conversation.id with an unpaired surrogate', { conversation: { id: 'conv\ud800' } }, /"conversation.id" must be printable ASCII/],
        ['a conversation.id in Chinese', { conversation: { id: '中文' } }, /"conversation.id" must be printable ASCII/],
        ['an activity id with an unpaired surrogate', { id: 'act\udc00' }, /"id" must be text without control characters/],
        ['an activity id with a control character', { id: 'act\u0000' }, /"id" must be text without control characters/],
        ['a replyToId with a control character', { replyToId: 'x\u001b[31m' }, /"replyToId" must be text without control characters/],
        ['a from.id with an unpaired surrogate', { from: { id: '\ud83d' } }, /"from.id" must be text without control characters/],
        ['a recipient.id with a control character', { recipient: { id: 'bot\u0007' } }, /"recipient.id" must be text without control characters/],
        ['a membersAdded id with an unpaired surrogate', { type: 'conversationUpdate', membersAdded: [{ id: 'p\udfff' }] }, /"membersAdded.0.id" must be text/],
      ] as const
    ).map(([name, overrides, error]) => ({ name, body: () => JSON.stringify({ ...base(), ...overrides }), status: 400, error })),
    // botbuilder reads these without a check: a string value threw mid-turn (found by the fuzz test).
    { name: 'an adaptiveCard/action invoke whose value is a string', body: () => JSON.stringify({ ...base(), type: 'invoke', name: 'adaptiveCard/action', value: 'go' }), status: 400, error: /"value" must be a JSON object in an invoke/ },
    { name: 'an adaptiveCard/action invoke without value.action', body: () => JSON.stringify({ ...base(), type: 'invoke', name: 'adaptiveCard/action', value: { verb: 'x' } }), status: 400, error: /"value.action" is required/ },
    { name: 'an application/search invoke whose value is a list', body: () => JSON.stringify({ ...base(), type: 'invoke', name: 'application/search', value: ['q'] }), status: 400, error: /"value" must be a JSON object/ },
    { name: 'a body over the size limit', body: () => JSON.stringify({ ...base(), text: 'x'.repeat(20 * 1024) }), status: 413 },
  ];
  for (const bad of badInputs) {
    it(`refuses ${bad.name} with ${bad.status} and a JSON error, and keeps serving`, async () => {
      const res = await post(server.url, bad.body(), bad.contentType);
      expect(res.status).to.equal(bad.status);
      const json = (await res.json()) as { error?: string };
      expect(json.error).to.be.a('string').and.have.length.above(0);
      if (bad.error) expect(json.error).to.match(bad.error);
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    });
  }

  it('says the body is empty, not that the content type is wrong, for a POST without any body', async () => {
    // fetch always sends Content-Length; `curl -X POST -H 'Content-Type: application/json'` sends neither it nor a body.
    const { port } = new URL(server.url);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end('POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(head.split('\r\n')[0]).to.equal('HTTP/1.1 400 Bad Request');
    expect(head).to.match(/body is empty; it must be a JSON object/);
  });

  it('refuses unsendable ids before any reply is attempted, and still answers the ids channels do send', async () => {
    const before = connector.received.length;
    for (const overrides of [{ conversation: { id: '中文' } }, { id: 'x\ud800' }, { conversation: { id: 'a\tb' } }]) {
      expect((await post(server.url, JSON.stringify(messageActivity(connector.url, 'what is eczema', overrides)))).status).to.equal(400);
    }
    expect(connector.received.length, 'nothing was sent to the channel').to.equal(before);
    const sendable = [
      { conversation: { id: '19:abc-DEF_1@thread.tacv2;messageid=1712345678901' } },
      { conversation: { id: 'a:1Xy/Z+w==|livechat' }, id: 'f:9b8c|0000001' },
      { conversation: { id: 'conv with spaces & symbols ?#%' }, from: { id: 'patient 中文 😀', name: 'Zoë' } },
    ];
    for (const overrides of sendable) {
      const activity = messageActivity(connector.url, 'what is eczema', overrides);
      const res = await post(server.url, JSON.stringify(activity));
      expect(res.status, JSON.stringify(overrides)).to.equal(200);
      await connector.waitForMessages((activity.conversation as { id: string }).id, 2);
    }
  });

  it('refuses a serviceUrl outside this machine with 403, before any reply is attempted', async () => {
    const before = connector.received.length;
    const activity = messageActivity('https://connector.invalid/', 'hello');
    const res = await post(server.url, JSON.stringify(activity));
    expect(res.status).to.equal(403);
    expect(((await res.json()) as { error: string }).error).to.match(/serviceUrl/);
    expect(connector.received.length).to.equal(before);
  });

  it('answers only callers on this machine, so nobody can chat through it without the widget\'s limits', async () => {
    // A request that came through a proxy (even one on this machine, even claiming 127.0.0.1) is not local.
    const proxied = await startTestServer({ TRUST_PROXY_HOPS: 1 });
    try {
      const activity = { ...messageActivity(connector.url, 'what is eczema'), deliveryMode: 'expectReplies' };
      const send = (headers: Record<string, string>) => postActivity(proxied.url, JSON.stringify(activity), { 'content-type': 'application/json', ...headers });
      const proxiedHeaders: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.7' }, { 'x-forwarded-for': '127.0.0.1' }, { forwarded: 'for=127.0.0.1' }];
      for (const headers of proxiedHeaders) {
        const res = await send(headers);
        expect(res.status, JSON.stringify(headers)).to.equal(403);
        expect(((await res.json()) as { error: string }).error).to.match(/answers only this machine/);
      }
      expect((await send({})).status).to.equal(200);
    } finally {
      await proxied.stop();
    }
  });

  it('answers 502 when the channel refuses the reply (and the apology), not 200', async () => {
    const refusing = createServer((_req, res) => res.writeHead(400).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const serviceUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
      const res = await post(server.url, JSON.stringify(messageActivity(serviceUrl, 'what is eczema')));
      expect(res.status).to.equal(502);
      expect(await res.json()).to.deep.equal({ error: 'the reply could not be delivered' });
    } finally {
      refusing.close();
    }
  });

  it('is not fooled by a user-info prefix in the serviceUrl', async () => {
    const res = await post(server.url, JSON.stringify(messageActivity('http://evil.invalid@connector.invalid/', 'hello')));
    expect(res.status).to.equal(403);
  });

  it('answers unknown routes with a JSON 404 and GET /api/messages with 405', async () => {
    expect((await fetch(`${server.url}/nope`)).status).to.equal(404);
    expect((await fetch(`${server.url}/api/messages`)).status).to.equal(405);
  });
});
