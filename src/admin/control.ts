/**
 * How `npm run staff` reaches the accounts while the bot runs on the embedded store, which admits one process at a
 * time (its lock): the running bot listens on a loopback port chosen by the system and writes that port and a
 * random token to a file beside the database, readable by its owner only (`<DB_FILE>.staff-control.json`). The
 * CLI reads the file and asks the bot over loopback; the bot does the change in its own store. Whoever can read
 * that file can read the database file beside it anyway, so the token adds no new way in.
 *
 * With PostgreSQL there is no such file: the CLI writes to the database directly, as any instance does.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { AccountError, type Accounts } from './accounts.js';
import type { AuditLog } from './audit.js';
import type { LearnedUtterances } from './learned.js';

export interface ControlFile {
  port: number;
  token: string;
  pid: number;
}

export function controlFilePath(dbFile: string): string {
  return `${dbFile}.staff-control.json`;
}

export interface ControlDeps {
  file: string;
  accounts: Accounts;
  learned: LearnedUtterances;
  audit: AuditLog;
  /** After an account is added or removed (the console's "is it on" answer changes). */
  changed(): void;
  logger: Logger;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 8192) throw new AccountError('request too large');
    chunks.push(chunk as Buffer);
  }
  const parsed: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

export async function startControl(deps: ControlDeps): Promise<{ close(): Promise<void> }> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(res, 401, { error: 'wrong or missing token' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const operator = typeof req.headers['x-operator'] === 'string' ? req.headers['x-operator'].slice(0, 64) : 'operator';
    if (url.pathname === '/accounts' && req.method === 'GET') return send(res, 200, { accounts: await deps.accounts.list() });
    if (url.pathname === '/accounts' && req.method === 'POST') {
      const { name, password } = await body(req);
      if (typeof name !== 'string' || typeof password !== 'string') return send(res, 400, { error: 'name and password are required' });
      const account = await deps.accounts.add(name, password);
      deps.changed();
      await deps.audit.write(operator, 'account-added', account.name);
      return send(res, 201, { account });
    }
    const match = /^\/accounts\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === 'DELETE') {
      const name = decodeURIComponent(match[1]!);
      const removed = await deps.accounts.remove(name);
      deps.changed();
      if (removed) await deps.audit.write(operator, 'account-removed', name);
      return send(res, removed ? 200 : 404, removed ? { removed: name } : { error: `there is no account "${name}"` });
    }
    if (url.pathname === '/learned' && req.method === 'GET') return send(res, 200, { learned: await deps.learned.all() });
    if (url.pathname === '/learned/exported' && req.method === 'POST') {
      const { lines } = await body(req);
      await deps.audit.write(operator, 'learned-exported', undefined, `${Number(lines) || 0} wordings copied to intents/`);
      return send(res, 200, {});
    }
    send(res, 404, { error: 'not found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (err instanceof AccountError || err instanceof SyntaxError) send(res, 400, { error: err.message });
      else {
        deps.logger.error({ err: err.message }, 'staff control request failed');
        send(res, 500, { error: 'the bot could not do that; see its log' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const content: ControlFile = { port, token, pid: process.pid };
  const temp = `${deps.file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(content), { mode: 0o600 });
  renameSync(temp, deps.file);
  return {
    async close() {
      rmSync(deps.file, { force: true });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
