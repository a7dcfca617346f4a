import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../src/logger.js';
import { loadCore, type Core } from '../../src/core/loadCore.js';
import { promisedTopics } from '../../src/content/promises.js';
import { renderDemoPage } from '../../src/web/pages.js';
import { buildManifest } from '../../teams/package.js';
import { buttonsOf, createTestBot, testConfig, visibleText } from '../helpers/testBot.js';

/**
 * Promise only what is covered: the welcome, the demo page, the help answer and the Teams command list all name
 * everyday care (bathing, soap) exactly when the everyday-care pack is on, because all four come from the topics
 * of the packs that are on.
 */
const EVERYDAY = /bath|soap|everyday/i;

interface Promises {
  welcome: string;
  welcomeButtons: string[];
  demoPage: string;
  help: string;
  teamsCommands: string;
}

/** The Teams package's command list, built from the topics of the packs that are on in this core. */
function teamsCommands(core: Core): { title: string; description: string }[] {
  const manifest = buildManifest({
    microsoftAppId: '0b7e4c1a-5d2f-4e8b-9a61-3c2d1e0f9a88',
    clinicName: 'Test Clinic',
    websiteUrl: 'https://bot.example.org',
    accentColor: '#0b5cad',
    version: '1.0.0',
    topics: core.content.topics,
  }) as { bots: { commandLists: { commands: { title: string; description: string }[] }[] }[] };
  return manifest.bots[0]!.commandLists[0]!.commands;
}

async function promisesWith(core: Core): Promise<Promises> {
  const bot = await createTestBot('webchat', undefined, core);
  try {
    const welcome = (await bot.join())[0]!;
    const help = (await bot.say('help')).map(visibleText).join('\n');
    const demoPage = renderDemoPage({ clinicName: 'Test Clinic', topics: promisedTopics(core.content), widget: { title: 'Ask', primaryColor: '#0b5cad', position: 'right', greeting: 'Hi' } });
    const commands = teamsCommands(core);
    return {
      welcome: visibleText(welcome),
      welcomeButtons: buttonsOf(welcome).map((b) => b.title),
      demoPage: demoPage.slice(demoPage.indexOf('<h2>What the assistant can help with</h2>'), demoPage.indexOf('<h2>Add it')),
      help,
      teamsCommands: commands.map((c) => `${c.title}: ${c.description}`).join('\n'),
    };
  } finally {
    await bot.close();
  }
}

describe('what the bot promises follows the content packs that are on', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'promises-'));
  const cores: Record<string, Core> = {};
  const core = (packs: string): Core =>
    (cores[packs] ??= loadCore(testConfig({ CONTENT_PACKS: packs, MODEL_FILE: join(dir, `model-${packs}.json`) }), silentLogger));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('with the everyday-care pack off, none of the four mentions bathing, soap or everyday care', async () => {
    const off = await promisesWith(core('none'));
    for (const [where, text] of Object.entries(off)) expect(String(text), where).to.not.match(EVERYDAY);
    // The article's own promises are still made.
    expect(off.demoPage).to.match(/dermatologist/i);
    expect(off.teamsCommands).to.include('What is eczema?');
    expect(off.welcomeButtons.length).to.be.within(3, 4);
  });

  it('with it on, each of the four names bathing, and the demo page, help answer and Teams commands name soap too', async () => {
    const on = await promisesWith(core('everyday-care'));
    for (const [where, text] of Object.entries(on)) if (where !== 'welcomeButtons') expect(text, where).to.match(/bath/i);
    expect(on.welcomeButtons.some((title) => /bath/i.test(title))).to.equal(true);
    for (const where of ['demoPage', 'help', 'teamsCommands'] as const) expect(on[where], where).to.match(/soap/i);
  });

  it('offers in Teams one command per topic that is on, each a question the bot answers with a topic intent, plus Help', async () => {
    for (const packs of ['none', 'everyday-care']) {
      const c = core(packs);
      const titles = teamsCommands(c).map((cmd) => cmd.title);
      expect(titles, packs).to.deep.equal([...c.content.topics.map((t) => t.ask), 'Help']);
      // A command the patient taps is sent as a question; it must be answered by one of the intents its topic names.
      for (const topic of c.content.topics) {
        const reply = c.answerer.answer(topic.ask);
        expect(topic.intents, `${packs}: "${topic.ask}" answered ${reply.kind} ${reply.intent}`).to.include(reply.intent);
      }
    }
  });
});
