import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type Request, type RequestHandler } from 'express';
import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { projectRoot } from '../paths.js';
import { AzureDirectLineError, generateAzureToken, type FetchLike } from '../directline/azure.js';
import { MemoryConversationStore } from '../directline/conversations.js';
import type { ConversationStore, InProcessFactory } from '../directline/store.js';
import { createDirectLineRouter, fail, json, jsonErrors } from '../directline/routes.js';
import { createTokenService, randomId } from '../directline/tokens.js';
import { createWebChatBundle } from './bundle.js';
import type { WebConfig } from './config.js';
import { createCors } from './cors.js';
import { embedOptionsFromQuery, renderDemoPage, renderEmbedPage, scriptSafeJson } from './pages.js';
import { PRIVACY_PATH, TERMS_PATH, renderPrivacyPage, renderTermsPage, type LegalFacts } from './legal.js';
import { createSecurity, cspNonce } from './security.js';

export { webConfigSchema, type WebConfig } from './config.js';
export { PRIVACY_PATH, TERMS_PATH } from './legal.js';

export const publicDir = join(projectRoot, 'public');
export const TOKEN_PATH = '/api/directline/token';
export const DIRECT_LINE_PATH = '/v3/directline';

export interface WebDeps {
  config: WebConfig;
  clinicName: string;
  /** The demo page's list of what the assistant covers: the topic labels of the packs that are on. */
  topics: readonly string[];
  logger: Logger;
  /** Runs the bot in this process for the built-in Direct Line; from the SDK edge chosen by BOT_SDK. */
  inProcess: InProcessFactory;
  /** Azure Direct Line token exchange; tests inject a fake so nothing reaches the network. */
  fetch?: FetchLike;
  /** The emergency number named when the chat cannot answer at all. */
  emergencyNumber?: string;
  /** What the privacy and terms pages say about the clinic and the store's retention (src/web/legal.ts). */
  legal: { phone: string; email?: string; address?: string; retentionDays: number };
  /** The clinic's phone, named by the chat page when it cannot reach the bot. */
  clinicPhone?: string;
  /** Where Direct Line keeps conversations; default this process's memory (one instance). */
  conversations?: ConversationStore;
  /**
   * Counters of the rate limits, one store per limit; default this process's memory. Shared stores make the limits
   * count across instances.
   */
  rateLimitStore?: (name: 'requests' | 'conversations' | 'messages') => Store;
}

export interface Web {
  security: RequestHandler;
  router: express.Router;
  /** Where Direct Line keeps conversations (for /metrics). */
  conversations: ConversationStore;
  close(): Promise<void>;
}

const BOT_ACCOUNT_ID = 'eczema-faq-bot';

