import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { ConversationStoreUnavailableError, type ConversationStore, type InProcessTurns } from './store.js';
import { LOCALE, buildUserActivity, parseClientActivity } from './incoming.js';
import { randomId, type TokenClaims, type TokenService } from './tokens.js';

/**
 * The Direct Line 3.0 subset Web Chat's stock client needs in polling mode (no WebSocket: streamUrl is omitted,
 * and the client then polls). Paths and status codes follow Azure Direct Line, because the client interprets
 * them: 403 means "token expired, keep trying", 404 means "conversation ended", 401 and other 4xx end the chat.
 */

export interface DirectLineDeps {
  adapter: InProcessTurns;
  store: ConversationStore;
  tokens: TokenService;
  logger: Logger;
  maxTextChars: number;
  maxBodyBytes: number;
  /** Our own origin as the bot should see it in `serviceUrl`. */
  serviceUrl(req: Request): string;
  /** Per-IP limit on new tokens (each opens at most one conversation). */
  conversationLimiter: RequestHandler;
  /** Per-conversation limit on posted activities; keyed on res.locals.claims. */
  messageLimiter: RequestHandler;
  /** What a patient reads when their message could not be taken because the store is unavailable. */
  unavailableNotice: string;
}

export function json(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/** Direct Line error body: `{ error: { code, message } }`, as Azure sends it. */
export function fail(res: Response, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

export function createDirectLineRouter(deps: DirectLineDeps): express.Router {
  const router = express.Router();
  const body = express.json({ limit: deps.maxBodyBytes, strict: true });

  const requireToken: RequestHandler = (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer');
      fail(res, 401, 'Unauthorized', 'an Authorization: Bearer <token> header is required');
      return;
    }
    deps.tokens.verify(match[1]!).then((result) => {
      if (!result.ok) {
        if (result.reason === 'expired') fail(res, 403, 'TokenExpired', 'the token has expired; start a new conversation');
        else fail(res, 401, 'Unauthorized', 'the token is not valid');
        return;
      }
      res.locals.claims = result.claims;
      next();
    }, next);
  };

  /** A token opens exactly one conversation. */
  const requireOwnConversation: RequestHandler = (req, res, next) => {
    const claims = res.locals.claims as TokenClaims;
    if (req.params.id !== claims.conversationId) {
      fail(res, 403, 'Forbidden', 'this token belongs to another conversation');
      return;
    }
    next();
  };

  const issueForNewConversation: RequestHandler = (_req, res, next) => {
    const claims: TokenClaims = { conversationId: randomId(), userId: `dl_${randomId(12)}` };
    deps.tokens.issue(claims).then(({ token, expiresIn }) => {
      json(res, 200, { conversationId: claims.conversationId, token, expires_in: expiresIn });
    }, next);
  };

  router.post('/tokens/generate', deps.conversationLimiter, issueForNewConversation);

  // Only a running conversation is worth a new token. A page resuming a conversation lost to idleness or a
  // restart learns it here (404) and starts a new one, instead of connecting to nothing.
  const reissueForRunningConversation: RequestHandler = async (_req, res) => {
    const claims = res.locals.claims as TokenClaims;
    if (!(await deps.store.get(claims.conversationId))) {
      fail(res, 404, 'NotFound', 'the conversation has ended or expired');
      return;
    }
    const { token, expiresIn } = await deps.tokens.issue(claims);
    json(res, 200, { conversationId: claims.conversationId, token, expires_in: expiresIn });
  };

  router.post('/tokens/refresh', requireToken, reissueForRunningConversation);

  // Not rate-limited again: each token (limited where it is issued) opens at most one conversation.
  router.post('/conversations', requireToken, body, async (req, res) => {
    const claims = res.locals.claims as TokenClaims;
    const existing = await deps.store.get(claims.conversationId);
    if (existing) {
      // Same token twice: the conversation is already running, answer as a reconnect would.
      const { token, expiresIn } = await deps.tokens.issue(claims);
      json(res, 200, { conversationId: existing.id, token, expires_in: expiresIn });
      return;
    }
    const conversation = await deps.store.create(claims.conversationId, claims.userId);
    if (!conversation) {
      res.set('Retry-After', '60');
      fail(res, 503, 'ServiceUnavailable', 'too many open conversations; try again in a minute');
      return;
    }
    const requested = (req.body as { locale?: unknown } | undefined)?.locale;
    const locale = typeof requested === 'string' && requested.length <= 35 && LOCALE.test(requested) ? requested : undefined;
    const user = { id: claims.userId, name: '', role: 'user' };
    const bot = deps.adapter.account;
    const update = {
      type: 'conversationUpdate',
      channelId: 'webchat',
      serviceUrl: deps.serviceUrl(req),
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      from: user,
      recipient: { ...bot, role: 'bot' },
      membersAdded: [user],
      ...(locale ? { locale } : {}),
      id: randomId(),
      timestamp: new Date(),
    };
    // The welcome runs before we answer, so the client's first poll already shows it.
    await deps.adapter.processActivity(conversation.id, update);
    const { token, expiresIn } = await deps.tokens.issue(claims);
    json(res, 201, { conversationId: conversation.id, token, expires_in: expiresIn });
  });

  // Reconnect (the client resumes a conversation it already has the id of).
  router.get('/conversations/:id', requireToken, requireOwnConversation, reissueForRunningConversation);

  // Conversations whose message this instance had to refuse while the store was unavailable: their next poll here
  // says why, once, instead of leaving the patient with "Send failed" alone.
  const refusedWhileUnavailable = new Set<string>();

  router.get('/conversations/:id/activities', requireToken, requireOwnConversation, async (req, res) => {
    const id = req.params.id as string;
    const raw = req.query.watermark;
    if (raw !== undefined && (typeof raw !== 'string' || !/^\d{0,15}$/.test(raw))) {
      fail(res, 400, 'BadArgument', 'watermark must be the number the previous answer gave');
      return;
    }
    const seen = raw ? Number(raw) : 0;
    res.set('Cache-Control', 'no-store');
    let result: Awaited<ReturnType<ConversationStore['since']>>;
    try {
      result = await deps.store.since(id, seen);
    } catch (error) {
      if (!(error instanceof ConversationStoreUnavailableError)) throw error;
      // Web Chat stops polling for good after an error answer; an empty page at the same watermark keeps it polling
      // through the outage, and it catches up as soon as the store is back.
      const notice = refusedWhileUnavailable.delete(id) ? [unavailableActivity(id, deps)] : [];
      json(res, 200, { activities: notice, watermark: String(seen) });
      return;
    }
    if (!result) {
      fail(res, 404, 'NotFound', 'the conversation has ended or expired');
      return;
    }
    json(res, 200, { activities: result.activities, watermark: String(result.watermark) });
  });

  router.post(
    '/conversations/:id/activities',
    requireToken,
    requireOwnConversation,
    deps.messageLimiter,
    body,
    async (req, res) => {
      const claims = res.locals.claims as TokenClaims;
      try {
        const conversation = await deps.store.get(claims.conversationId);
        if (!conversation) {
          fail(res, 404, 'NotFound', 'the conversation has ended or expired');
          return;
        }
        if (req.body === undefined) {
          fail(res, 415, 'UnsupportedMediaType', 'send the activity as JSON (Content-Type: application/json)');
          return;
        }
        const parsed = parseClientActivity(req.body, deps.maxTextChars);
        if (!parsed.ok) {
          fail(res, 400, 'BadArgument', parsed.error);
          return;
        }
        const activity = buildUserActivity(parsed.activity, {
          conversationId: conversation.id,
          userId: claims.userId,
          bot: deps.adapter.account,
          serviceUrl: deps.serviceUrl(req),
        });
        // Typing is shown to nobody (the bot does not render it); it is not worth a turn or a transcript line.
        if (activity.type === 'typing') {
          json(res, 200, { id: '' });
          return;
        }
        // The transcript keeps the client's copy; the bot gets its own, which middleware may change freely.
        const stored = await deps.store.append(conversation.id, activity);
        await deps.adapter.processActivity(conversation.id, JSON.parse(JSON.stringify(stored)) as Partial<typeof stored>);
        json(res, 200, { id: stored.id });
      } catch (error) {
        if (error instanceof ConversationStoreUnavailableError) refusedWhileUnavailable.add(claims.conversationId);
        throw error;
      }
    },
  );

  router.post('/conversations/:id/upload', requireToken, requireOwnConversation, (_req, res) => {
    fail(res, 415, 'UnsupportedMediaType', 'this chat does not accept files');
  });

  return router;
}

/** The bot's note in the transcript while the store is unavailable: shown once, never stored. */
function unavailableActivity(conversationId: string, deps: DirectLineDeps): Record<string, unknown> {
  const bot = deps.adapter.account;
  return {
    type: 'message',
    // One id per conversation and minute: Web Chat shows an activity id once, however often a poll repeats it.
    id: `${conversationId}|unavailable-${Math.floor(Date.now() / 60_000)}`,
    channelId: 'webchat',
    conversation: { id: conversationId },
    from: { ...bot, role: 'bot' },
    text: deps.unavailableNotice,
    timestamp: new Date().toISOString(),
  };
}

/** Turns body-parser and unexpected errors into JSON; bad input stays 4xx, and no stack reaches a client. */
export function jsonErrors(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ConversationStoreUnavailableError) {
      // The patient's page shows its own "try again" message; the log line says what an operator needs.
      logger.warn({ err: error.message }, 'Direct Line request refused: store unavailable');
      res.set('Retry-After', '5');
      fail(res, 503, 'ServiceUnavailable', 'the chat is having a short technical problem; please try again shortly');
      return;
    }
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    const type = (error as { type?: unknown }).type;
    if (status >= 400 && status < 500) {
      const message =
        type === 'entity.too.large'
          ? 'the request body is too large'
          : type === 'entity.parse.failed'
            ? 'the request body is not valid JSON'
            : type === 'encoding.unsupported' || type === 'charset.unsupported'
              ? 'the request body must be UTF-8 JSON'
              : 'the request was refused';
      fail(res, status, 'BadArgument', message);
      return;
    }
    const reference = randomId(6);
    logger.error({ err: error, reference }, 'web request failed');
    fail(res, 500, 'InternalError', `something went wrong on our side (reference ${reference})`);
  };
}
