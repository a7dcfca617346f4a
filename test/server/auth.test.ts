import { expect } from 'chai';
import { SignJWT, generateKeyPair, UnsecuredJWT } from 'jose';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

const APP_ID = '5f0c6b1e-2f7a-4a43-9d55-1c6a8f3e0b11';

describe('HTTP server with MicrosoftAppId (Azure Bot Service mode)', () => {
  let server: RunningServer;
  const connector = new FakeConnector();

  before(async () => {
    await connector.start();
    server = await startTestServer({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' });
  });
  after(async () => {
    await server.stop();
    await connector.stop();
  });

  async function send(authorization?: string) {
    return postActivity(server.url, messageActivity(connector.url, 'hello'), authorization ? { authorization } : {});
  }

  const claims = { aud: APP_ID, iss: 'https://api.botframework.com', serviceurl: 'http://127.0.0.1/' };

  it('refuses a request without a token with 401', async () => {
    expect((await send()).status).to.equal(401);
  });

  it('refuses a malformed Authorization header with 401', async () => {
    expect((await send('Basic dXNlcjpwYXNz')).status).to.equal(401);
    expect((await send('Bearer not-a-jwt')).status).to.equal(401);
  });

  it('refuses an unsigned token with 401', async () => {
    const token = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('1h').encode();
    expect((await send(`Bearer ${token}`)).status).to.equal(401);
  });

  it('refuses a token signed with a shared secret we do not trust with 401', async () => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode('guessed-secret-guessed-secret-32b'));
    expect((await send(`Bearer ${token}`)).status).to.equal(401);
  });

  it('refuses a token for another bot with 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ ...claims, aud: '00000000-0000-0000-0000-000000000000' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    expect((await send(`Bearer ${token}`)).status).to.equal(401);
  });

  it('refuses a well-formed token signed with a forged key with 401, and the bot never replies', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'forged-key' }).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    // botbuilder goes to the network for signing keys here and prints its failure with console.error; the
    // sandbox has no network, so keep that stack trace out of the test output.
    const printError = console.error;
    console.error = () => undefined;
    let res: Response;
    try {
      res = await send(`Bearer ${token}`);
    } finally {
      console.error = printError;
    }
    expect(res.status).to.equal(401);
    expect(connector.received).to.have.length(0);
  });
});
