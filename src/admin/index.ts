/**
 * The clinic staff console at /admin: sign-in, the inbox of what the bot could not answer well, teaching the
 * running bot, usage charts, content review and the audit log. Built on the storage contract only
 * (src/store/contract.ts), so it runs on every backend. Mounted by the composition root (src/server/index.ts).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import { rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Core } from '../core/loadCore.js';
import type { Logger } from '../logger.js';
import { loadNluConfig, type NluConfig } from '../nlu/config.js';
import { projectRoot } from '../paths.js';
import { OUT_OF_SCOPE } from '../core/types.js';
import { utteranceKey } from '../content/text.js';
import type { BotStore, RecordKind, StoredRecord } from '../store/contract.js';
import { Accounts, accountName } from './accounts.js';
import { AuditLog } from './audit.js';
import type { AdminConfig } from './config.js';
import { contentReview } from './contentReview.js';
import { staffHeaders } from './headers.js';
import { INBOX_KINDS, INBOX_REASONS, INBOX_STATUSES, Inbox, type InboxFilter } from './inbox.js';
import { LearnedUtterances } from './learned.js';
import { PAGES, renderConsolePage, renderLoginPage, type PageName } from './pages.js';
import { Retrainer, type RetrainJob } from './retrain/trainer.js';
import { DocumentSessionStore } from './sessions.js';
import { UsageStats } from './stats.js';

export { adminConfigSchema, type AdminConfig } from './config.js';

export interface AdminDeps {
  store: BotStore;
  core: Core;
  config: AdminConfig;
  clinicName: string;
  logger: Logger;
  /** Where the swapped-in model is saved, so a restart loads it instead of training (MODEL_FILE). */
  modelFile?: string;
  nluConfig?: NluConfig;
  /** Counters for the sign-in limits; in memory by default (one process). */
  limiterStore?: () => RateLimitStore;
  now?: () => Date;
}

export interface Admin {
  router: Router;
  accounts: Accounts;
  learned: LearnedUtterances;
  audit: AuditLog;
  retrainer: Retrainer;
  /** Forget the cached "is there an account" answer (the control channel calls this after adding one). */
  accountsChanged(): void;
  close(): Promise<void>;
}

/** Failures allowed per address and per account in the window before sign-in answers 429. */
export const SIGN_IN_FAILURES = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
const SECRET_KEY = 'staff/secret';
const ENABLED_RECHECK_MS = 2_000;

const assetsDir = join(projectRoot, 'public', 'admin');
// chart.js exports no path to its browser build; it sits beside the package's main file.
const chartJs = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** The key that signs session cookies: made once, kept in the store, so every instance and restart shares it. */
async function sessionSecret(store: BotStore): Promise<string> {
  const found = (await store.documents.read([SECRET_KEY]))[SECRET_KEY];
  if (typeof found?.secret === 'string') return found.secret;
  const secret = randomBytes(32).toString('base64url');
  await store.documents.write({ [SECRET_KEY]: { secret, eTag: 'new' } }).catch(() => undefined);
  // Another instance may have written its own at the same moment: use whichever the store kept.
  const kept = (await store.documents.read([SECRET_KEY]))[SECRET_KEY];
  return typeof kept?.secret === 'string' ? kept.secret : secret;
}

const dateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');

