import { createHash } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import type { DocumentStore } from '../store/contract.js';

/**
 * express-session's Store on the bot's DocumentStore (`staff/session/<sha256 of the id>`), so a session survives a
 * restart and is seen by every instance on one database. The key is a hash of the session id: a copy of the
 * store does not hand out working cookies.
 */

export const SESSION_PREFIX = 'staff/session/';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in account. */
    user?: string;
    /** When the sign-in happened (ms since the epoch): the absolute expiry counts from here. */
    signedInAt?: number;
  }
}

function keyOf(sid: string): string {
  return SESSION_PREFIX + createHash('sha256').update(sid).digest('base64url');
}

/** When the cookie says the session ends (ms), or undefined for a browser-session cookie. */
function expiresAt(data: SessionData): number | undefined {
  const expires = (data.cookie as { expires?: Date | string | null } | undefined)?.expires;
  if (!expires) return undefined;
  const ms = new Date(expires).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

type Callback = (err?: unknown) => void;

export class DocumentSessionStore extends session.Store {
  constructor(
    private readonly documents: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const key = keyOf(sid);
    this.documents.read([key]).then(
      (items) => {
        const item = items[key];
        if (!item || typeof item.data !== 'string') return callback(null, null);
        const data = JSON.parse(item.data) as SessionData;
        const ends = expiresAt(data);
        if (ends !== undefined && ends <= this.now()) {
          this.documents.delete([key]).then(() => callback(null, null), callback);
          return;
        }
        callback(null, data);
      },
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.documents.write({ [keyOf(sid)]: { data: JSON.stringify(data) } }).then(() => callback?.(), (err: unknown) => callback?.(err));
  }

  override touch(sid: string, data: SessionData, callback?: () => void): void {
    // express-session's own touch() has no error argument; a failed touch only shortens the session.
    this.set(sid, data, () => callback?.());
  }

  override destroy(sid: string, callback?: Callback): void {
    this.documents.delete([keyOf(sid)]).then(() => callback?.(), (err: unknown) => callback?.(err));
  }

  /** Deletes sessions idle for longer than `idleMs` (in bounded steps); returns how many went. */
  async purgeIdle(idleMs: number, budget = 500): Promise<number> {
    const { removed } = await this.documents.purgeBefore(SESSION_PREFIX, new Date(this.now() - idleMs), budget);
    return removed;
  }
}
