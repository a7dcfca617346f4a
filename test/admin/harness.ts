import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { loadCore, type Core } from '../../src/core/loadCore.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { createAdmin, type Admin } from '../../src/admin/index.js';
import type { AdminConfig } from '../../src/admin/config.js';
import type { BotStore } from '../../src/store/contract.js';
import { testConfig } from '../helpers/testBot.js';
import { memoryStore } from './memoryStore.js';

export interface Console {
  url: string;
  store: BotStore & { records: { all(): import('../../src/store/contract.js').StoredRecord[] } };
  core: Core;
  admin: Admin;
  /** Moves the console's clock (sessions, stats) by `ms`. */
  advance(ms: number): void;
  close(): Promise<void>;
}

let ownCore: Core | undefined;

/**
 * A core of the console tests' own: teaching swaps its model, which must not change what other test files' bots
 * answer. Loaded once per run; a test that teaches restores the model it found (see `restoreModel`).
 */
export function consoleCore(): Core {
  ownCore ??= loadCore(testConfig(), silentLogger);
  return ownCore;
}

export function restoreModel(core: Core, snapshot: { model: Core['live']['model']; training: Core['live']['training'] }): void {
  core.live.swap(snapshot.model, snapshot.training);
}

/** The console router on a bare Express app (as the composition root mounts it), on a memory store. */
export async function startConsole(options: { config?: Partial<AdminConfig>; trustProxyHops?: number; logger?: Logger; core?: Core } = {}): Promise<Console> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const store = memoryStore(now);
  const core = options.core ?? consoleCore();
  const admin = await createAdmin({
    store,
    core,
    config: { STAFF_SESSION_IDLE_MINUTES: 30, STAFF_SESSION_MAX_HOURS: 12, ...options.config },
    clinicName: 'Test <Clinic>',
    logger: options.logger ?? silentLogger,
    now,
  });
  const app = express();
  if (options.trustProxyHops) app.set('trust proxy', options.trustProxyHops);
  app.use('/admin', admin.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    core,
    admin,
    advance(ms) {
      offset += ms;
    },
    async close() {
      await admin.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const PASSWORD = 'correct horse battery staple';

export interface Staff {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** Signs in through the form, as a browser does, and returns a client holding the session cookie and CSRF token. */
export async function signIn(url: string, username: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Staff> {
  const res = await fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session = (await (await fetch(`${url}/admin/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  const csrf = session.csrfToken;
  return {
    cookie,
    csrf,
    get: (path) => fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' }),
    post: (path, body = {}, extra = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', ...extra },
        body: JSON.stringify(body),
      }),
  };
}

export function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
