/**
 * `npx tsx bench/failing-channel.ts`: how long a channel that does not take replies holds a turn, and the next turn
 * of the same conversation (a channel answering 503, a closed port, one that never answers; three runs each), and
 * how long a request announcing 5 MB and sending 10 bytes holds its connection. Default configuration; figures
 * are capped at 30 s. A measurement script, not a test: it prints and asserts nothing.
 */
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { FakeConnector, messageActivity, postActivity } from '../test/helpers/fakeConnector.js';
import { startTestServer } from '../test/helpers/testBot.js';

const CAP_MS = 30_000;
const RUNS = 3;

type Kind = 'answers 503' | 'closed port' | 'never answers';

async function failingChannel(kind: Kind): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    if (kind === 'answers 503') req.on('end', () => res.writeHead(503).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  if (kind === 'closed port') await stop();
  return { url, stop: kind === 'closed port' ? async () => undefined : stop };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T | 'still waiting'; ms: number }> {
  const start = performance.now();
  const cap = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), CAP_MS).unref());
  const value = await Promise.race([work, cap]);
  return { value, ms: Math.round(performance.now() - start) };
}

const server = await startTestServer({});
const working = await new FakeConnector().start();

for (const kind of ['answers 503', 'closed port', 'never answers'] as const) {
  for (let run = 1; run <= RUNS; run++) {
    const bad = await failingChannel(kind);
    const first = messageActivity(bad.url, 'what is eczema');
    const second = messageActivity(working.url, 'what is filaggrin', { conversation: first.conversation });
    const start = performance.now();
    const failing = timed(postActivity(server.url, first).then((res) => res.status));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = timed(postActivity(server.url, second).then((res) => res.status));
    const [a, b] = await Promise.all([failing, next]);
    const nextMs = Math.round(performance.now() - start);
    console.log(`channel ${kind}, run ${run}: that turn ${a.value} after ${a.ms} ms; the conversation's next turn ${b.value} after ${nextMs} ms`);
    await bad.stop();
  }
}

const { port } = new URL(server.url);
const slow = await timed(
  new Promise<string>((resolve) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write('POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n{"type":"m');
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer.split('\r\n')[0] || '(closed without an answer)'));
  }),
);
console.log(`slow body (5 MB announced, 10 bytes sent): ${slow.value === 'still waiting' ? `still open after ${CAP_MS} ms` : `${slow.value} after ${slow.ms} ms`}`);

await working.stop();
// The server (and a connection the slow-body probe may leave) would keep the process alive; the figures are out.
process.exit(0);
