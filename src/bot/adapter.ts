import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { boundedDelivery } from './delivery.js';
import { turnErrorHandler } from './turnError.js';

export { turnErrorHandler } from './turnError.js';

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

