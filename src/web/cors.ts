import type { Request, RequestHandler } from 'express';

/**
 * CORS for the Direct Line and token routes. Our own pages call them same-origin; a portal that runs Web Chat
 * on its own origin may call them when listed in ALLOWED_EMBED_ORIGINS. A request from any other origin is
 * refused outright (403), not merely left without CORS headers, so no bot turn runs for it.
 */

const ALLOWED_HEADERS = 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with';

/** Same origin when the Origin's host is the host this request was sent to, or our public base URL. */
function isOwnOrigin(req: Request, origin: string, publicOrigin: string | undefined): boolean {
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    // Compare hosts, not schemes: behind a TLS-terminating proxy req.protocol may say http for an https page.
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export function createCors(options: { allowedOrigins: readonly string[]; publicOrigin?: string }): RequestHandler {
  const allowed = new Set(options.allowedOrigins);
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (!origin || isOwnOrigin(req, origin, options.publicOrigin)) {
      next();
      return;
    }
    if (!allowed.has(origin)) {
      res.status(403).json({ error: { code: 'Forbidden', message: 'this origin may not use the chat' } });
      return;
    }
    res.set('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
