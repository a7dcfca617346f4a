import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { MessagesChannel } from '../bot/edge.js';
import type { Logger } from '../logger.js';
import { messagesRoute } from './messagesRoute.js';
import { bodyTimeout } from './timeouts.js';

export interface AppDeps {
  /** /api/messages on the SDK chosen by BOT_SDK. */
  channel: MessagesChannel;
  logger: Logger;
  appId: string | undefined;
  ownOrigins: readonly string[];
  maxBodyBytes: number;
  /** A request body must have arrived this long after its headers (408 otherwise). */
  bodyTimeoutMs: number;
  /** Number of reverse proxies whose X-Forwarded-For to trust (0: none). */
  trustProxyHops?: number;
  isReady: () => boolean;
  /** Security headers, applied to every response first. */
  security?: RequestHandler;
  /** Web Chat, Direct Line, widget and demo pages. */
  web?: Router;
  /** GET /metrics (Prometheus), when metrics are on. */
  metrics?: RequestHandler;
  /** The staff console, mounted at /admin (src/admin). */
  admin?: Router;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxyHops) app.set('trust proxy', deps.trustProxyHops);
  if (deps.security) app.use(deps.security);
  app.use(bodyTimeout(deps.bodyTimeoutMs, slowBody));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (deps.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready' });
  });

  app.post(
    '/api/messages',
    requireJson,
    // Not strict: `null` or `"hi"` is valid JSON, so checkActivity should say "must be a JSON object", not "not valid JSON".
    express.json({ limit: deps.maxBodyBytes, type: 'application/json', strict: false }),
    messagesRoute(deps),
  );
  app.all('/api/messages', (_req, res) => {
    res.status(405).json({ error: 'use POST' });
  });

  if (deps.metrics) app.get('/metrics', deps.metrics);
  // Before the web channels: the console has its own headers and sign-in limits, not the widget's.
  if (deps.admin) app.use('/admin', deps.admin);
  if (deps.web) app.use(deps.web);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** The 408 for a body that did not arrive in time, in the error shape of the route it was sent to. */
function slowBody(req: IncomingMessage, res: ServerResponse): void {
  const message = 'the request body did not arrive in time';
  const body = (req.url ?? '').startsWith('/api/messages') ? { error: message } : { error: { code: 'RequestTimeout', message } };
  res.statusCode = 408;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

const requireJson: RequestHandler = (req, res, next) => {
  // req.is() is null for a request without a body, which would blame the content type; and body-parser reads an
  // empty body as {} ("type is required"). Both are a body that is missing, so say that.
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0)) {
    res.status(400).json({ error: 'the request body is empty; it must be a JSON object (a Bot Framework activity)' });
    return;
  }
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'Content-Type must be application/json' });
    return;
  }
  next();
};

/** Parser errors are the client's (4xx with a short reason); anything else is logged and answered without detail. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err: { message: err?.message, stack: err?.stack } }, 'request failed');
    if (res.headersSent) return;
    const message =
      err?.type === 'entity.too.large' ? 'request body too large' : err?.type === 'entity.parse.failed' ? 'request body is not valid JSON' : status === 500 ? 'internal error' : 'bad request';
    res.status(status).json({ error: message });
  };
}
