import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

/**
 * A clinic switches BOT_SDK with conversations open: both SDKs keep conversation state under the same key and in
 * the same shape, so a patient mid-conversation is not welcomed again and a typed number still presses the
 * choice they were shown (docs/SDK.md).
 */
describe('switching BOT_SDK between restarts', () => {
  const connector = new FakeConnector();
  before(() => connector.start());
  after(() => connector.stop());

  for (const [first, second] of [
    ['botbuilder', 'agents'],
    ['agents', 'botbuilder'],
    ['botbuilder', 'botbuilder'],
  ] as const) {
    it(`keeps an open conversation's memory from ${first} to ${second}`, async () => {
      const DB_FILE = join(mkdtempSync(join(tmpdir(), 'eczema-switch-')), 'db.json');
      const conversation = { id: `switch-${first}-${Math.random().toString(36).slice(2)}` };
      const before = await startTestServer({ BOT_SDK: first, DB_FILE });
      let seen: number;
      try {
        expect((await postActivity(before.url, messageActivity(connector.url, 'what is filaggrin', { conversation }))).status).to.equal(200);
        seen = (await connector.waitForMessages(conversation.id, 2)).length;
      } finally {
        await before.stop();
      }
      const after = await startTestServer({ BOT_SDK: second, DB_FILE });
      try {
        // "1" presses the first choice of the last reply: only the saved state knows what that was.
        expect((await postActivity(after.url, messageActivity(connector.url, '1', { conversation }))).status).to.equal(200);
        const replies = (await connector.waitForMessages(conversation.id, seen + 1)).slice(seen);
        const shown = JSON.stringify(replies);
        expect(shown, 'no second welcome').not.to.match(/not a doctor/i);
        expect(shown, 'the choice was pressed, not declined').not.to.match(/not sure|couldn't find|rephrase/i);
        expect(after.bot.sdk).to.equal(second);
      } finally {
        await after.stop();
      }
    });
  }
});
