import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';

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
  return adapter;
}

/**
 * A callback a turn may carry, called when its replies could not reach the channel at all, so /api/messages can
 * answer 502 (the turn context itself is revoked by the time the route looks).
 */
export const ON_DELIVERY_FAILED = Symbol('onDeliveryFailed');

/** Log the error with a reference, and tell the patient something went wrong — never a stack trace. */
export function turnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const ref = randomUUID().slice(0, 8);
    logger.error({ ref, err: { message: error.message, stack: error.stack }, conversationId: context.activity.conversation?.id }, 'turn failed');
    try {
      await context.sendActivity(`Sorry, something went wrong on our side (reference ${ref}). Please try again, or contact the clinic.`);
    } catch (sendError) {
      (context.turnState.get(ON_DELIVERY_FAILED) as (() => void) | undefined)?.();
      logger.error({ ref, err: (sendError as Error).message }, 'could not send the apology');
    }
  };
}
