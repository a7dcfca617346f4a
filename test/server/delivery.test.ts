import { expect } from 'chai';
import { pino } from 'pino';
import type { RunningServer } from '../../src/server/index.js';
import { FailingConnector, FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

const conversationOf = (activity: Record<string, unknown>) => (activity.conversation as { id: string }).id;

describe('reply delivery to the channel', () => {
  describe('to an IPv6 loopback serviceUrl (the relay guard allows it, so replies must get there)', () => {
    let server: RunningServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.stop());

    it('delivers to http://[::1]:port/', async function () {
      const connector = new FakeConnector(0, '::1');
      try {
        await connector.start();
      } catch (err) {
        // A machine without an IPv6 loopback cannot host the connector; nothing to deliver to there.
        if (['EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes((err as NodeJS.ErrnoException).code ?? '')) {
          // Skipped, not failed: without ::1 there is no IPv6 address to deliver to, and the reason is printed.
          console.log('      IPv6 delivery skipped: this machine has no IPv6 loopback (::1), so no connector can listen there');
          this.skip();
        }
        throw err;
      }
      try {
        expect(connector.url).to.match(/^http:\/\/\[::1\]:\d+\/$/);
        const activity = messageActivity(connector.url, 'what is filaggrin');
        const res = await postActivity(server.url, activity);
        expect(res.status).to.equal(200);
        const replies = await connector.waitForMessages(conversationOf(activity), 2);
        expect(JSON.stringify(replies)).to.match(/filaggrin/i);
      } finally {
        await connector.stop();
      }
    });

    it('delivers to an IPv4-mapped address, http://[::ffff:127.0.0.1]:port/', async () => {
      const connector = await new FakeConnector().start();
      try {
        const serviceUrl = connector.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');
        const activity = messageActivity(serviceUrl, 'what is filaggrin');
        expect((await postActivity(server.url, activity)).status).to.equal(200);
        await connector.waitForMessages(conversationOf(activity), 2);
      } finally {
        await connector.stop();
      }
    });
  });

  describe('to a channel that does not take replies', () => {
    let server: RunningServer;
    const lines: Array<Record<string, unknown>> = [];
    const working = new FakeConnector();

    before(async () => {
      await working.start();
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
      server = await startTestServer({ REPLY_DELIVERY_TIMEOUT_MS: 1000 }, logger);
    });
    after(async () => {
      await server.stop();
      await working.stop();
    });

    it('retries a 503 within the turn’s deadline, then answers 502 and still records the turn', async () => {
      const refusing = await new FailingConnector(503).start();
      try {
        const before = (await server.records.list('unanswered')).length;
        const activity = messageActivity(refusing.url, 'how much does parking at the clinic cost');
        const res = await postActivity(server.url, activity);
        expect(res.status).to.equal(502);
        expect(await res.json()).to.deep.equal({ error: 'the reply could not be delivered' });
        expect(refusing.attempts, 'the first reply was retried').to.be.at.least(2);
        // The clinic's review list has the question the bot could not answer, though the patient never saw the reply.
        expect((await server.records.list('unanswered')).length).to.equal(before + 1);
        const id = conversationOf(activity);
        const failures = lines.filter((l) => l.msg === 'reply not delivered' && l.conversationId === id);
        expect(failures, 'one line per turn, not one per dropped reply').to.have.length(1);
        expect(failures[0]).to.include({ reason: 'HTTP 503', timedOut: true, channel: 'emulator' });
        const turn = lines.find((l) => l.msg === 'turn' && l.conversationId === id);
        expect(turn).to.include({ delivered: false, kind: 'decline' });
      } finally {
        await refusing.stop();
      }
    });

    it('gives up on a channel that never answers, so the conversation’s next turn is answered (with the welcome it missed)', async () => {
      const silent = await new FailingConnector('hang').start();
      try {
        const first = messageActivity(silent.url, 'what is eczema');
        const id = conversationOf(first);
        // The second message of the same conversation waits for the first turn; without a deadline it waited forever.
        const second = messageActivity(working.url, 'what is filaggrin', { conversation: { id } });
        const [firstRes, secondRes] = await Promise.all([postActivity(server.url, first), postActivity(server.url, second)]);
        expect(firstRes.status).to.equal(502);
        expect(secondRes.status).to.equal(200);
        const replies = await working.waitForMessages(id, 2);
        const text = JSON.stringify(replies);
        expect(text).to.match(/filaggrin/i);
        // The first turn never reached the patient, so its state was not kept: the disclaimer is still shown.
        expect(text).to.match(/not a doctor/i);
        expect(silent.attempts).to.be.at.least(1);
      } finally {
        await silent.stop();
      }
    });

    it('does not retry a reply the channel rejected as bad (4xx)', async () => {
      const rejecting = await new FailingConnector(400).start();
      try {
        const res = await postActivity(server.url, messageActivity(rejecting.url, 'what is eczema'));
        expect(res.status).to.equal(502);
        expect(rejecting.attempts, 'one try for the first reply, none for the rest of the turn').to.equal(1);
      } finally {
        await rejecting.stop();
      }
    });
  });
});
