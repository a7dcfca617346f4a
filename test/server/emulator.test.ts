import { expect } from 'chai';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity, type ReceivedActivity } from '../helpers/fakeConnector.js';
import type { Activity } from 'botbuilder';
import { buttonsOf, startTestServer } from '../helpers/testBot.js';

/** The buttons of a reply as the channel received it (the JSON is the same on both SDKs). */
const buttons = (reply: ReceivedActivity['activity'] | undefined) => buttonsOf((reply ?? {}) as Partial<Activity>);

/**
 * What a developer's Bot Framework Emulator and a Teams client do, end to end through /api/messages on the real
 * server, in local mode: the client hosts the serviceUrl (here the FakeConnector), the bot posts its replies there
 * (`/v3/conversations/{id}/activities/{replyToId}`), and pressing a card's button sends the button's data back as
 * the message's value. These run on both bot SDKs (the channel suites run again with BOT_SDK=agents).
 */
describe('the Emulator and Teams card submits through /api/messages', () => {
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

  async function send(activity: Record<string, unknown>): Promise<void> {
    const res = await postActivity(server.url, activity);
    expect(res.status, await res.clone().text()).to.equal(200);
  }

  /** The replies of one conversation after the first `after` of them, once `count` more arrived. */
  async function repliesAfter(conversationId: string, after: number, count: number): Promise<ReceivedActivity['activity'][]> {
    return (await connector.waitForMessages(conversationId, after + count)).slice(after);
  }

  /** A press of a card's button as the client sends it: no text, the button's data as the value. */
  function press(serviceUrl: string, button: { data: Record<string, unknown> }, template: Record<string, unknown>, replyToId?: string): Record<string, unknown> {
    const activity = messageActivity(serviceUrl, '', { ...template, value: button.data, ...(replyToId ? { replyToId } : {}) });
    delete activity.text;
    return activity;
  }

  describe('the Bot Framework Emulator', () => {
    const emulatorConversation = () => ({ id: `${Math.random().toString(36).slice(2)}|livechat` });
    const user = { id: 'emulator-user-1', name: 'User', role: 'user' };
    const bot = { id: 'emulator-bot', name: 'Bot', role: 'bot' };

    it('opens a conversation: the welcome is posted back as a reply to the Emulator’s conversationUpdate', async () => {
      const conversation = emulatorConversation();
      // The Emulator sends one conversationUpdate naming both the user and the bot when a chat is opened.
      const update = messageActivity(connector.url, '', { type: 'conversationUpdate', conversation, from: user, recipient: bot, membersAdded: [bot, user] });
      delete update.text;
      await send(update);
      const [welcome] = await connector.waitForMessages(conversation.id, 1);
      expect(JSON.stringify(welcome)).to.match(/not a doctor/i);
      const posted = connector.received.find((r) => r.conversationId === conversation.id)!;
      expect(posted.replyToId, 'posted to the conversationUpdate it answers').to.equal(update.id);
      expect(welcome!.recipient).to.deep.include({ id: user.id });
      // The welcome's example questions are buttons; pressing one answers it.
      const example = buttons(welcome).find((b) => b.data.action === 'ask');
      expect(example, 'an example question to press').to.not.equal(undefined);
      const before = connector.messages(conversation.id).length;
      await send(press(connector.url, example!, { conversation, from: user, recipient: bot }));
      const [answer] = await repliesAfter(conversation.id, before, 1);
      expect(buttons(answer).length, 'an answer card, with its own buttons').to.be.greaterThan(0);
    });

    it('follows a follow-up button and records the “this helped” press, as the patient pressed them', async () => {
      const conversation = emulatorConversation();
      const template = { conversation, from: user, recipient: bot };
      await send(messageActivity(connector.url, 'what is filaggrin', template));
      const first = await connector.waitForMessages(conversation.id, 2);
      const answerCard = first[first.length - 1]!;
      const followUp = buttons(answerCard).find((b) => b.data.action === 'ask' && b.data.intent !== undefined);
      expect(followUp, 'a follow-up on the answer').to.not.equal(undefined);

      await send(press(connector.url, followUp!, template));
      const [followed] = await repliesAfter(conversation.id, first.length, 1);
      const intent = String(followUp!.data.intent);
      const helped = buttons(followed).find((b) => b.data.action === 'feedback' && b.data.helpful === true);
      expect(helped, 'feedback buttons on the followed answer').to.not.equal(undefined);
      expect(helped!.data.intent, 'the follow-up’s own answer, not a re-classified title').to.equal(intent);

      const feedbackBefore = (await server.records.list('feedback')).length;
      await send(press(connector.url, helped!, template));
      await repliesAfter(conversation.id, first.length + 1, 1);
      const feedback = await server.records.list('feedback');
      expect(feedback.length).to.equal(feedbackBefore + 1);
      expect(feedback[0]).to.include({ intent, helpful: true, channel: 'emulator' });
    });
  });

  describe('Teams', () => {
    const BOT = { id: '28:0f5d6c1a-bot', name: 'Eczema bot' };
    const teams = (conversationId: string) => ({
      channelId: 'msteams',
      recipient: BOT,
      from: { id: '29:1a2b3c-user', name: 'Patient', aadObjectId: '6d9f5a8e-0000-4000-8000-000000000001' },
      conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
    });

    it('answers a press on its own card’s button (Action.Submit: the value, no text, replyToId the card), and records the feedback press', async () => {
      const template = teams(`a:personal-${Math.random().toString(36).slice(2)}`);
      const conversationId = template.conversation.id;
      await send(messageActivity(connector.url, 'what triggers eczema flares', template));
      const first = await connector.waitForMessages(conversationId, 2);
      const card = first[first.length - 1]!;
      const followUp = buttons(card).find((b) => b.data.action === 'ask' && b.data.intent !== undefined);
      expect(followUp, 'a follow-up on the Teams answer card').to.not.equal(undefined);

      // Teams puts the card's activity id in replyToId and adds its own postBack flag to channelData.
      const submit = press(connector.url, followUp!, { ...template, channelData: { ...template.channelData, postBack: true } }, 'reply-card-1');
      await send(submit);
      const [followed] = await repliesAfter(conversationId, first.length, 1);
      const helped = buttons(followed).find((b) => b.data.action === 'feedback' && b.data.helpful === false);
      expect(helped!.data.intent).to.equal(followUp!.data.intent);

      const before = (await server.records.list('feedback')).length;
      await send(press(connector.url, helped!, template, 'reply-card-2'));
      await repliesAfter(conversationId, first.length + 1, 1);
      const feedback = await server.records.list('feedback');
      expect(feedback.length).to.equal(before + 1);
      expect(feedback[0]).to.include({ intent: followUp!.data.intent, helpful: false, channel: 'msteams' });
    });
  });
});
