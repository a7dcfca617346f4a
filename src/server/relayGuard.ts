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
  return isLoopbackHost(url.hostname);
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}
