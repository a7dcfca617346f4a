import type { Request } from 'express';
import { AuthType, CloudAdapter, type AuthConfiguration, type ConnectorClient, type HeaderPropagationCollection, type TurnContext } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import type { CoreConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { turnErrorHandler } from '../turnError.js';
import { boundConnectorClient, recordedDelivery } from './delivery.js';

/** The scope of a reply's token to the Bot Framework channels (the SDK's own default, for tokens without azp/appid). */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

type Identity = Parameters<CloudAdapter['continueConversation']>[0] & object;

/**
 * The Agents SDK's connection settings from our validated configuration (never from process.env directly, so
 * what start-up validated is what runs): the Azure Bot's app registration as one connection, used for every
 * serviceUrl. The Azure Bot resource is the same for either SDK; only these names differ (docs/SDK.md).
 */
export function agentsAuthConfig(config: CoreConfig): AuthConfiguration {
  const settings: AuthConfiguration = {
    clientId: config.MicrosoftAppId,
    clientSecret: config.MicrosoftAppType === 'UserAssignedMSI' ? undefined : config.MicrosoftAppPassword,
    // MultiTenant apps get their tokens from the botframework.com tenant, which is the SDK's default.
    tenantId: config.MicrosoftAppType === 'MultiTenant' ? undefined : config.MicrosoftAppTenantId,
    authType: config.MicrosoftAppType === 'UserAssignedMSI' ? AuthType.UserManagedIdentity : AuthType.ClientSecret,
  };
  return { ...settings, connections: new Map([['ServiceConnection', settings]]), connectionsMap: [{ serviceUrl: '*', connection: 'ServiceConnection' }] };
}

/**
 * The Agents SDK's CloudAdapter for /api/messages, with the same apology on a failed turn as botbuilder's, and the
 * turn's replies bounded (./delivery.ts).
 */
export class EczemaCloudAdapter extends CloudAdapter {
  constructor(
    config: CoreConfig,
    logger: Logger,
    private readonly deliveryTimeoutMs: number,
  ) {
    super(agentsAuthConfig(config));
    this.onTurnError = turnErrorHandler(logger, config.EMERGENCY_NUMBER);
    this.use(recordedDelivery(deliveryTimeoutMs, logger));
  }

  /**
   * The turn's connector client, its requests under the reply deadline (./delivery.ts). The SDK fetches the token
   * for the replies here, before the turn runs and outside any deadline: a slow token endpoint held the turn, and
   * its conversation, for as long as it took, and a failing one failed the request before the turn was recorded.
   * botbuilder fetches it when the first reply is signed, under the deadline. So here the client is made the SDK's
   * anonymous way (every check on the serviceUrl still runs) and the token is fetched by the bounded client, with
   * the provider and scope the SDK itself would use. Agentic requests keep the SDK's own path.
   */
  protected override async createConnectorClientWithIdentity(identity: Identity, activity: Activity, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    const scope = identity?.aud && !activity.isAgenticRequest() ? (identity.azp ?? identity.appid ?? BOT_FRAMEWORK_SCOPE) : undefined;
    if (scope === undefined) {
      const client = await super.createConnectorClientWithIdentity(identity, activity, headers);
      boundConnectorClient(client, this.deliveryTimeoutMs, activity.conversation?.id);
      return client;
    }
    const provider = this.connectionManager.getTokenProviderFromActivity(identity, activity);
    const client = await super.createConnectorClientWithIdentity({ ...identity, aud: undefined }, activity, headers);
    boundConnectorClient(client, this.deliveryTimeoutMs, activity.conversation?.id, () => provider.getAccessToken(scope));
    return client;
  }

  /**
   * The Agents SDK's own JWT middleware (authorizeJWT: signature against the issuer's published keys, audience,
   * issuer, expiry, tenant): true when it let the request through (it then put the token's claims on `req.user`,
   * which `process` uses to reply under the bot's identity).
   */
  async verify(req: Request): Promise<boolean> {
    let passed = false;
    const refused = new RefusalSink();
    await this.authorizeRequest(req, refused, () => {
      passed = true;
    });
    return passed && !refused.written;
  }
}

/** Where the JWT middleware writes its 401; the route answers in its own shape instead. */
class RefusalSink {
  written = false;
  headersSent = false;
  writableEnded = false;
  status() {
    this.written = true;
    return this;
  }
  setHeader() {
    return this;
  }
  send() {
    return this;
  }
  end() {
    return this;
  }
}

export type { TurnContext };