const inboxQuery = z.object({
  reason: z.enum(INBOX_REASONS).optional(),
  status: z.enum([...INBOX_STATUSES, 'all']).optional(),
  intent: z.string().max(100).optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const DAY_MS = 86_400_000;
const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);
/** The end of a "to" day: the filter is inclusive of the day a person picks. */
const endOf = (day: string) => new Date(startOf(day).getTime() + DAY_MS);

function bad(res: Response, message: string, status = 400): void {
  res.status(status).json({ error: message });
}

/** The first problem of a zod parse, as one line. */
function problem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'request'}: ${issue.message}`;
}

export async function createAdmin(deps: AdminDeps): Promise<Admin> {
  const { store, core, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const nluConfig = deps.nluConfig ?? loadNluConfig();
  const outOfScope = nluConfig.decision.outOfScopeLabel ?? OUT_OF_SCOPE;
  const accounts = new Accounts(store.documents, now);
  const audit = new AuditLog(store.records);
  const learned = new LearnedUtterances(store.documents);
  const inbox = new Inbox(store.records, () => ({ model: core.live.model, content: core.content, outOfScope }));
  const stats = new UsageStats(store.records, now);
  const idleMs = deps.config.STAFF_SESSION_IDLE_MINUTES * 60_000;
  const maxMs = deps.config.STAFF_SESSION_MAX_HOURS * 3_600_000;
  const sessions = new DocumentSessionStore(store.documents, () => now().getTime());

  const retrainer = new Retrainer({
    live: core.live,
    content: core.content,
    redFlags: core.redFlags,
    nluConfig,
    learned,
    logger,
    now,
    ...(deps.modelFile ? { modelFile: deps.modelFile } : {}),
    onFinished: (job) => finished(job),
  });

  /** The records' marks and the audit entry for a finished retrain. */
  async function finished(job: RetrainJob): Promise<void> {
    const { by, intent } = job.request;
    const ids = job.request.items.map((i) => i.recordId).filter((id): id is string => id !== undefined);
    const offTopic = intent === outOfScope;
    const what = offTopic ? 'declined example' : `intent ${intent}`;
    const count = job.request.items.length === 1 ? '' : ` (${job.request.items.length} wordings)`;
    if (job.status === 'swapped' || job.status === 'unchanged') {
      for (const id of ids) {
        await store.records.amend(id, { status: offTopic ? 'off-topic' : 'assigned', review: { by, at: now().toISOString(), intent }, refused: null });
      }
      const how = job.status === 'swapped' ? `model v${job.modelVersion} in force after ${job.ms} ms` : 'already known';
      await audit.write(by, offTopic ? 'off-topic' : 'assigned', ids.join(' ') || undefined, `${what}${count}; ${how}`);
    } else {
      const why = job.reasons.join('; ');
      for (const id of ids) await store.records.amend(id, { refused: why });
      await audit.write(by, 'assign-refused', ids.join(' ') || undefined, `${what}${count}: ${why}`);
    }
  }

  // The console answers 404 until the first account exists: a fresh install shows no sign-in page to the internet.
  let enabled = false;
  let checkedAt = 0;
  const isEnabled = async (): Promise<boolean> => {
    if (enabled) return true;
    if (now().getTime() - checkedAt < ENABLED_RECHECK_MS) return false;
    checkedAt = now().getTime();
    enabled = await accounts.any();
    return enabled;
  };

  const limiter = (key?: (req: Request) => string) =>
    rateLimit({
      windowMs: SIGN_IN_WINDOW_MS,
      limit: SIGN_IN_FAILURES,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...(deps.limiterStore ? { store: deps.limiterStore() } : {}),
      ...(key ? { keyGenerator: key } : {}),
      handler: (req, res) => {
        res.set('Retry-After', String(SIGN_IN_WINDOW_MS / 1000));
        res.status(429).type('html').send(renderLoginPage({ clinicName: deps.clinicName, message: 'Too many failed sign-ins. Wait 15 minutes, then try again.' }));
      },
    });
  const perAddress = limiter();
  const perAccount = limiter((req) => {
    const raw = typeof req.body?.username === 'string' ? req.body.username : '';
    return `account:${raw.trim().toLowerCase().slice(0, 64)}`;
  });

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const header = req.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
    errorConfig: { statusCode: 403, message: 'missing or wrong CSRF token (header X-CSRF-Token)', code: 'EBADCSRFTOKEN' },
  });

  const router = express.Router();
  router.use(staffHeaders);
  router.use((req, res, next) => {
    isEnabled().then((on) => (on ? next() : res.status(404).json({ error: 'not found' })), next);
  });
  router.use('/assets', express.static(assetsDir, { index: false, maxAge: 0, fallthrough: true }));
  router.get('/assets/chart.umd.min.js', (_req, res) => {
    res.type('application/javascript').sendFile(chartJs);
  });

  router.use(
    session({
      store: sessions,
      secret: await sessionSecret(store),
      name: 'staff_session',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      // `auto`: Secure whenever the request came over https, which behind a proxy the app learns from
      // TRUST_PROXY_HOPS (X-Forwarded-Proto).
      cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: idleMs, path: '/admin' },
    }),
  );

  /** The signed-in account, or undefined (an expired or removed one signs the session out). */
  async function signedIn(req: Request): Promise<string | undefined> {
    const user = req.session.user;
    if (!user) return undefined;
    const tooOld = now().getTime() - (req.session.signedInAt ?? 0) > maxMs;
    if (tooOld || !(await accounts.exists(user))) {
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      return undefined;
    }
    return user;
  }

  const wrap = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };

  router.get('/login', wrap(async (req, res) => {
    if (await signedIn(req)) return res.redirect(303, '/admin/inbox');
    res.type('html').send(renderLoginPage({ clinicName: deps.clinicName }));
  }));

  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), perAddress, perAccount, wrap(async (req, res) => {
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const user = username && password ? await accounts.verify(username, password) : undefined;
    if (!user) {
      let known: string | undefined;
      try {
        known = (await accounts.exists(accountName(username))) ? accountName(username) : undefined;
      } catch {
        known = undefined;
      }
      // The name only when it is an account: a password typed into the name field must not reach the log.
      await audit.write(known ?? '(unknown account)', 'sign-in-refused', undefined, `from ${req.ip ?? 'unknown address'}`);
      res.status(401).type('html').send(renderLoginPage({ clinicName: deps.clinicName, message: 'Wrong account name or password.', username: known ?? '' }));
      return;
    }
    // A new session id at sign-in, so an id planted before it (session fixation) is worth nothing.
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    req.session.user = user;
    req.session.signedInAt = now().getTime();
    generateToken(req, true);
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    await audit.write(user, 'signed-in', undefined, `from ${req.ip ?? 'unknown address'}`);
    // Measure the model in force now, in the worker, so the first change staff make is judged without waiting
    // for it (a no-op once it is measured). Not at start-up: patients' first turns should not share the CPU.
    retrainer.warm();
    res.redirect(303, '/admin/inbox');
  }));

  // Everything below needs a session; APIs answer 401, pages send the browser to the sign-in page.
  const requireUser = (req: Request, res: Response, next: NextFunction) => {
    signedIn(req).then((signed) => {
      if (!signed) {
        res.status(401).json({ error: 'sign in first' });
        return;
      }
      res.locals.user = signed;
      next();
    }, next);
  };
  router.use('/api', requireUser, csrfSynchronisedProtection, express.json({ limit: '16kb' }));

  router.post('/logout', requireUser, csrfSynchronisedProtection, (req, res, next) => {
    const who = String(res.locals.user);
    req.session.destroy(() => {
      res.clearCookie('staff_session', { path: '/admin' });
      audit.write(who, 'signed-out').then(() => res.status(204).end(), next);
    });
  });

  const user = (res: Response) => String(res.locals.user);

  router.get('/api/session', (req, res) => {
    res.json({ user: user(res), csrfToken: generateToken(req) });
  });

  router.get('/api/intents', (_req, res) => {
    const intents = core.content.catalog.map((c) => ({ intent: c.id, title: core.content.entries.get(c.id)?.title ?? c.id, kind: c.kind }));
    res.json({ intents, offTopic: outOfScope });
  });

  router.get('/api/inbox', wrap(async (req, res) => {
    const parsed = inboxQuery.safeParse(req.query);
    if (!parsed.success) return bad(res, problem(parsed.error));
    const q = parsed.data;
    const filter: InboxFilter = {
      ...(q.reason ? { reason: q.reason } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.intent ? { intent: q.intent } : {}),
      ...(q.from ? { from: startOf(q.from) } : {}),
      ...(q.to ? { to: endOf(q.to) } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    };
    try {
      res.json(await inbox.list(filter));
    } catch (err) {
      // A cursor from another store or an edited URL: the client's mistake, not the server's.
      if (err instanceof TypeError && q.cursor) return bad(res, 'cursor: not a cursor this inbox gave');
      throw err;
    }
  }));

  const teachBody = z.object({ intent: z.string().min(1).max(100) });
  const bulkBody = z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(200), intent: z.string().min(1).max(100).optional() });

  /** Queues one retrain for the items' texts as `intent` (202 with the job), or answers why it cannot. */
  async function teach(res: Response, ids: readonly string[], intent: string): Promise<void> {
    if (intent !== outOfScope && !core.content.entries.has(intent)) return bad(res, `intent: "${intent}" is not an intent of the knowledge base`);
    const items: { text: string; recordId: string }[] = [];
    for (const id of new Set(ids)) {
      const record = await inbox.get(id);
      if (!record) return bad(res, `no such inbox item: ${id}`, 404);
      const text = typeof record.text === 'string' ? record.text.trim() : '';
      if (!text) return bad(res, `item ${id} has no question text to teach (it came from a button or a vote)`, 409);
      items.push({ text, recordId: record.id });
    }
    const job = retrainer.teach({ items, intent, by: user(res) });
    res.status(202).json({ job });
  }

  router.post('/api/inbox/:id/assign', wrap(async (req, res) => {
    const body = teachBody.safeParse(req.body);
    if (!body.success) return bad(res, problem(body.error));
    if (body.data.intent === outOfScope) return bad(res, 'intent: use off-topic to add a declined example');
    await teach(res, [String(req.params.id)], body.data.intent);
  }));

  router.post('/api/inbox/:id/off-topic', wrap(async (req, res) => {
    await teach(res, [String(req.params.id)], outOfScope);
  }));

  // Several items at once, judged by the guard as one change.
  router.post('/api/inbox/assign', wrap(async (req, res) => {
    const body = bulkBody.safeParse(req.body);
    if (!body.success) return bad(res, problem(body.error));
    if (!body.data.intent) return bad(res, 'intent: required');
    if (body.data.intent === outOfScope) return bad(res, 'intent: use off-topic to add declined examples');
    await teach(res, body.data.ids, body.data.intent);
  }));

  router.post('/api/inbox/off-topic', wrap(async (req, res) => {
    const body = bulkBody.safeParse(req.body);
    if (!body.success) return bad(res, problem(body.error));
    await teach(res, body.data.ids, outOfScope);
  }));

  const markBody = z.object({ note: z.string().max(500).optional() }).default({});

  const mark = (status: 'needs-content' | 'dismissed' | 'open', action: 'needs-content' | 'dismissed' | 'reopened') =>
    wrap(async (req, res) => {
      const body = markBody.safeParse(req.body ?? {});
      if (!body.success) return bad(res, problem(body.error));
      const record = await inbox.get(String(req.params.id));
      if (!record) return bad(res, 'no such inbox item', 404);
      const review = status === 'open' ? null : { by: user(res), at: now().toISOString(), ...(body.data.note ? { note: body.data.note } : {}) };
      await store.records.amend(record.id, { status, review });
      await audit.write(user(res), action, record.id, body.data.note);
      const updated = await inbox.get(record.id);
      res.json({ item: updated ? inbox.item(updated) : null });
    });
  router.post('/api/inbox/:id/needs-content', mark('needs-content', 'needs-content'));
  router.post('/api/inbox/:id/dismiss', mark('dismissed', 'dismissed'));
  router.post('/api/inbox/:id/reopen', mark('open', 'reopened'));

  router.get('/api/jobs/:id', (req, res) => {
    const job = retrainer.job(Number(req.params.id));
    if (!job) return bad(res, 'no such job (only the last 100 are kept)', 404);
    res.json({ job });
  });

  router.get('/api/model', (_req, res) => {
    res.json({ version: core.live.version, jobs: retrainer.recent().slice(0, 20) });
  });

  router.get('/api/learned', wrap(async (_req, res) => {
    const inIntents = new Set<string>();
    for (const texts of core.content.training.values()) for (const t of texts) inIntents.add(utteranceKey(t));
    const items = (await learned.all()).map((u) => ({ ...u, inIntents: inIntents.has(utteranceKey(u.text)) }));
    res.json({ items });
  }));

  /** Content gaps: every item marked "needs new content", newest first (bounded). */
  async function contentGaps(): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.records.query({ kinds: INBOX_KINDS, where: { status: 'needs-content' }, limit: 500, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.next;
    } while (cursor && out.length < 5000);
    return out;
  }

  router.get('/api/content-gaps', wrap(async (_req, res) => {
    res.json({ items: (await contentGaps()).map((r) => inbox.item(r)).filter((i) => i !== undefined) });
  }));

  router.get('/api/content-gaps.csv', wrap(async (_req, res) => {
    const items = (await contentGaps()).map((r) => inbox.item(r)).filter((i) => i !== undefined);
    await audit.write(user(res), 'exported-content-gaps', undefined, `${items.length} items`);
    const rows = items.map((i) => [i.at, i.channel, i.reason, i.text, i.comment ?? '', i.review?.note ?? '', i.review?.by ?? '']);
    sendCsv(res, 'content-gaps.csv', ['time', 'channel', 'reason', 'question (redacted)', 'comment (redacted)', 'note', 'marked by'], rows);
  }));

  const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
  router.get('/api/stats', wrap(async (req, res) => {
    const parsed = statsQuery.safeParse(req.query);
    if (!parsed.success) return bad(res, problem(parsed.error));
    const figures = await stats.lastDays(parsed.data.days);
    const title = (intent: string) => core.content.entries.get(intent)?.title ?? intent;
    res.json({ ...figures, topIntents: figures.topIntents.map((t) => ({ ...t, title: title(t.intent) })) });
  }));

  const exportQuery = z.object({
    from: dateParam,
    to: dateParam,
    kinds: z.string().max(200).optional(),
  });
  const EXPORT_KINDS: readonly RecordKind[] = ['unanswered', 'feedback', 'escalations', 'handoffs', 'questions'];
  router.get('/api/export.csv', wrap(async (req, res) => {
    const parsed = exportQuery.safeParse(req.query);
    if (!parsed.success) return bad(res, problem(parsed.error));
    const { from, to } = parsed.data;
    if (from > to) return bad(res, 'from: must not be after to');
    const kinds = parsed.data.kinds ? parsed.data.kinds.split(',').map((k) => k.trim()) : [...EXPORT_KINDS];
    const unknown = kinds.find((k) => !(EXPORT_KINDS as readonly string[]).includes(k));
    if (unknown) return bad(res, `kinds: "${unknown}" is not one of ${EXPORT_KINDS.join(', ')}`);
    await audit.write(user(res), 'exported-records', undefined, `${from} to ${to}: ${kinds.join(', ')}`);
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="records-${from}-to-${to}.csv"`);
    const columns = ['id', 'kind', 'time', 'channel', 'intent', 'outcome or reason', 'escalation', 'confidence', 'helpful', 'status', 'question (redacted)', 'comment (redacted)'];
    res.write(stringify([columns], { escape_formulas: true }));
    let cursor: string | undefined;
    do {
      const page = await store.records.query({ kinds: kinds as RecordKind[], from: startOf(from), to: endOf(to), limit: 1000, ...(cursor ? { cursor } : {}) });
      const rows = page.items.map((r) => [
        r.id,
        r.kind,
        r.at,
        r.channel ?? '',
        r.intent ?? '',
        r.kind === 'questions' ? (r.outcome ?? '') : (r.inbox ?? r.reason ?? ''),
        r.level ?? r.escalation ?? '',
        typeof r.confidence === 'number' ? r.confidence.toFixed(3) : '',
        typeof r.helpful === 'boolean' ? (r.helpful ? 'yes' : 'no') : '',
        r.status ?? '',
        r.text ?? '',
        r.comment ?? '',
      ].map((v) => (typeof v === 'string' ? v : String(v))));
      if (rows.length > 0) res.write(stringify(rows, { escape_formulas: true }));
      cursor = page.next;
    } while (cursor);
    res.end();
  }));

  router.get('/api/content', (_req, res) => {
    res.json({ today: now().toISOString().slice(0, 10), entries: contentReview(core.content, now().toISOString().slice(0, 10)) });
  });

  const auditQuery = z.object({ cursor: z.string().max(200).optional() });
  router.get('/api/audit', wrap(async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    if (!parsed.success) return bad(res, problem(parsed.error));
    res.json(await audit.list(parsed.data.cursor ? { cursor: parsed.data.cursor } : {}));
  }));

  router.use('/api', (_req, res) => {
    bad(res, 'not found', 404);
  });

  // Pages.
  const page = (name: PageName) =>
    wrap(async (req, res) => {
      const signed = await signedIn(req);
      if (!signed) return res.redirect(303, '/admin/login');
      res.type('html').send(renderConsolePage({ page: name, clinicName: deps.clinicName, user: signed }));
    });
  router.get('/', (_req, res) => res.redirect(303, '/admin/inbox'));
  for (const p of PAGES) router.get(`/${p.path}`, page(p.path));

  router.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // The CSRF check and body parsers report through here: 4xx with a short reason, never the stack.
  router.use((err: { status?: number; statusCode?: number; code?: string; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    const status = err?.status ?? err?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: err.code === 'EBADCSRFTOKEN' ? err.message : status === 413 ? 'request body too large' : 'bad request' });
      return;
    }
    next(err);
  });

  const purgeTimer = setInterval(() => {
    sessions.purgeIdle(idleMs).catch((err: Error) => logger.warn({ err: err.message }, 'could not purge idle staff sessions'));
  }, 10 * 60_000);
  purgeTimer.unref();

  return {
    router,
    accounts,
    learned,
    audit,
    retrainer,
    accountsChanged() {
      enabled = false;
      checkedAt = 0;
    },
    async close() {
      clearInterval(purgeTimer);
      await retrainer.close();
    },
  };
}

function sendCsv(res: Response, filename: string, header: string[], rows: string[][]): void {
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
  // escape_formulas: a cell a patient typed as "=HYPERLINK(...)" stays text when a clinician opens the file.
  res.send(stringify([header, ...rows], { escape_formulas: true }));
}
