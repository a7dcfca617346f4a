import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { replyTexts } from '../../src/bot/replyText.js';
import { loadCore, type Core } from '../../src/core/loadCore.js';
import { silentLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { testConfig } from '../helpers/testBot.js';

/**
 * Issue 18's "done when": everyday-care questions of our own are answered with the right pack intent in at least
 * 90 % of rows, and every reply answered right names its topic (contains one of the row's topicWords), with the
 * pack on, through the bot's own answer() and the text the patient reads (as `ask --json`'s `reply`).
 * everyday-dev.jsonl was written to tune against; everyday-blind.jsonl was written by another writer and run once
 * before any change for it (first-run figures in docs/CONTENT.md), its misses then fixed by class only.
 */
interface Row {
  text: string;
  intent: string;
  topicWords: string[];
}

const FILES = ['everyday-dev.jsonl', 'everyday-blind.jsonl'];
const read = (file: string): Row[] =>
  readFileSync(join(projectRoot, 'test', 'eval', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);

describe('everyday-care questions of our own, with the pack on', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'everyday-sets-'));
  let core: Core;
  before(() => {
    core = loadCore(testConfig({ CONTENT_PACKS: 'everyday-care', MODEL_FILE: join(dir, 'model.json') }), silentLogger);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rows = FILES.flatMap(read);
  const outcomes = () =>
    rows.map((row) => {
      const reply = core.answerer.answer(row.text);
      return { row, right: reply.kind === 'answer' && reply.intent === row.intent, got: `${reply.kind} ${reply.intent ?? ''}`, said: replyTexts(reply, core.clinic).join('\n\n') };
    });

  it('has at least 80 rows, each labelled with an intent of the pack and the words that name its topic', () => {
    expect(rows.length).to.be.at.least(80);
    const pack = new Set(core.content.catalog.filter((i) => i.pack === 'everyday-care').map((i) => i.id));
    for (const row of rows) {
      expect(pack.has(row.intent), `${row.text}: ${row.intent}`).to.equal(true);
      expect(row.topicWords.length, row.text).to.be.greaterThan(0);
    }
  });

  it('answers at least 90 % with the right intent, and every right answer names its topic', () => {
    const all = outcomes();
    const right = all.filter((o) => o.right);
    const misses = all.filter((o) => !o.right).map((o) => `${o.row.text} → ${o.got} (wanted ${o.row.intent})`);
    expect(right.length / all.length, `right ${right.length}/${all.length}; misses:\n${misses.join('\n')}`).to.be.at.least(0.9);
    for (const o of right) {
      const said = o.said.toLowerCase();
      expect(o.row.topicWords.some((w) => said.includes(w.toLowerCase())), `${o.row.text}: reply names none of ${o.row.topicWords.join(', ')}`).to.equal(true);
    }
  });
});
