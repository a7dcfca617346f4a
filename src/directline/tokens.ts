import { randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

/**
 * Tokens of our own Direct Line: an HS256 JWT bound to one conversation and one server-chosen user id.
 * Web Chat reads the `user` claim to know which messages are the patient's own, so that claim name is fixed.
 */

const ISSUER = 'eczema-faq-bot/directline';
const AUDIENCE = 'webchat';

export interface TokenClaims {
  conversationId: string;
  userId: string;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims; expiresAt: number }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface TokenService {
  issue(claims: TokenClaims): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<VerifyResult>;
}

export function createTokenService(options: { key?: string; ttlSeconds: number; now?: () => number }): TokenService {
  // A per-process random key is safe on one instance with conversations in memory (they end with the process
  // anyway); with several instances on PostgreSQL start-up requires DIRECT_LINE_TOKEN_KEY (src/server/instances.ts).
  const secret = options.key ? new TextEncoder().encode(options.key) : randomBytes(32);
  const now = options.now ?? Date.now;

  return {
    async issue({ conversationId, userId }) {
      const issuedAt = Math.floor(now() / 1000);
      const token = await new SignJWT({ conv: conversationId, user: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .sign(secret);
      return { token, expiresIn: options.ttlSeconds };
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: new Date(now()),
        });
        if (typeof payload.conv !== 'string' || typeof payload.user !== 'string' || typeof payload.exp !== 'number') {
          return { ok: false, reason: 'invalid' };
        }
        return { ok: true, claims: { conversationId: payload.conv, userId: payload.user }, expiresAt: payload.exp * 1000 };
      } catch (error) {
        if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}

/** Random ids a client cannot guess; base64url so they travel in URLs unescaped. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
