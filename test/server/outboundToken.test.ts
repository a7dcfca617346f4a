import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { pino } from 'pino';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { FakeIdentity } from '../helpers/fakeIdentity.js';
import { startTestServer } from '../helpers/testBot.js';

const conversationOf = (activity: Record<string, unknown>) => (activity.conversation as { id: string }).id;

/**
 * With an app id (Azure Bot Service mode) a request is verified against the issuer's signing keys (Azure Bot
 * Service's, or Entra ID's for the Emulator's own token), and the bot gets a token from Entra ID for its replies. That fetch is part of
 * delivering the reply: on either SDK it runs under the turn's reply deadline (REPLY_DELIVERY_TIMEOUT_MS), so a slow
 * token endpoint costs the turn its deadline, not the conversation, and the turn is still recorded.
 */
describe('replies with an app id: the outbound token', () => {
  let identity: FakeIdentity;
  const connector = new FakeConnector();
  const lines: Array<Record<string, unknown>> = [];
  let server: RunningServer | undefined;

  before(async () => {
    identity = await FakeIdentity.create();
    await connector.start();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    identity.stop();
  });
  after(() => connector.stop());

  /** A server for a bot of its own (a new app id: no token cached from another test). */
  async function botWithAppId(): Promise<{ appId: string; send: (text: string) => Promise<{ res: Response; id: string }> }> {
    const appId = randomUUID();
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startTestServer({ MicrosoftAppId: appId, MicrosoftAppPassword: 'fake-secret', REPLY_DELIVERY_TIMEOUT_MS: 1000 }, logger);
    const url = server.url;
    return {
      appId,
      async send(text) {
        const activity = messageActivity(connector.url, text);
        const res = await postActivity(url, activity, { authorization: `Bearer ${await identity.channelToken(appId, connector.url)}` });
        return { res, id: conversationOf(activity) };
      },
    };
  }

  it('verifies the channel’s token, and signs its replies with the token the bot got for its app id', async () => {
    const tokens = identity.start();
    const bot = await botWithAppId();
    const { res, id } = await bot.send('what is filaggrin');
    expect(res.status, JSON.stringify(lines.filter((l) => l.conversationId === id))).to.equal(200);
    await connector.waitForMessages(id, 2);
    const replies = connector.received.filter((r) => r.conversationId === id);
    expect(JSON.stringify(replies.map((r) => r.activity))).to.match(/filaggrin/i);
    for (const reply of replies) expect(reply.authorization).to.equal(`Bearer ${tokens.token}`);
    expect(tokens.requests).to.include(bot.appId);
  });

  for (const version of ['1.0', '2.0'] as const) {
    it(`accepts the Emulator’s own token (an Entra ID v${version} token for the app) and signs the replies to it`, async () => {
      const tokens = identity.start();
      const bot = await botWithAppId();
      const activity = messageActivity(connector.url, 'what is filaggrin');
      const res = await postActivity(server!.url, activity, { authorization: `Bearer ${await identity.emulatorToken(bot.appId, version)}` });
      expect(res.status, JSON.stringify(lines.filter((l) => l.conversationId === conversationOf(activity)))).to.equal(200);
      const replies = await connector.waitForMessages(conversationOf(activity), 2);
      expect(JSON.stringify(replies)).to.match(/filaggrin/i);
      for (const reply of connector.received.filter((r) => r.conversationId === conversationOf(activity))) expect(reply.authorization).to.equal(`Bearer ${tokens.token}`);
    });
  }

  it('counts a slow token endpoint against the reply deadline: 502, nothing sent unsigned, the turn still recorded', async () => {
    // The token endpoint answers after 4 s; the turn may spend 1 s delivering its replies.
    identity.start({ tokenDelayMs: 4000 });
    const bot = await botWithAppId();
    const before = (await server!.records.list('unanswered')).length;
    const { res, id } = await bot.send('how much does parking at the clinic cost');
    expect(res.status).to.equal(502);
    expect(connector.received.filter((r) => r.conversationId === id), 'no reply went out without a token').to.have.length(0);
    // The clinic's review list has the question, though the patient never saw the answer.
    expect((await server!.records.list('unanswered')).length).to.equal(before + 1);
    const failure = lines.find((l) => l.msg === 'reply not delivered' && l.conversationId === id);
    expect(failure).to.include({ timedOut: true, timeoutMs: 1000 });
  });

  it('records the turn and answers 502 when Entra ID refuses the app’s secret (a wrong MicrosoftAppPassword)', async () => {
    const tokens = identity.start({ refuseSecret: true });
    const bot = await botWithAppId();
    const before = (await server!.records.list('unanswered')).length;
    const { res, id } = await bot.send('how much does parking at the clinic cost');
    expect(res.status).to.equal(502);
    expect(tokens.requests).to.include(bot.appId);
    expect(connector.received.filter((r) => r.conversationId === id), 'no reply went out without a token').to.have.length(0);
    expect((await server!.records.list('unanswered')).length).to.equal(before + 1);
    expect(lines.some((l) => l.msg === 'reply not delivered' && l.conversationId === id)).to.equal(true);
  });
});
