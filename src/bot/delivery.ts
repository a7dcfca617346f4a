import { defaultRetryPolicy, RestError, type Pipeline, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Middleware, ResourceResponse } from 'botbuilder';
import type { Logger } from '../logger.js';
import { DELIVERY_OUTCOME, type DeliveryOutcome } from './turn.js';

export { DELIVERY_OUTCOME, deliveryOutcome, type DeliveryOutcome } from './turn.js';

/**
 * How replies reach a channel through botbuilder's ConnectorClient, bounded.
 *
 * Out of the box the client retries a refused connection, a 5xx or a 429 three times after about 1, 2 and 4 s (and
 * waits as long as a Retry-After asks), and an attempt the channel never answers waits forever. A turn holds its
 * conversation until its replies are out, so one failing connector held that conversation's later turns for
 * 7–13 s. Here every turn gets one deadline for all of its replies, retries included; once it passes the remaining
 * replies are dropped at once, the turn still finishes (its records are written, its log line too), and
 * /api/messages answers 502.
 */

export interface DeliveryOptions {
  /** Longest a turn may spend delivering its replies, from its first one, every retry included. */
  timeoutMs: number;
}

// Short backoff: within a few seconds a refused connection or a 503 gets three more tries.
export const RETRY = { maxRetries: 3, retryDelayInMs: 250, maxRetryDelayInMs: 1000 };

/** The policy names of @azure/core-rest-pipeline and botbuilder-stdlib that we take out or place ourselves before. */
const DEFAULT_RETRY_POLICY = 'defaultRetryPolicy';
const SIGN_POLICY = 'ServiceClientContext_Credentials_SignRequest';
const DEADLINE_POLICY = 'eczemaBotReplyDeadline';

/**
 * A middleware for the CloudAdapter: bounds the turn's ConnectorClient and turns a reply the channel did not take
 * into a recorded outcome instead of an exception, so the conversation logic goes on to write its records.
 */
export function boundedDelivery(options: DeliveryOptions, logger: Logger, connectorClientKey: symbol): Middleware {
  return {
    async onTurn(context, next) {
      const outcome: DeliveryOutcome = { failed: false };
      context.turnState.set(DELIVERY_OUTCOME, outcome);
      const client: unknown = context.turnState.get(connectorClientKey);
      // expectReplies and invoke answers travel in the HTTP response: no client, nothing to bound.
      if (client) boundPipeline(connectorPipeline(client), options.timeoutMs);

      context.onSendActivities(async (_ctx, activities, sendNext) => {
        if (outcome.failed) return activities.map(dropped);
        try {
          return await sendNext();
        } catch (error) {
          const { reason, timedOut } = failure(error);
          outcome.failed = true;
          outcome.reason = reason;
          logger.error(
            { conversationId: context.activity.conversation?.id, channel: context.activity.channelId, reason, timedOut, timeoutMs: options.timeoutMs },
            'reply not delivered',
          );
          return activities.map(dropped);
        }
      });
      await next();
    },
  };
}

/** Where botbuilder keeps the request pipeline of a ConnectorClient (a private field of botbuilder-stdlib's compat layer). */
function connectorPipeline(client: unknown): Pipeline {
  const pipeline = (client as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  // A botbuilder upgrade that moves it must fail loudly (the delivery tests catch it), not silently lose the bound.
  if (!pipeline || typeof pipeline.addPolicy !== 'function') throw new Error('botbuilder ConnectorClient has no request pipeline where expected');
  return pipeline;
}

const bounded = new WeakSet<Pipeline>();

/** Replaces the client's retry policy with a short one, and puts every request of the turn under one deadline. */
export function boundPipeline(pipeline: Pipeline, timeoutMs: number): void {
  if (bounded.has(pipeline)) return;
  bounded.add(pipeline);
  const turn: TurnDelivery = {};
  pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY });
  pipeline.addPolicy(defaultRetryPolicy(RETRY), { phase: 'Retry' });
  pipeline.addPolicy(attemptPolicy(turn), { afterPhase: 'Retry' });
  // Before signing, so a slow token fetch counts against the deadline too.
  const before = pipeline.getOrderedPolicies().some((p) => p.name === SIGN_POLICY) ? { beforePolicies: [SIGN_POLICY] } : {};
  pipeline.addPolicy(deadlinePolicy(timeoutMs, turn), before);
  pipeline.addPolicy(ipv6LiteralPolicy);
}

