import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Headers of every /admin response, set after (and over) the app-wide ones: the console is never framed by anyone
 * (frame-ancestors 'none', X-Frame-Options DENY), never cached (a shared computer's back button must not show the
 * inbox after sign-out), loads only its own scripts and styles, and sends nothing to other sites.
 */
const staffHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
});

export const staffHeaders: RequestHandler = (req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('Pragma', 'no-cache');
  staffHelmet(req, res, next);
};
