import { expect } from 'chai';
import { ContentErrors } from '../../src/content/errors.js';
import { loadContent } from '../../src/content/load.js';
import { parseContentPacks } from '../../src/content/packs.js';
import { entry, TODAY, Tree } from './tree.js';

function lines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} wording ${i + 1}`).join('\n') + '\n';
}

/** The fixture tree with an optional pack "care" holding one answer, offered from alpha, and one line it took over. */
function withPack(tree: Tree, enabled: boolean): Tree {
  return tree
    .write(
      'data/catalog.yaml',
      'packs:\n  - { id: own, title: Own, origin: clinic-article, topics: [{ label: "Alpha things", ask: "What is alpha?", intents: [alpha] }] }\n' +
        `  - { id: care, title: Care, origin: public-guidance, optional: true, enabled: ${enabled}, topics: [{ label: "Bathing", ask: "How do I bathe?", intents: [bath] }] }\n` +
        'intents:\n  - { id: alpha, kind: faq }\n  - { id: beta, kind: faq }\n  - { id: hello, kind: conversation }\n  - { id: see-a-dermatologist, kind: faq }\n  - { id: bath, kind: faq, pack: care }\n',
    )
    .write('data/kb/alpha.md', entry({ intent: 'alpha', title: 'What is alpha?', sources: '[src-one]', followUps: '[beta, bath, hello]', escalation: 'none', reviewed: '2026-01-15' }))
    .write('data/kb/hello.md', entry({ intent: 'hello', title: 'Hello', followUps: '[alpha]', escalation: 'none', reviewed: '2026-01-15' }, 'Hello. Ask me about:\n\n{topics}'))
    .write('data/kb/bath.md', entry({ intent: 'bath', title: 'How do I bathe?', origin: 'public-guidance', sources: '[src-one]', followUps: '[alpha, beta]', escalation: 'none', reviewed: '2026-01-15' }))
    .write('intents/bath.txt', lines('bath', 25))
    .write('intents/when-off/care/out-of-scope.txt', 'bath wording 1\n');
}

describe('content packs', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = new Tree();
  });
  afterEach(() => tree.dispose());

  it('with the pack on: its answer, its follow-up from the article and its topic are there', () => {
    const content = loadContent(withPack(tree, true).root, { today: TODAY });
    expect(content.entries.get('bath')?.origin).to.equal('public-guidance');
    expect(content.entries.get('alpha')?.followUps).to.deep.equal(['beta', 'bath', 'hello']);
    expect(content.training.get('out-of-scope')).to.not.include('bath wording 1');
    expect(content.entries.get('hello')?.answer).to.include('- Alpha things\n- Bathing');
  });

  it('with CONTENT_PACKS=none: the pack leaves no trace and its taken-over lines go back', () => {
    const content = loadContent(withPack(tree, true).root, { today: TODAY, packs: parseContentPacks('none') });
    expect(content.catalog.map((i) => i.id)).to.not.include('bath');
    expect(content.entries.has('bath')).to.equal(false);
    expect(content.training.has('bath')).to.equal(false);
    expect(content.entries.get('alpha')?.followUps).to.deep.equal(['beta', 'hello']);
    expect(content.training.get('out-of-scope')).to.include('bath wording 1');
    expect(content.entries.get('hello')?.answer).to.include('- Alpha things').and.not.include('Bathing');
  });

  it('measures a held-out when-off line against its article intent only while the pack is off', () => {
    withPack(tree, true).write('intents/held-out/when-off/care/alpha.txt', 'how do i bathe a baby with alpha\n');
    expect(loadContent(tree.root, { today: TODAY }).heldOut.get('alpha') ?? []).to.not.include('how do i bathe a baby with alpha');
    const off = loadContent(tree.root, { today: TODAY, packs: parseContentPacks('none') });
    expect(off.heldOut.get('alpha')).to.include('how do i bathe a baby with alpha');
    expect(off.training.get('alpha')).to.not.include('how do i bathe a baby with alpha');
  });

  it('stops start-up when a held-out when-off line is a line the model learns while the pack is off', () => {
    withPack(tree, true).write('intents/held-out/when-off/care/out-of-scope.txt', 'bath wording 1\n');
    expect(() => loadContent(tree.root, { today: TODAY }))
      .to.throw(ContentErrors)
      .with.property('message')
      .that.matches(/intents\/held-out\/when-off\/care\/out-of-scope\.txt.*line 1.*training line of "out-of-scope" while the pack is off/);
  });

  it("follows the catalog's enabled when CONTENT_PACKS is unset, and CONTENT_PACKS overrides it", () => {
    withPack(tree, false);
    expect(loadContent(tree.root, { today: TODAY }).entries.has('bath')).to.equal(false);
    expect(loadContent(tree.root, { today: TODAY, packs: parseContentPacks('care') }).entries.has('bath')).to.equal(true);
  });

  it('stops start-up naming CONTENT_PACKS when it names a pack the catalog does not have', () => {
    withPack(tree, true);
    expect(() => loadContent(tree.root, { today: TODAY, packs: ['caer'] }))
      .to.throw(ContentErrors)
      .with.property('message')
      .that.includes('field "CONTENT_PACKS": names "caer"');
  });

  it('refuses a pack answer without its origin, and a public-guidance answer citing a source without a url', () => {
    withPack(tree, true)
      .write('data/kb/bath.md', entry({ intent: 'bath', title: 'How do I bathe?', sources: '[src-two]', followUps: '[alpha, beta]', escalation: 'none', reviewed: '2026-01-15' }))
      .write('data/sources.yaml', 'src-one:\n  title: One\n  citation: One.\n  url: https://example.org/one\n  terms: []\nsrc-two:\n  title: Two\n  citation: Two.\n  terms: []\n');
    expect(() => loadContent(tree.root, { today: TODAY }))
      .to.throw(ContentErrors)
      .with.property('message')
      .that.includes('data/kb/bath.md: entry "bath", field "origin": is missing');
  });

  it('refuses a topic promised from an intent of another optional pack', () => {
    withPack(tree, true);
    const catalog = tree.read('data/catalog.yaml').replace('intents: [alpha] }', 'intents: [alpha, bath] }');
    tree.write('data/catalog.yaml', catalog);
    expect(() => loadContent(tree.root, { today: TODAY }))
      .to.throw(ContentErrors)
      .with.property('message')
      .that.includes('"bath" belongs to the optional pack "care"');
  });
});
