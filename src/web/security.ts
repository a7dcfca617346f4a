import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for every response of the app (the lead mounts this first, in front of all routes).
 *
 * Content-Security-Policy, measured against Web Chat 4.18 in Chromium (see docs/CHANNELS.md):
 * - scripts only from our origin: the Web Chat bundle, widget.js and the page scripts are files we serve;
 * - styles: Web Chat (emotion) injects <style> elements and accepts a nonce for them, so pages get a fresh
 *   nonce per response instead of 'unsafe-inline'. One library inside Web Chat 4.18 (react-scroll-to-bottom)
 *   ignores the nonce and inserts an EMPTY <style>, then fills it through CSSOM insertRule, which CSP does not
 *   police. Allowing the hash of the empty string lets exactly that element through: without it the transcript
 *   loses its scrolling styles. An empty style element carries nothing an attacker could use.
 * - frame-ancestors: the chat page (/embed) may be framed by our own pages and ALLOWED_EMBED_ORIGINS;
 *   every other page only by our own origin.
 */

/** Paths other sites may put in an iframe: the chat page used by the widget and by patient portals. */
export const EMBEDDABLE_PATHS = new Set(['/embed']);
/** Paths other sites may load as a subresource (the widget's script tag on a clinic's page). */
export const CROSS_ORIGIN_PATHS = new Set(['/widget.js']);

export interface SecurityOptions {
  allowedEmbedOrigins: readonly string[];
  /** Extra connect-src sources (Azure Direct Line when configured). */
  connectSources: readonly string[];
  /** Only when served over https: on plain-http localhost the upgrade would break every subresource. */
  upgradeInsecureRequests: boolean;
}

/** sha256 of the empty string: lets an empty <style> element through (see above), nothing else. */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

type Res = ServerResponse & { locals: Record<string, unknown> };

export function cspNonce(res: { locals: Record<string, unknown> }): string {
  return String(res.locals.cspNonce ?? '');
}

export function createSecurity(options: SecurityOptions): RequestHandler {
  const nonceSource = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${cspNonce(res as Res)}'`;

  const directives = (frameAncestors: string[]) => ({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", nonceSource, EMPTY_STYLE_HASH],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...options.connectSources],
    frameSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors,
    ...(options.upgradeInsecureRequests ? { upgradeInsecureRequests: [] } : {}),
  });

  const common = {
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
  };

  const standard = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: directives(["'self'"]) },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'sameorigin' },
  });
  const embeddable = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: directives(["'self'", ...options.allowedEmbedOrigins]) },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // X-Frame-Options cannot list several origins; frame-ancestors above says who may frame this page.
    xFrameOptions: false,
  });
  const crossOrigin = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: directives(["'none'"]) },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    xFrameOptions: { action: 'deny' },
  });

  return (req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    // Web Chat's microphone and camera features are off; the pages never need these.
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    const handler = EMBEDDABLE_PATHS.has(req.path) ? embeddable : CROSS_ORIGIN_PATHS.has(req.path) ? crossOrigin : standard;
    handler(req, res, next);
  };
}
