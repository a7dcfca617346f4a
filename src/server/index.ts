import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCoreConfig, parseEnv, type CoreConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createWeb, webConfigSchema, type WebConfig } from '../web/index.js';
import type { BotEdge } from '../bot/edge.js';
import { edgeFor } from '../bot/edges.js';
import type { TurnLike } from '../bot/turn.js';
import { loadCore, type Core } from '../core/loadCore.js';
import type { BotStore } from '../store/contract.js';
import { openStore } from '../store/open.js';
import type { RecordStore } from '../store/records.js';
import { startRetention } from '../store/retention.js';
import { loadDatabaseConfig } from '../store/postgres/config.js';
import { createMetrics, metricsConfigSchema } from '../metrics/index.js';
import { createApp } from './app.js';
import { createHttpServer, type RequestTimeouts } from './timeouts.js';
import { checkSharedConfig, shareAcrossInstances } from './instances.js';
import { adminConfigSchema, createAdmin, type Admin } from '../admin/index.js';
import { controlFilePath, startControl } from '../admin/control.js';
import { asTraining, LearnedUtterances } from '../admin/learned.js';
import { promisedTopics } from '../content/promises.js';

export interface StartOptions {
  /** Environment to read configuration from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Overrides applied after validation, e.g. `{ PORT: 0 }` in tests. */
  config?: Partial<CoreConfig>;
  web?: Partial<WebConfig>;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  config: CoreConfig;
  core: Core;
  store: BotStore;
  records: RecordStore;
  /** The staff console (its accounts, its retrainer). */
  admin: Admin;
  /** The bot at the SDK edge chosen by BOT_SDK (botbuilder or the Agents SDK). */
  bot: BotEdge;
  /** The server's logger, so `main.ts` logs shutdown in the same format as everything else. */
  logger: Logger;
  /** Stop accepting, finish turns in flight, flush storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** The composition root: configuration, content, model, storage, bot, channels, HTTP. */
export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = { ...loadCoreConfig(env), ...options.config };
  const webConfig = { ...parseEnv(webConfigSchema, env), ...options.web };
  const database = loadDatabaseConfig(env);
  const metricsConfig = parseEnv(metricsConfigSchema, env);
  checkSharedConfig(database, webConfig);
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);

  const adminConfig = parseEnv(adminConfigSchema, env);

  // DATABASE_URL set: PostgreSQL, shared by every instance; otherwise the embedded store at DB_FILE.
  const store = await openStore(config, logger, database);
  let core: Core;
  let admin: Admin;
  let control: { close(): Promise<void> } | undefined;
  try {
    // What staff taught in the console is trained on, on top of intents/ (and cached in MODEL_FILE like the rest).
    const taught = asTraining(await new LearnedUtterances(store.documents).all());
    core = loadCore(config, logger, taught.size > 0 ? { extraTraining: taught } : {});
    admin = await createAdmin({ store, core, config: adminConfig, clinicName: config.CLINIC_NAME, logger, modelFile: config.MODEL_FILE });
    // The embedded store admits this process alone: `npm run staff` asks it over loopback (src/admin/control.ts).
    if (store.backend === 'lowdb') {
      control = await startControl({
        file: controlFilePath(config.DB_FILE),
        accounts: admin.accounts,
        learned: admin.learned,
        audit: admin.audit,
        changed: () => admin.accountsChanged(),
        logger,
      });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  // In the background, in small steps: a turn never waits for a purge.
  const retention = startRetention(store, { days: config.RETENTION_DAYS, logger });
  const sharing = await shareAcrossInstances(store, { core, webConfig, logger }).catch(async (err: unknown) => {
    await retention.stop();
    await store.close();
    throw err;
  });
  // Read at scrape time: the Direct Line store is the shared one, or the one createWeb keeps in memory.
  const metrics = createMetrics({ token: metricsConfig.METRICS_TOKEN, sources: { openConversations: () => web.conversations.openCount(), ...sharing.metrics } });
  // The bot SDK edge, chosen here and nowhere else. Every channel's turn is counted and timed, and run under the
  // conversation's lock across instances, whichever SDK runs it.
  const createEdge = edgeFor(config.BOT_SDK);
  const around = (turn: TurnLike, run: () => Promise<void>) => metrics.observeTurn(turn, () => sharing.runTurn(turn, run));
  const bot = createEdge({ core, store, config, logger, around });
  const records = bot.records;

  const web = createWeb({
    config: webConfig,
    clinicName: config.CLINIC_NAME,
    topics: promisedTopics(core.content),
    emergencyNumber: config.EMERGENCY_NUMBER,
    legal: { phone: config.CLINIC_PHONE, email: config.CLINIC_EMAIL, address: config.CLINIC_ADDRESS, retentionDays: config.RETENTION_DAYS },
    clinicPhone: config.CLINIC_PHONE,
    logger,
    inProcess: bot.inProcess,
    ...sharing.web,
  });

  let ready = false;
  const app = createApp({
    channel: bot.messages,
    metrics: metrics.handler,
    logger,
    appId: config.MicrosoftAppId,
    ownOrigins: webConfig.PUBLIC_BASE_URL ? [new URL(webConfig.PUBLIC_BASE_URL).origin] : [],
    maxBodyBytes: config.MAX_BODY_BYTES,
    bodyTimeoutMs: config.HTTP_BODY_TIMEOUT_MS,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    // A store that cannot write (its lock lost, the database unreachable) takes the bot out of rotation.
    isReady: () => ready && store.healthy(),
    security: web.security,
    web: web.router,
    admin: admin.router,
  });

  // Retention, the web channels and the store's lock; released on stop, and when listening fails so that a
  // caller that retries (or a test) is not left holding them.
  const release = async () => {
    await control?.close();
    await admin.close();
    await retention.stop();
    await web.close();
    await sharing.close();
    await store.close();
  };
  let server: Server;
  try {
    server = await listen(app, config.PORT, {
      headersMs: config.HTTP_HEADERS_TIMEOUT_MS,
      bodyMs: config.HTTP_BODY_TIMEOUT_MS,
      requestMs: config.HTTP_REQUEST_TIMEOUT_MS,
    });
  } catch (err) {
    await release();
    throw err;
  }
  // After listening, a server error (accept failing with EMFILE) is logged, not thrown out of the process.
  server.on('error', (err) => logger.error({ err: err.message }, 'HTTP server error'));
  const port = (server.address() as AddressInfo).port;
  ready = true;
  // The model has one label more than the catalog has intents: out-of-scope, which is declined, never answered.
  const counts = { answerableIntents: core.content.catalog.length, modelLabels: core.content.training.size };
  logger.info({ port, mode: config.MicrosoftAppId ? 'azure-bot-service' : 'local', sdk: bot.sdk, ...counts }, 'bot ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      ready = false;
      // Stop accepting; requests in flight (and their turns) finish within the grace period, then the rest is cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = delay(config.SHUTDOWN_GRACE_MS);
      const drained = await Promise.race([closed.then(() => true), grace.then(() => false)]);
      await Promise.race([bot.idle(), grace]);
      if (!drained) server.closeAllConnections();
      await closed;
      await release();
      logger.info('bot stopped');
    })());

  return { url: `http://127.0.0.1:${port}`, port, config, core, store, records, admin, bot, logger, stop };
}

/** The port cannot be listened on; its message is the one line `npm start` prints. */
export class ListenError extends Error {}

function listen(app: ReturnType<typeof createApp>, port: number, timeouts: RequestTimeouts): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer(app, timeouts);
    // The two listen errors an operator can fix get one line instead of a stack.
    const failed = (error: NodeJS.ErrnoException) => {
      const problem = listenProblem(error.code, port);
      reject(problem ? new ListenError(problem) : error);
    };
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

/** The one-line explanation of a listen error an operator can fix, or undefined for any other. */
export function listenProblem(code: string | undefined, port: number): string | undefined {
  if (code === 'EADDRINUSE') return `port ${port} is already in use; stop the other program or set PORT`;
  if (code === 'EACCES') return `port ${port} needs privileges this user does not have; set PORT to 1024 or above`;
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
