/**
 * `npm run staff -- add NAME [--password-stdin] | list | remove NAME | export-learned`: the logic, with the way to
 * the accounts passed in (src/cli/staff.ts chooses it). It goes through the running bot when one is listening on
 * the control file (the embedded store admits one process), and to the store directly otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { latestDateOnEarth } from '../content/dates.js';
import type { BotStore } from '../store/contract.js';
import { projectRoot } from '../paths.js';
import { AccountError, Accounts, checkPassword, type Account } from './accounts.js';
import { AuditLog } from './audit.js';
import type { ControlFile } from './control.js';
import { exportToIntents, LearnedUtterances, type LearnedUtterance } from './learned.js';

export interface StaffTarget {
  /** How the CLI reached the accounts, for its output. */
  readonly via: string;
  add(name: string, password: string): Promise<Account>;
  remove(name: string): Promise<boolean>;
  list(): Promise<Account[]>;
  learned(): Promise<LearnedUtterance[]>;
  exported(lines: number): Promise<void>;
  close(): Promise<void>;
}

function operator(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator';
  }
}

/** Accounts in a store this process opened itself. */
export function storeTarget(store: BotStore, via: string, changed?: () => void): StaffTarget {
  const accounts = new Accounts(store.documents);
  const audit = new AuditLog(store.records);
  return {
    via,
    async add(name, password) {
      const account = await accounts.add(name, password);
      await audit.write(operator(), 'account-added', account.name);
      changed?.();
      return account;
    },
    async remove(name) {
      const removed = await accounts.remove(name);
      if (removed) await audit.write(operator(), 'account-removed', name);
      changed?.();
      return removed;
    },
    list: () => accounts.list(),
    learned: () => new LearnedUtterances(store.documents).all(),
    async exported(lines) {
      await audit.write(operator(), 'learned-exported', undefined, `${lines} wordings copied to intents/`);
    },
    close: () => store.close(),
  };
}

/** The running bot, through its control file; undefined when no bot answers there (none running, or it crashed). */
export async function controlTarget(file: string): Promise<StaffTarget | undefined> {
  if (!existsSync(file)) return undefined;
  let control: ControlFile;
  try {
    control = JSON.parse(readFileSync(file, 'utf8')) as ControlFile;
  } catch {
    return undefined;
  }
  const base = `http://127.0.0.1:${control.port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; data: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${control.token}`, 'x-operator': operator(), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400 && res.status !== 404) throw new AccountError(String(data.error ?? `the bot answered ${res.status}`));
    return { status: res.status, data };
  };
  try {
    await call('GET', '/accounts');
  } catch (err) {
    if (err instanceof AccountError) throw err;
    // Nobody listening: a bot that crashed left its file behind.
    return undefined;
  }
  return {
    via: `the running bot (process ${control.pid})`,
    add: async (name, password) => (await call('POST', '/accounts', { name, password })).data.account as Account,
    remove: async (name) => (await call('DELETE', `/accounts/${encodeURIComponent(name)}`)).status === 200,
    list: async () => (await call('GET', '/accounts')).data.accounts as Account[],
    learned: async () => (await call('GET', '/learned')).data.learned as LearnedUtterance[],
    exported: async (lines) => {
      await call('POST', '/learned/exported', { lines });
    },
    close: async () => undefined,
  };
}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** One line from standard input (for --password-stdin), without its line ending. */
async function readLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, '');
  }
  return '';
}

/** Asks for a password on the terminal without echoing it. */
async function prompt(io: CliIo, question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) io.stderr.write(String(chunk));
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = true;
  const line = await answer;
  rl.close();
  io.stderr.write('\n');
  return line;
}

export const USAGE = `usage: npm run staff -- add NAME [--password-stdin]
       npm run staff -- list
       npm run staff -- remove NAME
       npm run staff -- export-learned      copy wordings taught in the console into intents/*.txt
`;

/** Runs one command; resolves with the exit code. Errors a person can fix are one line on stderr. */
export async function runStaffCli(args: readonly string[], io: CliIo, connect: () => Promise<StaffTarget>, root = projectRoot): Promise<number> {
  const [command, ...rest] = args;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const positional = rest.filter((a) => !a.startsWith('--'));
  const unknownFlag = [...flags].find((f) => f !== '--password-stdin');
  if (!command || unknownFlag || !['add', 'list', 'remove', 'export-learned'].includes(command)) {
    io.stderr.write(unknownFlag ? `unknown option ${unknownFlag}\n${USAGE}` : USAGE);
    return 2;
  }
  if ((command === 'add' || command === 'remove') && positional.length !== 1) {
    io.stderr.write(`${command} needs one account name\n${USAGE}`);
    return 2;
  }
  let password = '';
  try {
    if (command === 'add') {
      if (flags.has('--password-stdin')) password = await readLine(io.stdin);
      else if (io.stdin.isTTY) {
        password = await prompt(io, 'Password (at least 12 characters): ');
        checkPassword(password);
        const again = await prompt(io, 'The same password again: ');
        if (again !== password) throw new AccountError('the two passwords differ; nothing was changed');
      } else throw new AccountError('no terminal to ask for the password: pass --password-stdin and send it on standard input');
      checkPassword(password);
    }
    const target = await connect();
    try {
      switch (command) {
        case 'add': {
          const account = await target.add(positional[0]!, password);
          io.stdout.write(`added staff account "${account.name}" (through ${target.via}); sign in at /admin\n`);
          break;
        }
        case 'remove': {
          const name = positional[0]!;
          if (!(await target.remove(name))) {
            io.stderr.write(`there is no account "${name}"\n`);
            return 1;
          }
          io.stdout.write(`removed staff account "${name}"; its sessions end at their next request\n`);
          break;
        }
        case 'list': {
          const accounts = await target.list();
          if (accounts.length === 0) io.stdout.write('no staff accounts yet: the console is off until one is added\n');
          for (const a of accounts) io.stdout.write(`${a.name}\tcreated ${a.createdAt}\n`);
          break;
        }
        case 'export-learned': {
          const learned = await target.learned();
          const written = exportToIntents(root, learned, latestDateOnEarth());
          const lines = written.reduce((n, w) => n + w.lines, 0);
          if (lines > 0) await target.exported(lines);
          for (const w of written) io.stdout.write(`${w.file}: ${w.lines} wording${w.lines === 1 ? '' : 's'} added\n`);
          io.stdout.write(lines === 0 ? 'nothing to export: every taught wording is in intents/ already\n' : 'review the lines, then commit them; the bot trains on them from its next start\n');
          break;
        }
      }
    } finally {
      await target.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof AccountError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
