import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

/**
 * How long a client may take to send its request. Node waits 300 s for a whole request by default, so a client
 * announcing a 5 MB body and sending ten bytes held a connection (and its socket, and its buffers) for five
 * minutes; a few hundred such clients exhaust the process. Every request the bot serves is small and quick (a chat
 * message, a Direct Line poll: the built-in Direct Line answers each poll at once, it has no long-polling), so the
 * limits can be seconds.
 */
export interface RequestTimeouts {
  /** The request line and headers (Node's headersTimeout): past it Node answers 408 and closes. */
  headersMs: number;
  /** The body, counted from the end of the headers: past it the bot answers 408 and closes. */
  bodyMs: number;
  /** Headers and body together (Node's requestTimeout): past it Node answers 408 and closes. */
  requestMs: number;
}

/** Node checks its header and request timers on this interval (default 30 s, which would blur a 10 s limit). */
const CHECK_EVERY_MS = 1000;

export function createHttpServer(app: RequestListener, timeouts: RequestTimeouts): Server {
  return createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(CHECK_EVERY_MS, timeouts.headersMs),
    },
    app,
  );
}

/**
 * Cuts a request whose body has not fully arrived `ms` after its headers: a 408 with the caller's error shape when
 * nothing has been answered yet, then the connection is closed (the rest of the body is not worth waiting for).
 */
export function bodyTimeout(ms: number, answer: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.complete || !announcesBody(req)) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      answer(req, res);
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    res.once('close', clear);
    next();
  };
}

function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
