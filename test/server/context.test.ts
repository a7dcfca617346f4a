import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../src/server/index.js';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

/**
 * Conversation context through the real HTTP server (issue 14): the widget's Direct Line and Teams' /api/messages
 * each keep the last answer's topic per conversation, in the conversation state of the bot's store, so "I'm
 * pregnant" is read against the medicine that conversation was about, not another conversation's.
 */
const COVERAGE = (topic: string) => new RegExp(`The clinic's information on ${topic} doesn't cover pregnancy and breastfeeding`);

describe('conversation context through the widget (Direct Line) and Teams', () => {
  let server: RunningServer;
  const connector = new FakeConnector();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'eczema-context-')), 'db.json');

  before(async () => {
    await connector.start();
    server = await startTestServer({ DB_FILE: dbFile });
  });
  after(async () => {
    await server.stop();
    await connector.stop();
  });

  async function directLine() {
    const base = `${server.url}/v3/directline`;
    const issued = (await (await fetch(`${base}/tokens/generate`, { method: 'POST' })).json()) as { token: string };
    const auth = { authorization: `Bearer ${issued.token}`, 'content-type': 'application/json' };
    const started = (await (await fetch(`${base}/conversations`, { method: 'POST', headers: auth, body: '{}' })).json()) as { conversationId: string; token: string };
    const headers = { ...auth, authorization: `Bearer ${started.token}` };
    let watermark = '';
    /** Sends a message and returns what the bot said in reply, as Web Chat would poll it. */
    return async (text: string): Promise<string> => {
      const posted = await fetch(`${base}/conversations/${started.conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text, from: { id: 'patient' } }) });
      expect(posted.status).to.equal(200);
      const polled = (await (await fetch(`${base}/conversations/${started.conversationId}/activities?watermark=${watermark}`, { headers })).json()) as {
        activities: Array<{ from: { id: string; role?: string } }>;
        watermark: string;
      };
      watermark = polled.watermark;
      return JSON.stringify(polled.activities.filter((a) => a.from.id !== 'patient'));
    };
  }

  it('the widget: two conversations at once each read "I\'m pregnant" against their own medicine', async () => {
    const a = await directLine();
    const b = await directLine();
    expect(await a('what is dupixent')).to.match(/Dupixent/);
    expect(await b('what are topical steroids')).to.match(/topical steroids/i);
    const afterDupixent = await a("I'm pregnant");
    const afterSteroids = await b("I'm pregnant");
    expect(afterDupixent).to.match(COVERAGE('dupilumab \\(Dupixent\\)')).and.match(/We recommend seeing a dermatologist/);
    expect(afterSteroids).to.match(COVERAGE('topical steroids')).and.match(/We recommend seeing a dermatologist/);
    expect(afterSteroids).to.not.match(/Dupixent/);
  });

  it('the widget: "ok" after an answer is not a goodbye, and "no" to "anything else?" is', async () => {
    const say = await directLine();
    await say('what is eczema');
    const ok = await say('ok');
    expect(ok).to.match(/anything else/i).and.not.match(/Goodbye/i);
    expect(await say('no')).to.match(/Goodbye/i);
  });

  function teams(conversationId: string) {
    return async (text: string): Promise<string> => {
      const before = connector.messages(conversationId).length;
      const activity = messageActivity(connector.url, text, {
        channelId: 'msteams',
        conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
        channelData: { tenant: { id: 'tenant-1' } },
      });
      const res = await postActivity(server.url, activity);
      expect(res.status).to.equal(200);
      await connector.waitForMessages(conversationId, before + 1);
      return JSON.stringify(connector.messages(conversationId).slice(before));
    };
  }

  it('Teams: each chat keeps its own topic, and a danger earlier in a chat keeps its level', async () => {
    const one = teams(`a:context-one-${Date.now()}`);
    const two = teams(`a:context-two-${Date.now()}`);
    await one('what is tacrolimus');
    await two('my eczema is weeping with yellow crusts');
    expect(await one('does it burn?')).to.match(/calcineurin inhibitors \(tacrolimus, pimecrolimus\) doesn't cover burning/);
    const worried = await two('what should I do?');
    expect(worried).to.match(/Earlier you described something that needs medical care today/);
    expect(await one('what should I do?')).to.not.match(/medical care today/);
  });

  it('Teams: the topic is kept in the store, so it survives a restart of the server', async () => {
    const id = `a:context-restart-${Date.now()}`;
    await teams(id)('what is opzelura');
    await server.stop();
    server = await startTestServer({ DB_FILE: dbFile });
    expect(await teams(id)('can kids use it?')).to.match(/ruxolitinib cream \(Opzelura\) doesn't cover use in children/);
  });
});
