import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
}

/**
 * A loopback stand-in for the Bot Framework connector service: the real HTTP server POSTs its replies here
 * (the `serviceUrl` of the activities a test sends), and the test reads what a channel would have received.
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  private server?: Server;
  private waiters: Array<() => void> = [];
  url = '';

  /**
   * @param replyDelayMs how long the connector takes to accept each reply (to keep a turn in flight).
   * @param host the loopback address to listen on: '127.0.0.1', or '::1' for an IPv6 serviceUrl.
   */
  constructor(
    private readonly replyDelayMs = 0,
    private readonly host = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => setTimeout(() => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end();
          return;
        }
        this.received.push({
          conversationId: decodeURIComponent(match[1]!),
          replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
          authorization: req.headers.authorization,
          activity: JSON.parse(body || '{}') as ReceivedActivity['activity'],
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${this.received.length}` }));
        for (const wake of this.waiters.splice(0)) wake();
      }, this.replyDelayMs));
    });
    await listenOn(this.server, this.host);
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Replies received for one conversation (messages only: typing indicators are left out). */
  messages(conversationId: string): ReceivedActivity['activity'][] {
    return this.received.filter((r) => r.conversationId === conversationId && r.activity.type === 'message').map((r) => r.activity);
  }

  /** Wait until `count` messages arrived for the conversation, or fail after `ms`. */
  async waitForMessages(conversationId: string, count: number, ms = 5000): Promise<ReceivedActivity['activity'][]> {
    const deadline = Date.now() + ms;
    while (this.messages(conversationId).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages for ${conversationId}, got ${this.messages(conversationId).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages(conversationId);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

function listenOn(server: Server, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A connector that takes no reply: it answers every request with `status`, or with 'hang' accepts the connection
 * and never answers. `attempts` counts the requests it saw (botbuilder's retries included).
 */
export class FailingConnector {
  attempts = 0;
  url = '';
  private readonly server: Server;

  constructor(behaviour: number | 'hang') {
    this.server = createServer((req, res) => {
      this.attempts += 1;
      req.resume();
      if (behaviour === 'hang') return;
      req.on('end', () => {
        res.writeHead(behaviour, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ServiceError', message: 'refused' } }));
      });
    });
  }

  async start(): Promise<this> {
    await listenOn(this.server, '127.0.0.1');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let counter = 0;

/** A message activity as a channel would send it to /api/messages. */
export function messageActivity(serviceUrl: string, text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: `conv-${process.pid}-${counter}` },
    from: { id: 'patient-1', name: 'Patient' },
    recipient: { id: 'bot', name: 'Eczema bot' },
    text,
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

/** POST a body (an activity, or raw text for bad-input tests) to a server's /api/messages. */
export function postActivity(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
