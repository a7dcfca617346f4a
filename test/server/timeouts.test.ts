import { expect } from 'chai';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import type { RunningServer } from '../../src/server/index.js';
import { startTestServer } from '../helpers/testBot.js';

/**
 * Sends `head` (and then `trickle`, one piece every `everyMs`) on a raw connection and resolves with what the server
 * wrote once it closes the connection. A server that waited Node's default 300 s would fail the test by its timeout.
 */
function slowClient(port: number, head: string, trickle: string[] = [], everyMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      let i = 0;
      const timer = setInterval(() => {
        if (i >= trickle.length || socket.destroyed) return clearInterval(timer);
        socket.write(trickle[i++]!);
      }, everyMs);
      socket.once('close', () => clearInterval(timer));
    });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => resolve(received));
  });
}

const statusLine = (raw: string) => raw.split('\r\n')[0];
const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as unknown;

describe('request timeouts (a slow client cannot hold a connection for Node’s 300 s)', () => {
  let server: RunningServer;
  let port: number;
  before(async () => {
    // Short limits so the test is quick; the defaults are 10 s, 10 s and 15 s.
    server = await startTestServer({ HTTP_HEADERS_TIMEOUT_MS: 400, HTTP_BODY_TIMEOUT_MS: 400, HTTP_REQUEST_TIMEOUT_MS: 1200 });
    port = server.port;
  });
  after(() => server.stop());

  it('answers 408 and closes when a body announced as 5 MB stops after 10 bytes (/api/messages)', async () => {
    const raw = await slowClient(port, 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n{"type":"m');
    expect(statusLine(raw)).to.equal('HTTP/1.1 408 Request Timeout');
    expect(raw).to.match(/\r\nconnection: close\r\n/i);
    expect(bodyOf(raw)).to.deep.equal({ error: 'the request body did not arrive in time' });
  });

  it('does the same on the Direct Line routes, in Direct Line’s error shape', async () => {
    const { token } = (await (await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
    const raw = await slowClient(
      port,
      `POST /v3/directline/conversations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n{"locale"`,
    );
    expect(statusLine(raw)).to.equal('HTTP/1.1 408 Request Timeout');
    // These routes compress and chunk their answers; the error is in there all the same.
    expect(raw).to.contain('{"error":{"code":"RequestTimeout","message":"the request body did not arrive in time"}}');
  });

  it('cuts a body that keeps trickling in, byte by byte', async () => {
    const bytes = Array.from({ length: 40 }, () => ' ');
    const raw = await slowClient(port, 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n', bytes, 50);
    expect(statusLine(raw)).to.equal('HTTP/1.1 408 Request Timeout');
  });

  it('answers 408 and closes when the headers never finish, or come one line at a time', async () => {
    const stalled = slowClient(port, 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    const lines = Array.from({ length: 20 }, (_v, i) => `X-Line-${i}: x\r\n`);
    const dripping = slowClient(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n', lines, 100);
    for (const raw of await Promise.all([stalled, dripping])) expect(statusLine(raw)).to.equal('HTTP/1.1 408 Request Timeout');
  });

  it('cuts a request that is still arriving at the whole-request limit, however steadily it comes', async () => {
    // Its own server: a generous body limit (5 s), so only the whole-request limit (800 ms) can stop this one.
    const steady = await startTestServer({ HTTP_HEADERS_TIMEOUT_MS: 400, HTTP_BODY_TIMEOUT_MS: 5000, HTTP_REQUEST_TIMEOUT_MS: 800 });
    try {
      const bytes = Array.from({ length: 30 }, () => ' ');
      const raw = await slowClient(steady.port, 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n', bytes, 100);
      // Node's own answer: a bare 408, no JSON (which would have been ours, from the body limit).
      expect(statusLine(raw)).to.equal('HTTP/1.1 408 Request Timeout');
      expect(raw).not.to.contain('did not arrive in time');
    } finally {
      await steady.stop();
    }
  });

  it('keeps a polling client’s keep-alive connection usable after an idle pause longer than the header limit', async () => {
    // Web Chat polls once a second on a kept-alive connection; the pause between two polls is not a slow request.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; socketId: unknown }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, socketId: req.socket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 900));
      const second = await get();
      expect([first.status, second.status]).to.deep.equal([200, 200]);
      expect(second.socketId, 'the same connection').to.equal(first.socketId);
    } finally {
      agent.destroy();
    }
  });

  it('still reads a body that arrives in time (this one is answered for what it says)', async () => {
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: string }).error).to.equal('activity field "type" is required');
  });
});