export function createWeb(deps: WebDeps): Web {
  const { config, logger } = deps;
  const azure = Boolean(config.DIRECT_LINE_SECRET);
  const publicOrigin = config.PUBLIC_BASE_URL ? new URL(config.PUBLIC_BASE_URL).origin : undefined;
  const azureEndpoint = new URL(config.DIRECT_LINE_ENDPOINT);

  const security = createSecurity({
    allowedEmbedOrigins: config.ALLOWED_EMBED_ORIGINS,
    // Azure Direct Line streams activities over a WebSocket on the same host.
    connectSources: azure ? [azureEndpoint.origin, `wss://${azureEndpoint.host}`] : [],
    upgradeInsecureRequests: publicOrigin?.startsWith('https:') ?? false,
  });

  const memoryStores: MemoryStore[] = [];
  const limiter = (name: 'requests' | 'conversations' | 'messages', limit: number, what: string, keyed?: (req: Request, res: express.Response) => string) => {
    const store = deps.rateLimitStore?.(name) ?? new MemoryStore();
    if (store instanceof MemoryStore) memoryStores.push(store);
    return rateLimit({
      windowMs: 60_000,
      limit,
      store,
      // A shared counter that cannot be reached lets the request through (and logs): a patient is not refused
      // because the database is down, and the routes behind say "try again shortly" where they need it.
      passOnStoreError: true,
      // Its messages as our JSON log lines (it would write to the console): a warning per request not counted.
      logger: {
        error: (error: unknown, message?: string) => logger.warn({ err: (error as Error)?.message ?? String(error), limit: name }, message ?? 'rate limit store error'),
        warn: (error: unknown, message?: string) => logger.warn({ err: (error as Error)?.message ?? String(error), limit: name }, message ?? 'rate limit warning'),
      },
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...(keyed ? { keyGenerator: keyed } : {}),
      handler: (_req, res) => {
        res.set('Retry-After', '60');
        fail(res, 429, 'TooManyRequests', `too many ${what}; please wait a minute`);
      },
    });
  };
  const requestLimiter = limiter('requests', config.RATE_LIMIT_REQUESTS_PER_MINUTE, 'requests');
  const conversationLimiter = limiter('conversations', config.RATE_LIMIT_CONVERSATIONS_PER_MINUTE, 'new conversations');
  const messageLimiter = limiter('messages', config.RATE_LIMIT_MESSAGES_PER_MINUTE, 'messages in this conversation', (_req, res) => {
    return `conversation:${(res.locals.claims as { conversationId: string }).conversationId}`;
  });

  const store =
    deps.conversations ??
    new MemoryConversationStore({
      idleMs: config.DIRECT_LINE_CONVERSATION_IDLE_MINUTES * 60_000,
      maxConversations: config.DIRECT_LINE_MAX_CONVERSATIONS,
    });
  const sweepEvery = Math.min(60_000, config.DIRECT_LINE_CONVERSATION_IDLE_MINUTES * 60_000);
  // Every instance runs the sweep; the shared store lets one of them at a time do the work.
  const sweeper = setInterval(() => {
    store.sweep().then(
      (dropped) => {
        if (dropped > 0) logger.debug({ dropped }, 'idle conversations dropped');
      },
      (err: Error) => logger.warn({ err: err.message }, 'idle-conversation sweep failed; it runs again in a minute'),
    );
  }, sweepEvery);
  sweeper.unref();

  const tokens = createTokenService({ key: config.DIRECT_LINE_TOKEN_KEY, ttlSeconds: config.DIRECT_LINE_TOKEN_TTL_SECONDS });
  const adapter = deps.inProcess(store, { id: BOT_ACCOUNT_ID, name: deps.clinicName }, logger);
  const serviceUrl = (req: Request) => publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  const bundle = createWebChatBundle();
  const widgetScript = loadWidgetScript({
    title: config.WIDGET_TITLE,
    primaryColor: config.WIDGET_PRIMARY_COLOR,
    position: config.WIDGET_POSITION,
    greeting: config.WIDGET_GREETING,
  });
  const cors = createCors({ allowedOrigins: config.ALLOWED_EMBED_ORIGINS, publicOrigin });

  const router = express.Router();
  router.use(requestLimiter);
  router.use(compression());

  router.get('/', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.type('html').send(
      renderDemoPage({
        clinicName: deps.clinicName,
        topics: deps.topics,
        widget: {
          title: config.WIDGET_TITLE,
          primaryColor: config.WIDGET_PRIMARY_COLOR,
          position: config.WIDGET_POSITION,
          greeting: config.WIDGET_GREETING,
        },
      }),
    );
  });

  const legal: LegalFacts = {
    ...deps.legal,
    clinicName: deps.clinicName,
    emergencyNumber: deps.emergencyNumber ?? '911',
    chatIdleMinutes: config.DIRECT_LINE_CONVERSATION_IDLE_MINUTES,
    azureDirectLine: azure,
  };
  const privacyPage = renderPrivacyPage(legal);
  const termsPage = renderTermsPage(legal);
  for (const [path, body] of [[PRIVACY_PATH, privacyPage], [TERMS_PATH, termsPage]] as const) {
    router.get(path, (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.type('html').send(body);
    });
  }

  router.get('/embed', (req, res) => {
    const embed = embedOptionsFromQuery(req.query as Record<string, unknown>, {
      title: config.WIDGET_TITLE,
      primaryColor: config.WIDGET_PRIMARY_COLOR,
    });
    // The page carries a per-response style nonce, so it must never be served from a cache.
    res.set('Cache-Control', 'no-store');
    res.type('html').send(
      renderEmbedPage({
        embed,
        clinicName: deps.clinicName,
        nonce: cspNonce(res),
        webChatPath: bundle.path,
        tokenPath: TOKEN_PATH,
        azure,
        clinic: { phone: deps.clinicPhone ?? '', emergencyNumber: deps.emergencyNumber ?? '911' },
        readyPath: '/readyz',
      }),
    );
  });

  router.get('/widget.js', (req, res) => {
    res.set({ 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300', ETag: widgetScript.etag });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(widgetScript.body);
  });

  router.get(bundle.path, bundle.handler);
  router.use('/static', express.static(join(publicDir, 'static'), { index: false, maxAge: '5m', fallthrough: true }));

  router.use(TOKEN_PATH, cors);
  router.post(TOKEN_PATH, conversationLimiter, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (azure) {
      generateAzureToken({ endpoint: config.DIRECT_LINE_ENDPOINT, secret: config.DIRECT_LINE_SECRET!, fetch: deps.fetch ?? fetch }).then(
        (t) => json(res, 200, { token: t.token, conversationId: t.conversationId, expires_in: t.expiresIn, domain: config.DIRECT_LINE_ENDPOINT }),
        (error: unknown) => {
          if (!(error instanceof AzureDirectLineError)) {
            next(error);
            return;
          }
          // The upstream status tells staff what is wrong (401/403: wrong secret); the patient just retries later.
          logger.error({ upstreamStatus: error.upstreamStatus, reason: error.message }, 'Azure Direct Line token exchange failed');
          fail(res, 502, 'BadGateway', 'the chat service is unavailable right now');
        },
      );
      return;
    }
    const claims = { conversationId: randomId(), userId: `dl_${randomId(12)}` };
    tokens.issue(claims).then(({ token, expiresIn }) => {
      json(res, 200, { token, conversationId: claims.conversationId, expires_in: expiresIn, domain: DIRECT_LINE_PATH });
    }, next);
  });

  if (!azure) {
    router.use(DIRECT_LINE_PATH, cors);
    router.use(
      DIRECT_LINE_PATH,
      createDirectLineRouter({
        adapter,
        store,
        tokens,
        logger,
        maxTextChars: config.DIRECT_LINE_MAX_TEXT_CHARS,
        maxBodyBytes: config.DIRECT_LINE_MAX_BODY_BYTES,
        serviceUrl,
        conversationLimiter,
        messageLimiter,
        unavailableNotice:
          'Sorry, the chat cannot answer for a moment because of a technical problem. Please try again in a minute. ' +
          `If this is an emergency, call ${deps.emergencyNumber ?? '911'} now.`,
      }),
    );
  }
  router.use(jsonErrors(logger));

  logger.info(
    { directLine: azure ? 'azure' : 'self-hosted', embedOrigins: config.ALLOWED_EMBED_ORIGINS.length, webChat: bundle.version },
    'web channels ready',
  );

  return {
    security,
    router,
    conversations: store,
    async close() {
      clearInterval(sweeper);
      for (const s of memoryStores) s.shutdown();
      await store.close();
    },
  };
}

/** public/widget.js with the clinic's defaults written in, so a bare script tag already looks right. */
function loadWidgetScript(defaults: Record<string, string>): { body: string; etag: string } {
  const source = readFileSync(join(publicDir, 'widget.js'), 'utf8');
  const marker = 'var DEFAULTS = {};';
  if (!source.includes(marker)) throw new Error(`public/widget.js must contain the line "${marker}"`);
  const body = source.replace(marker, `var DEFAULTS = ${scriptSafeJson(defaults)};`);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}
