import { HttpError, type ConnectorClient, type Middleware, type ResourceResponse } from '@microsoft/agents-hosting';
import type { Logger } from '../../logger.js';
import { DELIVERY_OUTCOME, type DeliveryOutcome } from '../turn.js';

/**
 * Replies to the channel under one deadline per turn, on the Agents SDK (src/bot/delivery.ts is botbuilder's).
 * The Agents SDK's ConnectorClient sends with fetch, once, with no timeout: a channel that never answers holds the
 * turn, and with it the conversation, forever; a refused connection or a 503 is not tried again. Here a turn's
 * replies share one deadline (REPLY_DELIVERY_TIMEOUT_MS), a refused connection, a 5xx or a 429 is retried up to
 * three times with a short backoff within it, a 4xx is not; a reply that did not get through is logged and dropped,
 * so the turn still writes its records and the route answers 502.
 */

const RETRY = { maxRetries: 3, retryDelayInMs: 250, maxRetryDelayInMs: 1000 };

class DeliveryTimeout extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly last: string | undefined,
  ) {
    super(`the channel did not take the reply within ${timeoutMs} ms${last ? ` (last answer: ${last})` : ''}`);
    this.name = 'DeliveryTimeout';
  }
}

/**
 * Puts every request of one connector client (one turn's) under one deadline, with short retries. With `token`
 * (a bot with an app id), the token for the replies is fetched inside that deadline too, when the first reply goes
 * out, as botbuilder's client does when it signs a request (src/bot/delivery.ts): a slow token endpoint then costs
 * the turn its deadline, and the replies are dropped rather than sent unsigned. It also escapes the conversation id
 * in the reply URL, which the SDK's client writes raw: ids with "/", "?" or "#" (Direct Line and Teams ids can have
 * them) would otherwise reach the wrong URL; botbuilder escapes them.
 */
export function boundConnectorClient(client: ConnectorClient, timeoutMs: number, conversationId?: string, token?: () => Promise<string>): void {
  const http = client.httpClient;
  const send = http.request.bind(http);
  let deadline: number | undefined;
  let last: string | undefined;
  // One token fetch for the turn's replies (the SDK's token provider caches tokens across turns); a failed fetch is
  // tried again on the next attempt, as botbuilder signs each retry afresh.
  let pending: Promise<string> | undefined;
  const authorization = async (left: number): Promise<Record<string, string>> => {
    if (!token) return {};
    pending ??= token().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return { Authorization: `Bearer ${await beforeDeadline(pending, left, () => new DeliveryTimeout(timeoutMs, last))}` };
  };
  http.request = async (config) => {
    deadline ??= Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DeliveryTimeout(timeoutMs, last);
      try {
        const headers = { ...config.headers, ...(await authorization(left)) };
        return await send({ ...config, headers, url: escapedConversation(config.url, conversationId), signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      } catch (error) {
        if (error instanceof DeliveryTimeout) throw error;
        const name = (error as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new DeliveryTimeout(timeoutMs, last);
        const status = error instanceof HttpError ? error.status : undefined;
        last = status !== undefined ? `HTTP ${status}` : networkCode(error);
        const retryable = status === undefined || status >= 500 || status === 429;
        if (!retryable || attempt >= RETRY.maxRetries) throw error;
        const pause = Math.min(RETRY.retryDelayInMs * 2 ** attempt, RETRY.maxRetryDelayInMs, Math.max(0, deadline - Date.now()));
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  };
}

/** `promise`, or `expired()` thrown once `ms` have passed (the work behind the promise is left to finish). */
async function beforeDeadline<T>(promise: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(expired()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The turn's replies: a failure becomes a recorded outcome instead of an exception (the conversation goes on). */
export function recordedDelivery(timeoutMs: number, logger: Logger): Middleware {
  return {
    async onTurn(context, next) {
      const outcome: DeliveryOutcome = { failed: false };
      context.turnState.set(DELIVERY_OUTCOME, outcome);
      context.onSendActivities(async (_ctx, activities, sendNext) => {
        if (outcome.failed) return activities.map(dropped);
        try {
          return await sendNext();
        } catch (error) {
          const timedOut = error instanceof DeliveryTimeout;
          const reason = timedOut ? (error.last ?? 'no answer') : error instanceof HttpError ? `HTTP ${error.status}` : networkCode(error);
          outcome.failed = true;
          outcome.reason = reason;
          logger.error({ conversationId: context.activity.conversation?.id, channel: context.activity.channelId, reason, timedOut, timeoutMs }, 'reply not delivered');
          return activities.map(dropped);
        }
      });
      await next();
    },
  };
}

function escapedConversation(url: string, conversationId: string | undefined): string {
  if (!conversationId) return url;
  for (const prefix of ['v3/conversations/', '/v3/conversations/']) {
    if (url.startsWith(`${prefix}${conversationId}/`)) return `${prefix}${encodeURIComponent(conversationId)}${url.slice(prefix.length + conversationId.length)}`;
  }
  return url;
}

/** fetch's network errors carry the system code in `cause` ("ECONNREFUSED"). */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

function dropped(): ResourceResponse {
  return { id: '' };
}
