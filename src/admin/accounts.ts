import { hash, verify } from '@node-rs/argon2';
import type { DocumentStore } from '../store/contract.js';

/**
 * Staff accounts, as documents in the bot's store (`staff/account/<name>`), so every backend keeps them and every
 * instance on one PostgreSQL database sees the same accounts. Passwords are hashed with Argon2id (OWASP's
 * recommended parameters: 19 MiB, 2 passes); the password itself is never stored, returned or logged.
 */

export const ACCOUNT_PREFIX = 'staff/account/';

/** Lower-case letters, digits, dot, dash and underscore: a name that is safe in a key, a log line and a URL. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 256;

// Argon2id is the default algorithm of @node-rs/argon2 (its Algorithm const enum cannot be imported under
// isolatedModules); the costs are written out so a change of the library's defaults does not change ours.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export interface Account {
  name: string;
  createdAt: string;
}

/** The account name as stored, or an AccountError saying what a name may be. */
export function accountName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME.test(name)) {
    throw new AccountError('an account name is 1 to 64 characters: letters, digits, ".", "-" or "_", starting with a letter or digit');
  }
  return name;
}

export function checkPassword(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_CHARS) throw new AccountError(`the password must be at least ${MIN_PASSWORD_CHARS} characters`);
  if (length > MAX_PASSWORD_CHARS) throw new AccountError(`the password must be at most ${MAX_PASSWORD_CHARS} characters`);
}

// A hash of a password nobody has: a sign-in with an unknown name costs the same time as one with a wrong password,
// so the timing does not tell which names exist.
let decoy: Promise<string> | undefined;

export class Accounts {
  constructor(
    private readonly documents: DocumentStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(rawName: string, password: string): Promise<Account> {
    const name = accountName(rawName);
    checkPassword(password);
    const key = ACCOUNT_PREFIX + name;
    const existing = await this.documents.read([key]);
    if (existing[key]) throw new AccountError(`there is already an account "${name}"`);
    const createdAt = this.now().toISOString();
    const passwordHash = await hash(password, ARGON2);
    await this.documents.write({ [key]: { name, passwordHash, createdAt } });
    return { name, createdAt };
  }

  /** True when the account existed. */
  async remove(rawName: string): Promise<boolean> {
    const name = accountName(rawName);
    const key = ACCOUNT_PREFIX + name;
    const existing = await this.documents.read([key]);
    if (!existing[key]) return false;
    await this.documents.delete([key]);
    return true;
  }

  async list(): Promise<Account[]> {
    const keys = await this.documents.list(ACCOUNT_PREFIX, { limit: 1000 });
    const items = keys.length > 0 ? await this.documents.read(keys) : {};
    return keys
      .map((key) => items[key])
      .filter((item) => item !== undefined)
      .map((item) => ({ name: String(item.name), createdAt: String(item.createdAt) }));
  }

  async exists(name: string): Promise<boolean> {
    const key = ACCOUNT_PREFIX + name;
    return (await this.documents.read([key]))[key] !== undefined;
  }

  async any(): Promise<boolean> {
    return (await this.documents.list(ACCOUNT_PREFIX, { limit: 1 })).length > 0;
  }

  /** The account's name when the password is right; undefined otherwise (same time either way). */
  async verify(rawName: string, password: string): Promise<string | undefined> {
    let name: string | undefined;
    try {
      name = accountName(rawName);
    } catch {
      name = undefined;
    }
    const stored = name ? (await this.documents.read([ACCOUNT_PREFIX + name]))[ACCOUNT_PREFIX + name] : undefined;
    const passwordHash = typeof stored?.passwordHash === 'string' ? stored.passwordHash : undefined;
    if (!passwordHash || password.length > MAX_PASSWORD_CHARS * 4) {
      decoy ??= hash('no account has this password', ARGON2);
      await verify(await decoy, password.slice(0, MAX_PASSWORD_CHARS * 4)).catch(() => false);
      return undefined;
    }
    const ok = await verify(passwordHash, password).catch(() => false);
    return ok ? name : undefined;
  }
}
