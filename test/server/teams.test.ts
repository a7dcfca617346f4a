import { expect } from 'chai';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

const BOT = { id: '28:0f5d6c1a-bot', name: 'Eczema bot' };

/** A message as Teams sends it (recorded shape): channel scope, @mention entity, tenant and team in channelData. */
function teamsMessage(serviceUrl: string, text: string, extra: Record<string, unknown> = {}) {
  return messageActivity(serviceUrl, text, {
    channelId: 'msteams',
    recipient: BOT,
    from: { id: '29:1a2b3c-user', name: 'Patient', aadObjectId: '6d9f5a8e-0000-4000-8000-000000000001' },
    conversation: { id: `19:channel-${Math.random().toString(36).slice(2)}@thread.tacv2;messageid=1`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:channel@thread.tacv2' } },
    ...extra,
  });
}

describe('Microsoft Teams activities through the real HTTP path', () => {
  let server: RunningServer;
  const connector = new FakeConnector();

  before(async () => {
    await connector.start();
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
    await connector.stop();
  });

  async function send(activity: Record<string, unknown>) {
    const res = await postActivity(server.url, activity);
    expect(res.status).to.equal(200);
    return (activity.conversation as { id: string }).id;
  }

  const cardText = (activity: Record<string, unknown>) => JSON.stringify(activity.attachments ?? []);

  it('removes the @mention before classifying, and answers with an Adaptive Card', async () => {
    const mention = `<at>${BOT.name}</at>`;
    const activity = teamsMessage(connector.url, `${mention} what is filaggrin`, {
      entities: [{ type: 'mention', text: mention, mentioned: BOT }],
    });
    const conversationId = await send(activity);
    const replies = await connector.waitForMessages(conversationId, 2);
    const answer = replies[replies.length - 1]!;
    expect(cardText(answer)).to.contain('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer)).to.match(/filaggrin/i);
    expect(cardText(answer)).to.contain('"version":"1.5"');
  });

  it('routes an Action.Submit (value, no text) like a pressed choice', async () => {
    const activity = teamsMessage(connector.url, '', { value: { action: 'ask', intent: 'moisturizers' } });
    delete activity.text;
    const conversationId = await send(activity);
    const replies = await connector.waitForMessages(conversationId, 1);
    expect(cardText(replies[replies.length - 1]!)).to.match(/moisturi[sz]er/i);
  });

  it('works in a personal chat', async () => {
    const activity = teamsMessage(connector.url, 'what triggers eczema flares', {
      conversation: { id: `a:personal-${Date.now()}`, conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
    });
    const conversationId = await send(activity);
    const replies = await connector.waitForMessages(conversationId, 2);
    expect(cardText(replies[replies.length - 1]!)).to.match(/trigger/i);
  });

  it('answers an invoke it does not implement 200 with no body (the protocol says ignore it; 501 shows "Unable to reach app")', async () => {
    const invokes: Array<Record<string, unknown>> = [
      { name: 'composeExtension/query', value: { commandId: 'search', parameters: [] } },
      { name: 'task/fetch', value: { data: {} } },
      { name: 'signin/verifyState', value: { state: '123' } },
      // A well-formed Universal Action (Action.Execute): the bot's cards never carry one, a stale or foreign card might.
      { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'ask', data: { intent: 'moisturizers' } }, trigger: 'manual' } },
      { name: 'some/future-invoke' },
      {}, // a Teams card action of type "invoke" has no name
    ];
    for (const invoke of invokes) {
      const activity = teamsMessage(connector.url, '', { type: 'invoke', ...invoke });
      delete activity.text;
      const before = connector.received.length;
      const res = await postActivity(server.url, activity);
      expect(res.status, JSON.stringify(invoke)).to.equal(200);
      expect(await res.text(), 'no body').to.equal('');
      expect(connector.received.length, 'nothing is posted to the conversation').to.equal(before);
    }
  });

  it('keeps botbuilder\'s own answer to a malformed invoke it knows (400), and a card submit after it still works', async () => {
    const bad = teamsMessage(connector.url, '', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Submit' } } });
    delete bad.text;
    const res = await postActivity(server.url, bad);
    expect(res.status).to.equal(400);
    const submit = teamsMessage(connector.url, '', { value: { action: 'ask', intent: 'moisturizers' } });
    delete submit.text;
    const conversationId = await send(submit);
    const replies = await connector.waitForMessages(conversationId, 1);
    expect(cardText(replies[replies.length - 1]!)).to.match(/moisturi[sz]er/i);
  });

  it('puts choices on cards, never as suggested actions (Teams does not show them)', async () => {
    const conversationId = await send(teamsMessage(connector.url, 'hello'));
    const replies = await connector.waitForMessages(conversationId, 1);
    for (const reply of replies) expect(reply).not.to.have.property('suggestedActions');
  });
});
