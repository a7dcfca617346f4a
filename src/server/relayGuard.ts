import { isIP } from 'node:net';

/**
 * Without a Microsoft app id nobody is authenticated, so the bot would POST its replies to whatever serviceUrl
 * a request names: an open relay. In that mode replies may only go to this machine (an Emulator, a test
 * connector) or to origins the operator listed (the server's own public address).
 */
export function isAllowedLocalServiceUrl(serviceUrl: string, extraOrigins: readonly string[] = []): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (extraOrigins.includes(url.origin)) return true;
  // A connector lives at the root of its origin (the Emulator's serviceUrl is http://localhost:PORT). Refusing
  // paths, queries and credentials keeps an anonymous caller from steering replies into another local service's
  // API (http://127.0.0.1:8080/admin/...?).
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return false;
  return isLoopbackHost(url.hostname);
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  // WHATWG URL writes IPv6 in its shortest form: ::1, and IPv4-mapped 127.x.y.z as ::ffff:7fxx:yyzz.
  if (isIP(host) === 6) return host === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  return false;
}

/**
 * Whether a request comes from this machine. In local mode /api/messages is for the Bot Framework Emulator beside
 * the bot: anyone else could chat through it without the widget's rate limits, and ask for the replies in the
 * response ("expectReplies") so no serviceUrl is needed. A proxy on this machine makes every caller look local, so
 * a forwarded request never counts; without a forwarding header the connection's own address is the caller's
 * (TRUST_PROXY_HOPS has nothing to read), so that is the one to check.
 */
export function isFromThisMachine(request: { socket: { remoteAddress?: string }; headers: Record<string, unknown> }): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  const address = request.socket.remoteAddress;
  return address !== undefined && isLoopbackHost(address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''));
}
