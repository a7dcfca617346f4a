import { expect } from 'chai';
import { pino } from 'pino';
import { FakeConnector, messageActivity, postActivity } from '../helpers/fakeConnector.js';
import { startTestServer } from '../helpers/testBot.js';

describe('what the server logs', () => {
  it('one line per turn with ids, intent, confidence, escalation and latency, and never the patient’s words', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const connector = await new FakeConnector().start();
    const server = await startTestServer({}, logger);
    try {
      const secret = 'Zebulon Quarterfield';
      const questions = [`my name is ${secret} and my eczema is all over my body, what is filaggrin`, `I'm ${secret}, tell me the parking price`];
      for (const text of questions) {
        const activity = messageActivity(connector.url, text);
        const res = await postActivity(server.url, activity);
        expect(res.status).to.equal(200);
      }
      const turns = lines.filter((l) => l.msg === 'turn');
      expect(turns).to.have.length(2);
      for (const turn of turns) expect(turn).to.include.keys('conversationId', 'channel', 'intent', 'confidence', 'escalation', 'latencyMs');
      expect(turns[0]!.escalation).to.equal('dermatologist');
      const everything = JSON.stringify(lines);
      expect(everything).not.to.contain('Zebulon');
      expect(everything).not.to.contain('parking');
      expect(everything).not.to.contain('all over my body');
    } finally {
      await server.stop();
      await connector.stop();
    }
  });

  it('says what its start-up counts are: answerable intents, and model labels (one more: out-of-scope)', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const server = await startTestServer({}, logger);
    await server.stop();
    const ready = lines.find((l) => l.msg === 'bot ready')!;
    expect(ready).to.not.have.property('intents');
    expect(ready.answerableIntents).to.equal(server.core.content.catalog.length);
    expect(ready.modelLabels).to.equal((ready.answerableIntents as number) + 1);
  });
});
