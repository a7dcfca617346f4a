import type { Request, RequestHandler, Response } from 'express';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { deliveryOutcome, type DeliveryOutcome } from '../bot/delivery.js';
import type { Logger } from '../logger.js';
import { checkActivity } from './activitySchema.js';
import { precheckBotToken } from './authGate.js';
import { isAllowedLocalServiceUrl, isFromThisMachine } from './relayGuard.js';

export interface MessagesRouteDeps {
  adapter: CloudAdapter;
  runTurn: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** With an app id, Bot Framework tokens are required; without one, replies may only go to loopback. */
  appId: string | undefined;
  /** Extra origins replies may go to in local mode (the server's own public address). */
  ownOrigins: readonly string[];
}

/**
 * POST /api/messages, after express.json(). Every refusal is a 4xx with a short JSON error, decided before
 * botbuilder runs and before any connection to the serviceUrl is attempted.
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
    } else if (!isFromThisMachine(req)) {
      deps.logger.warn({ channel: activity.channelId }, 'refused a caller from another machine (local mode, no app id)');
      res.status(403).json({ error: 'without MicrosoftAppId, /api/messages answers only this machine (the Bot Framework Emulator)' });
      return;
    } else if (!isAllowedLocalServiceUrl(activity.serviceUrl, deps.ownOrigins)) {
      deps.logger.warn({ serviceUrlHost: safeHost(activity.serviceUrl), channel: activity.channelId }, 'refused serviceUrl outside this machine (local mode, no app id)');
      res.status(403).json({ error: 'serviceUrl not allowed: without MicrosoftAppId, replies go only to this machine' });
      return;
    }

    // botbuilder answers 500 when it cannot verify a token (for instance, signing keys out of reach). Before the
    // bot has run that means "not authenticated", so we answer 401; after, onTurnError has already handled it.
    let botRan = false;
    // The turn context is revoked once the turn ends, so keep its delivery outcome (set by the adapter's middleware).
    let delivery: DeliveryOutcome | undefined;
    const captured = new CapturedResponse();
    await deps.adapter.process(req, captured, async (context) => {
      botRan = true;
      delivery = deliveryOutcome(context);
      await deps.runTurn(context);
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

/** The minimal response botbuilder writes to, so we can look at its answer before the client does. */
class CapturedResponse {
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
  header() {
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
