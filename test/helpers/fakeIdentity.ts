import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import nock from 'nock';

// Importing nock switches its interception on for the whole process; it stays off until a test asks for it.
nock.restore();

/** The Bot Framework channel service's token issuer (what Azure Bot Service signs requests to a bot with). */
const CHANNEL_ISSUER = 'https://api.botframework.com';
const KID = 'fake-channel-key';
/** The Entra ID tenant of botframework.com, which issues the Emulator's tokens. */
const BOT_FRAMEWORK_TENANT = 'd6d49420-f39b-4df7-a1dc-d59a935871db';

export interface OutboundTokens {
  /** Token requests the fake Entra ID token endpoint received (client id of each). */
  readonly requests: string[];
  /** The access token the endpoint hands out; replies must carry it as `Authorization: Bearer …`. */
  readonly token: string;
}

/**
 * The two Microsoft identity services a bot with an app id talks to, faked in this process with nock: the Bot
 * Framework's OpenID metadata and signing keys (to verify the token on an incoming request; both SDKs fetch them
 * from login.botframework.com), and Entra ID's token endpoint (login.microsoftonline.com), where the bot gets the
 * token for its replies. `tokenDelayMs` makes that endpoint slow; `refuseSecret` makes it refuse the app's secret. Everything else (the server under test, the fake
 * connector on loopback) goes to the network as usual.
 */
export class FakeIdentity {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly jwk: JWK,
  ) {}

  static async create(): Promise<FakeIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new FakeIdentity(privateKey, await exportJWK(publicKey));
  }

  /** Starts intercepting; `stop()` ends it. */
  start(options: { tokenDelayMs?: number; refuseSecret?: boolean } = {}): OutboundTokens {
    if (!nock.isActive()) nock.activate();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/);
    const keys = { keys: [{ ...this.jwk, kid: KID, use: 'sig', alg: 'RS256', endorsements: ['msteams', 'emulator', 'webchat', 'directline'] }] };
    nock('https://login.botframework.com')
      .persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: CHANNEL_ISSUER, jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] })
      .get('/v1/.well-known/keys')
      .reply(200, keys);

    const requests: string[] = [];
    const token = `outbound-${Math.random().toString(36).slice(2)}`;
    const entra = 'https://login.microsoftonline.com';
    nock(entra)
      .persist()
      // MSAL's instance discovery and the tenant's OpenID configuration, before the first token.
      .get(/\/discovery\/instance/)
      .query(true)
      .reply(200, (uri) => {
        const authority = new URL(uri, entra).searchParams.get('authorization_endpoint') ?? `${entra}/common/oauth2/v2.0/authorize`;
        return { tenant_discovery_endpoint: authority.replace(/oauth2\/v2\.0\/authorize$/, 'v2.0/.well-known/openid-configuration'), metadata: [] };
      })
      .get(/\/v2\.0\/\.well-known\/openid-configuration$/)
      .reply(200, (uri) => {
        const tenant = uri.split('/')[1];
        return {
          issuer: `${entra}/${tenant}/v2.0`,
          authorization_endpoint: `${entra}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${entra}/${tenant}/oauth2/v2.0/token`,
          end_session_endpoint: `${entra}/${tenant}/oauth2/v2.0/logout`,
          jwks_uri: `${entra}/${tenant}/discovery/v2.0/keys`,
        };
      })
      // Entra ID's signing keys (the Emulator's tokens are Entra ID tokens); the same fake key.
      .get(/\/discovery\/v2\.0\/keys$/)
      .reply(200, keys)
      .get(/\/discovery\/keys$/)
      .reply(200, keys)
      .post(/\/oauth2\/v2\.0\/token/)
      .query(true)
      .delay(options.tokenDelayMs ?? 0)
      .reply((_uri, body) => {
        requests.push(new URLSearchParams(String(body)).get('client_id') ?? '');
        // What Entra ID answers a wrong client secret with.
        if (options.refuseSecret) return [401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }];
        return [200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: token }];
      });
    return { requests, token };
  }

  stop(): void {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  }

  /**
   * The token the Bot Framework Emulator puts on its requests when given the bot's app id and password: an Entra ID
   * token for the app itself, from the botframework.com tenant, in either token version.
   */
  emulatorToken(appId: string, version: '1.0' | '2.0'): Promise<string> {
    const claims = version === '1.0' ? { ver: '1.0', appid: appId, tid: BOT_FRAMEWORK_TENANT } : { ver: '2.0', azp: appId, tid: BOT_FRAMEWORK_TENANT };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(version === '1.0' ? `https://sts.windows.net/${BOT_FRAMEWORK_TENANT}/` : `https://login.microsoftonline.com/${BOT_FRAMEWORK_TENANT}/v2.0`)
      .setAudience(appId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(this.privateKey);
  }

  /** The token Azure Bot Service would put on a request to the bot `appId`, for activities from `serviceUrl`. */
  channelToken(appId: string, serviceUrl: string): Promise<string> {
    return new SignJWT({ serviceurl: serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(CHANNEL_ISSUER)
      .setAudience(appId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(this.privateKey);
  }
}
