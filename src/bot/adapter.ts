import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/contract.js';
import { boundedDelivery, deliveryOutcome } from './delivery.js';

/** The Bot Framework adapter for /api/messages, configured from our validated config (not from process.env). */
export function createCloudAdapter(config: CoreConfig, logger: Logger, emergencyNumber?: string): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(logger, emergencyNumber);
  // Replies to the channel: one deadline per turn, short retries, and a reply that did not get through recorded.
  adapter.use(boundedDelivery({ timeoutMs: config.REPLY_DELIVERY_TIMEOUT_MS }, logger, adapter.ConnectorClientKey));
  return adapter;
}

/**
 * Log the error with a reference, and tell the patient something went wrong — never a stack trace. When the store
 * is unreachable (the database is down) the bot cannot remember the conversation: the patient is asked to try
 * again shortly, and told where to turn in an emergency, since the bot cannot triage for the moment.
 */
export function turnErrorHandler(logger: Logger, emergencyNumber?: string) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const ref = randomUUID().slice(0, 8);
    const unavailable = error instanceof StoreUnavailableError;
    if (unavailable) logger.warn({ ref, err: error.message, conversationId: context.activity.conversation?.id }, 'turn refused: store unavailable');
    else logger.error({ ref, err: { message: error.message, stack: error.stack }, conversationId: context.activity.conversation?.id }, 'turn failed');
    try {
      await context.sendActivity(
        unavailable
          ? `Sorry, I can't answer right now because of a short technical problem. Please try again in a few minutes.${emergencyNumber ? ` If this is an emergency, call ${emergencyNumber} now.` : ''}`
          : `Sorry, something went wrong on our side (reference ${ref}). Please try again, or contact the clinic.`,
      );
    } catch (sendError) {
      const outcome = deliveryOutcome(context);
      if (outcome) outcome.failed = true;
      logger.error({ ref, err: (sendError as Error).message }, 'could not send the apology');
    }
  };
}
