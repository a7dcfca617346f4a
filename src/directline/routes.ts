import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ActivityTypes } from 'botbuilder';
import type { Logger } from 'pino';
import type { DirectLineAdapter } from './adapter.js';
import type { ConversationStore } from './conversations.js';
import { LOCALE, buildUserActivity, parseClientActivity } from './incoming.js';
import { randomId, type TokenClaims, type TokenService } from './tokens.js';

/**
 * The Direct Line 3.0 subset Web Chat's stock client needs in polling mode (no WebSocket: streamUrl is omitted,
 * and the client then polls). Paths and status codes follow Azure Direct Line, because the client interprets
 * them: 403 means "token expired, keep trying", 404 means "conversation ended", 401 and other 4xx end the chat.
 */

export interface DirectLineDeps {
  adapter: DirectLineAdapter;
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
  const reissueForRunningConversation: RequestHandler = (_req, res, next) => {
    const claims = res.locals.claims as TokenClaims;
    if (!deps.store.get(claims.conversationId)) {
      fail(res, 404, 'NotFound', 'the conversation has ended or expired');
      return;
    }
    deps.tokens.issue(claims).then(({ token, expiresIn }) => {
      json(res, 200, { conversationId: claims.conversationId, token, expires_in: expiresIn });
    }, next);
  };

  router.post('/tokens/refresh', requireToken, reissueForRunningConversation);

  // Not rate-limited again: each token (limited where it is issued) opens at most one conversation.
  router.post('/conversations', requireToken, body, (req, res, next) => {
    const claims = res.locals.claims as TokenClaims;
    const existing = deps.store.get(claims.conversationId);
    if (existing) {
      // Same token twice: the conversation is already running, answer as a reconnect would.
      deps.tokens.issue(claims).then(({ token, expiresIn }) => {
        json(res, 200, { conversationId: existing.id, token, expires_in: expiresIn });
      }, next);
      return;
    }
    const conversation = deps.store.create(claims.conversationId, claims.userId);
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
      type: ActivityTypes.ConversationUpdate,
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
    deps.adapter
      .processActivity(conversation, update)
      .then(() => deps.tokens.issue(claims))
      .then(({ token, expiresIn }) => {
        json(res, 201, { conversationId: conversation.id, token, expires_in: expiresIn });
      }, next);
  });

  // Reconnect (the client resumes a conversation it already has the id of).
  router.get('/conversations/:id', requireToken, requireOwnConversation, reissueForRunningConversation);

  router.get('/conversations/:id/activities', requireToken, requireOwnConversation, (req, res) => {
    const conversation = deps.store.get(req.params.id as string);
    if (!conversation) {
      fail(res, 404, 'NotFound', 'the conversation has ended or expired');
      return;
    }
    const raw = req.query.watermark;
    if (raw !== undefined && (typeof raw !== 'string' || !/^\d{0,15}$/.test(raw))) {
      fail(res, 400, 'BadArgument', 'watermark must be the number the previous answer gave');
      return;
    }
    deps.store.touch(conversation);
    const { activities, watermark } = deps.store.since(conversation, raw ? Number(raw) : 0);
    res.set('Cache-Control', 'no-store');
    json(res, 200, { activities, watermark: String(watermark) });
  });

  router.post(
    '/conversations/:id/activities',
    requireToken,
    requireOwnConversation,
    deps.messageLimiter,
    body,
    (req, res, next) => {
      const claims = res.locals.claims as TokenClaims;
      const conversation = deps.store.get(claims.conversationId);
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
      const stored = deps.store.append(conversation, activity);
      deps.adapter.processActivity(conversation, JSON.parse(JSON.stringify(stored))).then(() => {
        json(res, 200, { id: stored.id });
      }, next);
    },
  );

  router.post('/conversations/:id/upload', requireToken, requireOwnConversation, (_req, res) => {
    fail(res, 415, 'UnsupportedMediaType', 'this chat does not accept files');
  });

  return router;
}

/** Turns body-parser and unexpected errors into JSON; bad input stays 4xx, and no stack reaches a client. */
export function jsonErrors(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
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
