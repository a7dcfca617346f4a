import { expect } from 'chai';
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
    { name: 'invalid JSON', body: () => '{"type": "message",', status: 400 },
    { name: 'an empty object', body: () => '{}', status: 400 },
    { name: 'an array', body: () => JSON.stringify([base()]), status: 400 },
    { name: 'a JSON string', body: () => '"hello"', status: 400 },
    { name: 'null', body: () => 'null', status: 400 },
    { name: 'the wrong content type', body: () => JSON.stringify(base()), contentType: 'text/plain', status: 415 },
    { name: 'a form body', body: () => 'type=message', contentType: 'application/x-www-form-urlencoded', status: 415 },
    { name: 'no type', body: () => without('type'), status: 400, error: /"type" is required/ },
    { name: 'no conversation', body: () => without('conversation'), status: 400 },
    { name: 'no serviceUrl', body: () => without('serviceUrl'), status: 400 },
    { name: 'no from', body: () => without('from'), status: 400, error: /"from" is required/ },
    { name: 'a text that is a number', body: () => JSON.stringify({ ...base(), text: 42 }), status: 400, error: /"text" has the wrong type/ },
    { name: 'a conversation that is a string', body: () => JSON.stringify({ ...base(), conversation: 'abc' }), status: 400 },
    { name: 'a serviceUrl that is not a URL', body: () => JSON.stringify({ ...base(), serviceUrl: 'not a url' }), status: 400 },
    { name: 'a from that is an array', body: () => JSON.stringify({ ...base(), from: [] }), status: 400 },
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

  it('refuses a serviceUrl outside this machine with 403, before any reply is attempted', async () => {
    const before = connector.received.length;
    const activity = messageActivity('https://connector.invalid/', 'hello');
    const res = await post(server.url, JSON.stringify(activity));
    expect(res.status).to.equal(403);
    expect(((await res.json()) as { error: string }).error).to.match(/serviceUrl/);
    expect(connector.received.length).to.equal(before);
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
