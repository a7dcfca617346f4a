import type { Request, RequestHandler, Response } from 'express';
import type { MessagesChannel, ResponseSink } from '../bot/edge.js';
import { deliveryOutcome, type DeliveryOutcome } from '../bot/turn.js';
import type { Logger } from '../logger.js';
import { checkActivity } from './activitySchema.js';
import { precheckBotToken } from './authGate.js';
import { isAllowedLocalServiceUrl, isFromThisMachine } from './relayGuard.js';

export interface MessagesRouteDeps {
  /** The SDK edge's adapter and bot (botbuilder or the Agents SDK, chosen by BOT_SDK). */
  channel: MessagesChannel;
  logger: Logger;
  /** With an app id, Bot Framework tokens are required; without one, replies may only go to loopback. */
  appId: string | undefined;
  /** Extra origins replies may go to in local mode (the server's own public address). */
  ownOrigins: readonly string[];
}

/**
 * POST /api/messages, after express.json(). Every refusal is a 4xx with a short JSON error, decided before
 * the SDK runs and before any connection to the serviceUrl is attempted. The same on either SDK: with an app id, a
 * cheap claims check first, then the SDK's own verifier; without one, the relay guard.
 */
export function messagesRoute(deps: MessagesRouteDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      res.status(400).json({ error: checked.error });
      return;
    }
    const { activity } = checked;

    if (deps.appId) {
      const gate = precheckBotToken(req.headers.authorization, deps.appId);
      if (!gate.ok) {
        deps.logger.warn({ reason: gate.reason, channel: activity.channelId }, 'refused unauthenticated request');
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      if (!(await deps.channel.authenticate(req))) {
        deps.logger.warn({ reason: 'token not verified', channel: activity.channelId }, 'refused unauthenticated request');
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
    } else if (!isFromThisMachine(req)) {
      deps.logger.warn({ channel: activity.channelId }, 'refused a caller from another machine (local mode, no app id)');
      res.status(403).json({ error: 'without MicrosoftAppId, /api/messages answers only this machine (the Bot Framework Emulator)' });
      return;
    } else if (!isAllowedLocalServiceUrl(activity.serviceUrl, deps.ownOrigins)) {
      deps.logger.warn({ serviceUrlHost: safeHost(activity.serviceUrl), channel: activity.channelId }, 'refused serviceUrl outside this machine (local mode, no app id)');
      res.status(403).json({ error: 'serviceUrl not allowed: without MicrosoftAppId, replies go only to this machine' });
      return;
    }

    // The SDK answers 500 when it cannot verify a token (for instance, signing keys out of reach). Before the
    // bot has run that means "not authenticated", so we answer 401; after, onTurnError has already handled it.
    let botRan = false;
    // The turn context is revoked once the turn ends, so keep its delivery outcome (set by the adapter's middleware).
    let delivery: DeliveryOutcome | undefined;
    const captured = new CapturedResponse();
    await deps.channel.process(req, captured, (turn) => {
      botRan = true;
      delivery = deliveryOutcome(turn);

    });
    if (captured.statusCode >= 500 && !botRan) {
      deps.logger.warn({ status: captured.statusCode }, 'bot token could not be verified');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    if (captured.statusCode === 500 || delivery?.failed) {
      // The turn ran (and was recorded) but its replies did not reach the channel within the delivery deadline.
      res.status(502).json({ error: 'the reply could not be delivered' });
      return;
    }
    res.status(captured.statusCode);
    if (captured.body !== undefined) res.send(captured.body);
    else res.end();
  };
}

/**
 * The minimal response an SDK writes to, so we can look at its answer before the client does (botbuilder calls
 * status/send/end; the Agents SDK also reads writableEnded and headersSent, and sets a content type).
 */
class CapturedResponse implements ResponseSink {
  socket: unknown = null;
  statusCode = 200;
  body: unknown;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  send(body: unknown) {
    this.body = body;
    return this;
  }
  writableEnded = false;
  headersSent = false;
  header() {
    return this;
  }
  setHeader() {
    return this;
  }
  end() {
    return this;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(unparseable)';
  }
}
