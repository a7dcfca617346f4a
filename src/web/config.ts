import { z } from 'zod';
import { emptyAsUndefined, intIn } from '../config.js';

/**
 * Environment variables of the web channels (widget, portal embed, Direct Line). The lead's config module merges
 * this schema into the app's, so every default lives here and a wrong value stops start-up naming the variable.
 */

const textUpTo = (max: number, fallback: string) =>
  z.preprocess(emptyAsUndefined, z.string().trim().min(1).max(max).default(fallback));

/** `https://portal.example.org` or `http://localhost:8080`: scheme, host and optional port, nothing else. */
export function parseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  if (url.pathname !== '/' || value.replace(/\/$/, '') !== url.origin) return undefined;
  return url.origin;
}

const originList = z.preprocess(
  (value) => (value === undefined ? '' : value),
  z.string().transform((raw, ctx) => {
    const origins: string[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const origin = parseOrigin(part);
      if (!origin) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not an origin such as https://portal.example.org (scheme and host, no path)` });
        return z.NEVER;
      }
      origins.push(origin);
    }
    return [...new Set(origins)];
  }),
);

const baseUrl = z.preprocess(
  emptyAsUndefined,
  z
    .url({ protocol: /^https?$/ })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
);

export const webConfigSchema = z.object({
  /** Public address of this server as patients reach it (behind a proxy, the https one). */
  PUBLIC_BASE_URL: baseUrl,
  /** Sites allowed to frame the chat (widget iframe, portal embed) and to call the Direct Line routes. */
  ALLOWED_EMBED_ORIGINS: originList,

  /** Azure Bot Service Direct Line secret. When set, the widget talks to Azure Direct Line, not our own. */
  DIRECT_LINE_SECRET: z.preprocess(emptyAsUndefined, z.string().trim().min(20, 'a Direct Line secret (Azure portal, Channels, Direct Line)').optional()),
  /** Azure Direct Line base URL; regional deployments use e.g. https://europe.directline.botframework.com/v3/directline. */
  DIRECT_LINE_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https$/ })
      .transform((value) => value.replace(/\/+$/, ''))
      .default('https://directline.botframework.com/v3/directline'),
  ),
  /** Key that signs our own Direct Line tokens. Unset: a random key per process (tokens die with the process). */
  DIRECT_LINE_TOKEN_KEY: z.preprocess(emptyAsUndefined, z.string().min(32, 'at least 32 characters of random text').optional()),
  /** Web Chat refreshes its token every 15 minutes, so a token must outlive that with a margin. */
  DIRECT_LINE_TOKEN_TTL_SECONDS: intIn(1200, 86400, 1800),
  DIRECT_LINE_CONVERSATION_IDLE_MINUTES: intIn(1, 1440, 60),
  DIRECT_LINE_MAX_CONVERSATIONS: intIn(1, 1_000_000, 5000),
  /**
   * Far above MAX_MESSAGE_CHARS on purpose: a long message must reach the bot, which reads it for red flags and then
   * asks for a shorter one. Refused here, a pasted story ending in "he can't breathe" got only "Send failed".
   */
  DIRECT_LINE_MAX_TEXT_CHARS: intIn(10, 100_000, 10_000),
  /** Room for the longest message above in any script (up to 4 bytes a character) plus the activity around it. */
  DIRECT_LINE_MAX_BODY_BYTES: intIn(1024, 1024 * 1024, 64 * 1024),
  /** Every widget, embed and Direct Line request, per client IP. Polling alone is 60 a minute per open chat. */
  RATE_LIMIT_REQUESTS_PER_MINUTE: intIn(1, 100_000, 600),
  /** New tokens / new conversations per client IP. */
  RATE_LIMIT_CONVERSATIONS_PER_MINUTE: intIn(1, 10_000, 20),
  /** Messages a single conversation (token) may post. */
  RATE_LIMIT_MESSAGES_PER_MINUTE: intIn(1, 10_000, 30),

  WIDGET_TITLE: textUpTo(60, 'Eczema questions'),
  WIDGET_PRIMARY_COLOR: z.preprocess(
    emptyAsUndefined,
    z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #0b5cad').default('#0b5cad'),
  ),
  WIDGET_POSITION: z.preprocess(emptyAsUndefined, z.enum(['right', 'left']).default('right')),
  WIDGET_GREETING: textUpTo(120, 'Questions about eczema? Ask here.'),
});

export type WebConfig = z.infer<typeof webConfigSchema>;
