import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from '../../logger.js';
import { StoreStartupError } from '../contract.js';

/**
 * One writer per store. The lock is a file inside the store's data folder, which is found through the real path of
 * DB_FILE, so a symlink reaches the same lock; a hard link to DB_FILE has no data folder of its own and is refused
 * (src/store/lowdb/index.ts). The lock says which process holds it (host, boot, pid and the pid's start time), so a
 * lock left by a process that no longer exists on this host is taken over at once instead of waiting for it to go
 * stale. The holder checks every second that the file is still its own; if it is gone or another's, the lock is
 * lost: writes stop, loudly, and /readyz answers 503.
 */

export class DatabaseLockedError extends StoreStartupError {
  constructor(file: string, holder: LockOwner | undefined) {
    const who = holder ? ` (process ${holder.pid} on ${holder.host}, since ${holder.since})` : '';
    super(
      `Another bot process is already using the database file ${file}${who}. Two writers would lose each other's ` +
        'updates, so this process will not start: stop the other one, or give this one its own DB_FILE.',
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface LockOwner {
  pid: number;
  host: string;
  /** Linux boot id: a lock from before a reboot belongs to no running process. */
  boot: string | null;
  /** The pid's start time (clock ticks since boot), so a pid reused by another program is not mistaken for it. */
  start: number | null;
  /** Tells this lock apart from any other, even one by the same process. */
  nonce: string;
  /** The store's real path and its folder's device and inode, for the operator reading the file. */
  file: string;
  dev: number;
  ino: number;
  since: string;
}

/** A lock whose holder has not refreshed it for this long is stale even when it is on another host. */
const STALE_MS = 30_000;
const CHECK_MS = 1_000;

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const bootId = readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

/** Start time of a process from /proc (field 22 of stat, after the parenthesised name), or null where there is none. */
function startTimeOf(pid: number): number | null {
  return readOr(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  }, null);
}

/** Whether the process that wrote `owner` still runs (undefined: cannot tell from here). */
function holderRuns(owner: LockOwner): boolean | undefined {
  if (owner.host !== hostname()) return undefined;
  if (owner.boot && bootId && owner.boot !== bootId) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it exists, under another user.
  }
  if (owner.start !== null) {
    const start = startTimeOf(owner.pid);
    if (start !== null && start !== owner.start) return false;
  }
  return true;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.nonce === 'string' ? (o as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

export class StoreLock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private released = false;

  private constructor(
    readonly path: string,
    private readonly owner: LockOwner,
    private readonly logger: Logger,
    private readonly onLost: (reason: string) => void,
  ) {
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.timer.unref();
  }

  /**
   * Takes the lock at `path` for the store `file`, or throws DatabaseLockedError naming its holder. A holder that
   * no longer runs on this host (or a lock not refreshed for 30 s by another host) is replaced, with a log line.
   */
  static acquire(path: string, identity: { file: string; dev: number; ino: number }, logger: Logger, onLost: (reason: string) => void): StoreLock {
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      boot: bootId,
      start: startTimeOf(process.pid),
      nonce: randomUUID(),
      ...identity,
      since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, JSON.stringify(owner));
        } finally {
          closeSync(fd);
        }
        return new StoreLock(path, owner, logger, onLost);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const text = readOr(() => readFileSync(path, 'utf8'), undefined);
      if (text === undefined) continue; // released meanwhile: try again
      const holder = parseOwner(text);
      const age = readOr(() => Date.now() - statSync(path).mtimeMs, 0);
      // A lock file being written right now is empty for a moment: only an old unreadable one is abandoned.
      const runs = holder ? holderRuns(holder) ?? age < STALE_MS : age < 2_000;
      if (runs) throw new DatabaseLockedError(identity.file, holder);
      // Claim the abandoned lock by moving it aside: of two processes doing this at once, one rename succeeds.
      const aside = `${path}.abandoned-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = readOr(() => readFileSync(aside, 'utf8'), '');
      if (moved !== text) {
        // Another process took the abandoned lock between our read and our rename: give its lock back.
        renameSync(aside, path);
        throw new DatabaseLockedError(identity.file, parseOwner(moved));
      }
      unlinkSync(aside);
      logger.warn(
        { file: identity.file, previousPid: holder?.pid ?? null, previousHost: holder?.host ?? null, since: holder?.since ?? null },
        'took over the database lock of a process that no longer runs',
      );
    }
    throw new DatabaseLockedError(identity.file, undefined);
  }

  /** Still ours? Refreshes the file's time for other hosts; on loss, stops and reports once. */
  check(): boolean {
    if (this.lost || this.released) return !this.lost && !this.released;
    const text = readOr(() => readFileSync(this.path, 'utf8'), undefined);
    const holder = text === undefined ? undefined : parseOwner(text);
    if (holder?.nonce !== this.owner.nonce) {
      this.lost = true;
      clearInterval(this.timer);
      const reason = text === undefined ? 'the lock file was removed' : `the lock file now belongs to process ${holder?.pid ?? '(unreadable)'}`;
      this.logger.error({ lock: this.path, reason }, 'database lock lost; this process stops writing to the store');
      this.onLost(reason);
      return false;
    }
    readOr(() => utimesSync(this.path, new Date(), new Date()), undefined);
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (this.lost) return;
    // Only our own lock is removed: if another process holds the file now, it stays.
    const holder = parseOwner(readOr(() => readFileSync(this.path, 'utf8'), ''));
    if (holder?.nonce === this.owner.nonce) readOr(() => unlinkSync(this.path), undefined);
  }
}
