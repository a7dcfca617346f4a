import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import yaml from 'js-yaml';
import { loadContent } from '../../src/content/load.js';
import { parseContentPacks } from '../../src/content/packs.js';
import { loadNluConfig } from '../../src/nlu/config.js';
import { trainModel } from '../../src/nlu/model.js';
import type { Content } from '../../src/core/types.js';
import { projectRoot } from '../../src/paths.js';

/**
 * CONTENT_PACKS=none must leave the bot as it was before the everyday-care pack existed. The reference is rebuilt
 * from the real content files: a copy of data/ and intents/ with the optional packs taken out of the catalog, their
 * answers and utterances deleted, and every when-off line (training and held-out) put back in its intent's file
 * (where the article alone had it). The two must give the same content and the same answers.
 */
function articleOnlyTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'article-only-'));
  for (const dir of ['data', 'intents']) cpSync(join(projectRoot, dir), join(root, dir), { recursive: true });
  const catalogFile = join(root, 'data/catalog.yaml');
  const catalog = yaml.load(readFileSync(catalogFile, 'utf8')) as { packs: { id: string; optional?: boolean }[]; intents: { id: string; pack?: string }[] };
  const optional = new Set(catalog.packs.filter((p) => p.optional).map((p) => p.id));
  const packIntents = catalog.intents.filter((i) => i.pack !== undefined && optional.has(i.pack)).map((i) => i.id);
  catalog.packs = catalog.packs.filter((p) => !optional.has(p.id));
  catalog.intents = catalog.intents.filter((i) => !packIntents.includes(i.id));
  writeFileSync(catalogFile, yaml.dump(catalog));
  for (const id of packIntents) for (const file of [`data/kb/${id}.md`, `intents/${id}.txt`, `intents/held-out/${id}.txt`]) rmSync(join(root, file), { force: true });
  // Follow-ups naming a pack intent are taken out of the answers that offer them, as an article-only tree has them.
  for (const file of readdirSync(join(root, 'data/kb'))) {
    const path = join(root, 'data/kb', file);
    const text = readFileSync(path, 'utf8').replace(/^followUps: \[(.*)\]$/m, (_m, list: string) => {
      const kept = list.split(',').map((id) => id.trim()).filter((id) => id !== '' && !packIntents.includes(id));
      return `followUps: [${kept.join(', ')}]`;
    });
    writeFileSync(path, text);
  }
  // Training when-off lines go back to intents/<intent>.txt, held-out ones to intents/held-out/<intent>.txt.
  for (const [whenOffDir, into] of [['intents/when-off', 'intents'], ['intents/held-out/when-off', 'intents/held-out']]) {
    const whenOff = join(root, whenOffDir);
    for (const pack of existsSync(whenOff) ? readdirSync(whenOff) : []) {
      for (const file of readdirSync(join(whenOff, pack))) {
        const lines = readFileSync(join(whenOff, pack, file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
        const target = join(root, into, file);
        const had = existsSync(target) ? readFileSync(target, 'utf8').replace(/\n*$/, '\n') : '';
        writeFileSync(target, `${had}${lines.join('\n')}\n`);
      }
    }
    rmSync(whenOff, { recursive: true, force: true });
  }
  return root;
}

const sorted = (m: ReadonlyMap<string, readonly string[]>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));

describe('with CONTENT_PACKS=none the bot is the article alone', function () {
  this.timeout(60_000);
  let root: string;
  let off: Content;
  let absent: Content;
  before(() => {
    root = articleOnlyTree();
    off = loadContent(projectRoot, { packs: parseContentPacks('none') });
    absent = loadContent(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('trains on exactly the utterances of a tree without the pack, and holds out the same ones', () => {
    expect(sorted(off.training)).to.deep.equal(sorted(absent.training));
    expect(sorted(off.heldOut)).to.deep.equal(sorted(absent.heldOut));
    expect(off.trainingHash).to.equal(absent.trainingHash);
  });

  it('offers the same answers, follow-ups and topics', () => {
    expect(off.catalog).to.deep.equal(absent.catalog);
    expect(off.topics).to.deep.equal(absent.topics);
    expect([...off.entries.keys()].sort()).to.deep.equal([...absent.entries.keys()].sort());
    for (const [id, entry] of absent.entries) {
      const mine = off.entries.get(id)!;
      expect({ answer: mine.answer, followUps: mine.followUps, title: mine.title }, id).to.deep.equal({ answer: entry.answer, followUps: entry.followUps, title: entry.title });
    }
  });

  it("decides every held-out question and every everyday question the same way as the pack-less build", () => {
    const config = loadNluConfig();
    const a = trainModel(off.training, { config });
    const b = trainModel(absent.training, { config });
    const everyday = readFileSync(join(projectRoot, 'test/eval/everyday-dev.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
    const questions = [...[...absent.heldOut.values()].flat(), ...everyday];
    expect(questions.length).to.be.greaterThan(300);
    for (const q of questions) expect(a.decide(q), q).to.deep.equal(b.decide(q));
  });
});
