import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { boundedDelivery, deliveryOutcome } from './delivery.js';

/** The Bot Framework adapter for /api/messages, configured from our validated config (not from process.env). */
export function createCloudAdapter(config: CoreConfig, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(logger);
  // Replies to the channel: one deadline per turn, short retries, and a reply that did not get through recorded.
  adapter.use(boundedDelivery({ timeoutMs: config.REPLY_DELIVERY_TIMEOUT_MS }, logger, adapter.ConnectorClientKey));
  return adapter;
}

/** Log the error with a reference, and tell the patient something went wrong — never a stack trace. */
export function turnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const ref = randomUUID().slice(0, 8);
    logger.error({ ref, err: { message: error.message, stack: error.stack }, conversationId: context.activity.conversation?.id }, 'turn failed');
    try {
      await context.sendActivity(`Sorry, something went wrong on our side (reference ${ref}). Please try again, or contact the clinic.`);
    } catch (sendError) {
      const outcome = deliveryOutcome(context);
      if (outcome) outcome.failed = true;
      logger.error({ ref, err: (sendError as Error).message }, 'could not send the apology');
    }
  };
}