/** The turn's deadline passed; `last` is what the channel last answered, if anything. */
export class DeliveryTimeout extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly last: string | undefined,
  ) {
    super(`the channel did not take the reply within ${timeoutMs} ms${last ? ` (last answer: ${last})` : ''}`);
    this.name = 'DeliveryTimeout';
  }
}

interface TurnDelivery {
  deadline?: number;
  /** The last failed attempt, seen below the retry policy: "HTTP 503", "ECONNREFUSED". */
  last?: string;
}

function deadlinePolicy(timeoutMs: number, turn: TurnDelivery): PipelinePolicy {
  return {
    name: DEADLINE_POLICY,
    async sendRequest(request, next) {
      turn.deadline ??= Date.now() + timeoutMs;
      const left = turn.deadline - Date.now();
      if (left <= 0) throw new DeliveryTimeout(timeoutMs, turn.last);
      const timeout = AbortSignal.timeout(left);
      const own = request.abortSignal;
      request.abortSignal = own instanceof AbortSignal ? AbortSignal.any([own, timeout]) : timeout;
      // The signal stops the HTTP attempt and the retry backoff; the race also covers anything below that ignores it.
      let onAbort: (() => void) | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(new DeliveryTimeout(timeoutMs, turn.last));
        timeout.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([next(request), expired]);
      } finally {
        timeout.removeEventListener('abort', onAbort!);
      }
    },
  };
}

/** Below the retry policy: notes how each attempt failed, so a timeout can say what the channel kept answering. */
function attemptPolicy(turn: TurnDelivery): PipelinePolicy {
  return {
    name: 'eczemaBotReplyAttempt',
    async sendRequest(request, next) {
      try {
        const response = await next(request);
        if (response.status >= 400) turn.last = `HTTP ${response.status}`;
        return response;
      } catch (error) {
        turn.last = error instanceof RestError ? (error.code ?? error.message) : (error as Error).name;
        throw error;
      }
    },
  };
}

/**
 * The HTTP client connects to `url.hostname`, which WHATWG URL writes with brackets for IPv6 ("[::1]"), so it looked
 * "[::1]" up in DNS and failed (ENOTFOUND) while the relay guard allowed http://[::1]:port. The client lets a request
 * override its Node options: the bare address connects, and Node writes the Host header with brackets again.
 */
const ipv6LiteralPolicy: PipelinePolicy = {
  name: 'eczemaBotIpv6Literal',
  sendRequest(request, next) {
    const { hostname } = new URL(request.url);
    if (hostname.startsWith('[') && hostname.endsWith(']')) {
      request.requestOverrides = { ...request.requestOverrides, hostname: hostname.slice(1, -1) };
    }
    return next(request);
  },
};

/** For the log: what the channel answered ("HTTP 503", "ECONNREFUSED", "no answer"), and whether time ran out. */
export function failure(error: unknown): { reason: string; timedOut: boolean } {
  if (error instanceof DeliveryTimeout) return { reason: error.last ?? 'no answer', timedOut: true };
  if (error instanceof RestError) return { reason: error.statusCode ? `HTTP ${error.statusCode}` : (error.code ?? error.message), timedOut: false };
  if (error instanceof Error) return { reason: error.name === 'AbortError' ? 'no answer' : error.message, timedOut: error.name === 'AbortError' };
  return { reason: String(error), timedOut: false };
}

function dropped(): ResourceResponse {
  return { id: '' };
}
