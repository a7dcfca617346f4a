import { expect } from 'chai';
import { ConfigError, loadCoreConfig } from '../src/config.js';

describe('configuration', () => {
  it('starts with no environment at all: local defaults', () => {
    const config = loadCoreConfig({});
    expect(config.PORT).to.equal(3978);
    expect(config.EMERGENCY_NUMBER).to.equal('911');
    expect(config.MicrosoftAppId).to.equal(undefined);
    expect(config.DB_FILE).to.match(/var[/\\]db\.json$/);
    // Seconds, not Node's 300 s, for a client to send its request; a few seconds for the channel to take the replies.
    expect([config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_BODY_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS]).to.deep.equal([10000, 10000, 15000]);
    expect(config.REPLY_DELIVERY_TIMEOUT_MS).to.equal(4000);
  });

  it('treats empty values as unset (an .env copied from .env.example)', () => {
    expect(loadCoreConfig({ MicrosoftAppId: '', PORT: '' }).PORT).to.equal(3978);
  });

  const wrong: Array<[Record<string, string>, string, RegExp]> = [
    [{ PORT: 'abc' }, 'PORT', /number/],
    [{ PORT: '70000' }, 'PORT', /at most 65535/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
    [{ MicrosoftAppId: 'my-bot' }, 'MicrosoftAppId', /GUID/],
    [{ MicrosoftAppType: 'Tenant' }, 'MicrosoftAppType', /MultiTenant/],
    [{ MicrosoftAppId: '5f0c6b1e-2f7a-4a43-9d55-1c6a8f3e0b11' }, 'MicrosoftAppPassword', /must be set/],
    [{ CLINIC_BOOKING_URL: 'clinic dot org' }, 'CLINIC_BOOKING_URL', /url/],
    [{ CLINIC_PHONE: 'call us' }, 'CLINIC_PHONE', /phone/],
    [{ CLINIC_EMAIL: 'info at clinic' }, 'CLINIC_EMAIL', /email address/],
    [{ CLINIC_ADDRESS: 'x'.repeat(201) }, 'CLINIC_ADDRESS', /at most 200/],
    [{ EMERGENCY_NUMBER: 'ambulance' }, 'EMERGENCY_NUMBER', /emergency number/],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS', /at least 1/],
    [{ HTTP_BODY_TIMEOUT_MS: '300000' }, 'HTTP_BODY_TIMEOUT_MS', /at most 120000/],
    [{ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '15000' }, 'HTTP_HEADERS_TIMEOUT_MS', /at most HTTP_REQUEST_TIMEOUT_MS \(15000\)/],
    [{ REPLY_DELIVERY_TIMEOUT_MS: '20000' }, 'REPLY_DELIVERY_TIMEOUT_MS', /at most 14000/],
    [{ BOT_SDK: 'agents-sdk' }, 'BOT_SDK', /botbuilder, agents/],
    [{ clientId: 'my-bot', clientSecret: 's' }, 'clientId', /GUID/],
    [{ clientId: '5f0c6b1e-2f7a-4a43-9d55-1c6a8f3e0b11' }, 'MicrosoftAppPassword', /must be set/],
    [{ MicrosoftAppId: '5f0c6b1e-2f7a-4a43-9d55-1c6a8f3e0b11', clientId: '00000000-0000-4000-8000-000000000000', clientSecret: 's' }, 'clientId', /must equal MicrosoftAppId/],
  ];
  for (const [env, variable, expected] of wrong) {
    it(`stops on ${JSON.stringify(env)} with one line naming ${variable}`, () => {
      let error: unknown;
      try {
        loadCoreConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).to.contain(variable);
      expect(message).to.match(expected);
      expect(message).not.to.contain('\n');
    });
  }

  describe('the Azure Bot credentials under either SDK\'s names', () => {
    const id = '5f0c6b1e-2f7a-4a43-9d55-1c6a8f3e0b11';
    const tenant = '6d9f5a8e-0000-4000-8000-000000000001';

    it('reads the Agents SDK\'s connection settings (clientId, clientSecret, tenantId) as the same credentials', () => {
      const config = loadCoreConfig({ clientId: id, clientSecret: 'secret', tenantId: tenant });
      expect([config.MicrosoftAppId, config.MicrosoftAppPassword, config.MicrosoftAppTenantId]).to.deep.equal([id, 'secret', tenant]);
      // A tenant given the Agents SDK's way is a single-tenant app, as that SDK reads it.
      expect(config.MicrosoftAppType).to.equal('SingleTenant');
    });

    it('reads the long form Connections__ServiceConnection__Settings__* too, and keeps an explicit MicrosoftAppType', () => {
      const config = loadCoreConfig({
        Connections__ServiceConnection__Settings__ClientId: id,
        Connections__ServiceConnection__Settings__ClientSecret: 'secret',
        Connections__ServiceConnection__Settings__TenantId: tenant,
        MicrosoftAppType: 'MultiTenant',
      });
      expect([config.MicrosoftAppId, config.MicrosoftAppType]).to.deep.equal([id, 'MultiTenant']);
    });

    it('accepts both names when they agree, on either SDK', () => {
      for (const BOT_SDK of ['botbuilder', 'agents']) {
        const config = loadCoreConfig({ BOT_SDK, MicrosoftAppId: id, clientId: id, MicrosoftAppPassword: 'secret' });
        expect([config.BOT_SDK, config.MicrosoftAppId, config.MicrosoftAppType]).to.deep.equal([BOT_SDK, id, 'MultiTenant']);
      }
    });

    it('defaults to botbuilder', () => {
      expect(loadCoreConfig({}).BOT_SDK).to.equal('botbuilder');
    });
  });
});
