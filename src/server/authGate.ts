import { decodeJwt, decodeProtectedHeader } from 'jose';

/**
 * Issuers of tokens that Azure Bot Service (and the Emulator) put on requests to a bot. botbuilder checks the
 * signature itself; this gate only turns away tokens that cannot possibly be valid before botbuilder goes to
 * the network for signing keys, so a forged token costs us nothing and is answered 401, not 500.
 */
const TRUSTED_ISSUER = /^(https:\/\/api\.botframework\.com|https:\/\/sts\.windows\.net\/[0-9a-f-]+\/|https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+\/v2\.0|https:\/\/api\.botframework\.us)$/i;

export type GateResult = { ok: true } | { ok: false; reason: string };

export function precheckBotToken(authorization: string | undefined, appId: string, nowSeconds = Date.now() / 1000): GateResult {
  if (!authorization) return { ok: false, reason: 'missing Authorization header' };
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
  if (!match) return { ok: false, reason: 'Authorization is not a Bearer JWT' };
  const token = match[1]!;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') return { ok: false, reason: 'token is not signed the way Bot Framework signs' };
    const claims = decodeJwt(token);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(appId)) return { ok: false, reason: 'token audience is not this bot' };
    if (typeof claims.iss !== 'string' || !TRUSTED_ISSUER.test(claims.iss)) return { ok: false, reason: 'token issuer is not Bot Framework' };
    if (typeof claims.exp !== 'number' || claims.exp + 300 < nowSeconds) return { ok: false, reason: 'token expired' };
  } catch {
    return { ok: false, reason: 'token cannot be decoded' };
  }
  return { ok: true };
}
