import { expect } from 'chai';
import { ContentError, ContentErrors } from '../../src/content/errors.js';
import { OUT_OF_SCOPE } from '../../src/core/types.js';
import { parseYaml } from '../../src/content/yamlFile.js';
import { entry, expectOnlyProblem, expectProblem, Tree } from './tree.js';

describe('loadContent', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = new Tree();
  });
  afterEach(() => tree.dispose());

  describe('a valid tree', () => {
    it('returns the catalog, entries with their kind and file, sources and utterances', () => {
      const content = tree.load();
      expect(content.catalog).to.deep.equal([
        { id: 'alpha', kind: 'faq', pack: 'clinic-article' },
        { id: 'beta', kind: 'faq', pack: 'clinic-article' },
        { id: 'hello', kind: 'conversation', pack: 'clinic-article' },
        { id: 'see-a-dermatologist', kind: 'faq', pack: 'clinic-article' },
      ]);
      const beta = content.entries.get('beta');
      expect(beta).to.include({ intent: 'beta', kind: 'faq', title: 'What is beta?', escalation: 'dermatologist', file: 'data/kb/beta.md' });
      expect(beta?.followUps).to.deep.equal(['alpha', 'hello']);
      expect(content.entries.get('hello')).to.include({ kind: 'conversation' });
      expect(content.entries.get('hello')?.sources).to.deep.equal([]);
      expect(content.sources.get('src-one')).to.deep.include({ title: 'Source one', url: 'https://example.org/one', terms: ['widget', '30%'] });
    });

    it('reads the answer below the front matter', () => {
      tree.write(
        'data/kb/alpha.md',
        entry(
          { intent: 'alpha', title: 'What is alpha?', sources: '[src-one]', followUps: '[beta, hello]', escalation: 'none', reviewed: '2026-01-15' },
          'First paragraph.\n\nSecond paragraph.',
        ),
      );
      expect(tree.load().entries.get('alpha')?.answer).to.equal('First paragraph.\n\nSecond paragraph.');
    });

    it('reads training and held-out utterances, skipping comments and blank lines and trimming spaces', () => {
      tree.write('intents/held-out/beta.txt', '# comment\n\n   what does beta mean   \n');
      const content = tree.load();
      const alpha = content.training.get('alpha') ?? [];
      expect(alpha).to.have.length(25);
      expect(alpha[0]).to.equal('alpha question number 1');
      expect(alpha.some((line) => line.startsWith('#'))).to.equal(false);
      expect(content.training.get(OUT_OF_SCOPE)).to.have.length(200);
      expect(content.heldOut.get('beta')).to.deep.equal(['what does beta mean']);
      expect(content.heldOut.get('alpha')).to.deep.equal(['tell me about alpha please']);
    });
  });

  describe('trainingHash', () => {
    it('changes when a training utterance changes', () => {
      const before = tree.load().trainingHash;
      tree.edit('intents/beta.txt', 'beta question number 7', 'beta question number seven');
      expect(tree.load().trainingHash).to.not.equal(before);
    });

    it('changes when an out-of-scope example changes', () => {
      const before = tree.load().trainingHash;
      tree.edit('intents/out-of-scope.txt', 'unrelated question number 3\n', 'what is the weather today\n');
      expect(tree.load().trainingHash).to.not.equal(before);
    });

    it('stays the same for comments, blank lines, line order, answers and held-out edits', () => {
      const before = tree.load().trainingHash;
      const shuffled = tree.read('intents/beta.txt').trim().split('\n').reverse().join('\n');
      tree.write('intents/beta.txt', `# reordered\n\n${shuffled}\n\n`);
      tree.write('intents/held-out/alpha.txt', 'tell me about alpha please\nanother held out alpha line\n');
      tree.edit('data/kb/alpha.md', 'A short answer in plain words.', 'A different short answer.');
      expect(tree.load().trainingHash).to.equal(before);
    });
  });

  describe('files saved the way Windows editors save them', () => {
    it('reads an answer with Windows line endings without a stray "\\r" reaching patients', () => {
      tree.write('data/kb/alpha.md', tree.read('data/kb/alpha.md').replace('A short answer in plain words.', 'First line.\n\nSecond line.').replace(/\n/g, '\r\n'));
      expect(tree.load().entries.get('alpha')?.answer).to.equal('First line.\n\nSecond line.');
    });

    it('refuses an answer saved as UTF-16 ("Unicode"), saying so instead of blaming its first line', () => {
      const text = tree.read('data/kb/alpha.md');
      tree.write('data/kb/alpha.md', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      expectOnlyProblem(tree.problems(), { file: 'data/kb/alpha.md', entry: 'alpha', field: '(file)', problem: /saved as UTF-16.*save it as UTF-8/ });
    });

    it('refuses an utterance file saved as UTF-16 once, not again as missing', () => {
      tree.write('intents/alpha.txt', Buffer.from(tree.read('intents/alpha.txt'), 'utf16le'));
      expectOnlyProblem(tree.problems(), { file: 'intents/alpha.txt', entry: 'alpha', field: '(file)', problem: /saved as UTF-16/ });
    });

    it('refuses an answer saved as ANSI, naming the line, instead of showing patients "caf\uFFFD"', () => {
      const text = tree.read('data/kb/alpha.md').replace('A short answer in plain words.', 'A short answer.\nA caf\u00e9 word.');
      tree.write('data/kb/alpha.md', Buffer.from(text, 'latin1'));
      expectOnlyProblem(tree.problems(), { file: 'data/kb/alpha.md', entry: 'alpha', field: '(file)', problem: /line 10 has characters that are not UTF-8/ });
    });
  });

  describe('reports', () => {
    it('a note left for the writer ("TODO") in an answer or a title, which patients would read as written', () => {
      tree.edit('data/kb/alpha.md', 'A short answer in plain words.', 'TODO');
      tree.edit('data/kb/beta.md', 'title: What is beta?', 'title: What is beta? (TBD)');
      const problems = tree.problems();
      expectProblem(problems, { file: 'data/kb/alpha.md', entry: 'alpha', field: 'answer', problem: /contains "TODO", which looks like a note/ });
      expectProblem(problems, { file: 'data/kb/beta.md', entry: 'beta', field: 'answer', problem: /contains "TBD"/ });
    });

    it('an answer file whose real name ends in .txt (Windows hides it), once: not again as missing', () => {
      tree.write('data/kb/alpha.md.txt', tree.read('data/kb/alpha.md')).remove('data/kb/alpha.md');
      expectOnlyProblem(tree.problems(), { file: 'data/kb/alpha.md.txt', entry: 'alpha', field: '(file)', problem: /must end in \.md; rename it to alpha\.md/ });
    });

    it('an id in curly quotes (a word processor\'s), once: not again for the files named after it', () => {
      tree.edit('data/catalog.yaml', '{ id: beta, kind: faq }', '{ id: \u201cbeta\u201d, kind: faq }');
      expectOnlyProblem(tree.problems(), { file: 'data/catalog.yaml', entry: '\u201cbeta\u201d', field: 'id', problem: /has curly quotes/ });
    });

    it('a colon inside a title, with the quoted line to write instead of a complaint about indentation', () => {
      tree.edit('data/kb/alpha.md', 'title: What is alpha?', 'title: Alpha: what is it?');
      expectOnlyProblem(tree.problems(), {
        file: 'data/kb/alpha.md',
        entry: 'alpha',
        field: '(file)',
        problem: /\(line 3\); a value that contains ": " needs quotes around it: title: "Alpha: what is it\?"$/,
      });
    });

    it('an answer file for out-of-scope, which is declined and never answered', () => {
      tree.write('data/kb/out-of-scope.md', tree.read('data/kb/alpha.md').replace('intent: alpha', 'intent: out-of-scope'));
      expectOnlyProblem(tree.problems(), { file: 'data/kb/out-of-scope.md', entry: 'out-of-scope', field: '(file)', problem: /declined, never answered.*delete it/ });
    });

    it('a misspelt source or follow-up, with the id it probably meant', () => {
      tree.edit('data/kb/beta.md', 'sources: [src-one]', 'sources: [src-onee]');
      tree.edit('data/kb/beta.md', 'followUps: [alpha, hello]', 'followUps: [aplha, hello]');
      const problems = tree.problems();
      expectProblem(problems, { file: 'data/kb/beta.md', entry: 'beta', field: 'sources', problem: /"src-onee" is not in data\/sources\.yaml \(did you mean "src-one"\?\)/ });
      expectProblem(problems, { file: 'data/kb/beta.md', entry: 'beta', field: 'followUps', problem: /"aplha" is not an intent .* \(did you mean "alpha"\?\)/ });
    });

    it('leaves backups, system files and folders in data/kb alone', () => {
      tree.write('data/kb/alpha.md~', 'x').write('data/kb/alpha.md.bak', 'x').write('data/kb/Thumbs.db', 'x').write('data/kb/retired/old.md', 'x');
      expect(tree.problems()).to.deep.equal([]);
    });

    it('a field left empty, in words a clinician reads', () => {
      tree.edit('data/kb/alpha.md', 'title: What is alpha?', 'title:');
      expectProblem(tree.problems(), { file: 'data/kb/alpha.md', entry: 'alpha', field: 'title', problem: /^is empty$/ });
    });

    it('a catalog intent without a knowledge-base entry', () => {
      tree.remove('data/kb/beta.md');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: '(file)', problem: /missing/ });
    });

    it('an entry file with no catalog intent', () => {
      tree.write('data/kb/gamma.md', tree.read('data/kb/beta.md').replace('intent: beta', 'intent: gamma'));
      expectProblem(tree.problems(), { file: 'data/kb/gamma.md', entry: 'gamma', field: '(file)', problem: /no intent "gamma" in data\/catalog\.yaml/ });
    });

    it('an entry whose intent does not match its file name', () => {
      tree.edit('data/kb/beta.md', 'intent: beta', 'intent: alpha');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'intent', problem: /"alpha".*beta\.md/ });
    });

    it('an entry without front matter', () => {
      tree.write('data/kb/beta.md', 'Just an answer, no fields.\n');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: '(front matter)', problem: /must start with a line "---"/ });
    });

    it('an unclosed quote in the front matter, at the line where the quote opens', () => {
      tree.edit('data/kb/beta.md', 'title: What is beta?', 'title: "What is beta?');
      expectProblem(tree.problems(), {
        file: 'data/kb/beta.md',
        entry: 'beta',
        field: '(file)',
        problem: /^is not valid YAML: the double quote \(".*\) opened on this line is never closed \(line 3\)$/,
      });
      tree.edit('data/kb/beta.md', 'title: "What is beta?', "title: 'What is beta?");
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: '(file)', problem: /single quote .* never closed \(line 3\)$/ });
    });

    it('an unclosed quote in a YAML file, at the line where the quote opens', () => {
      tree.edit('data/sources.yaml', 'title: Source one', 'title: "Source one');
      expectProblem(tree.problems(), { file: 'data/sources.yaml', entry: '-', field: '(file)', problem: /double quote .* never closed \(line 2\)$/ });
    });

    it('an unclosed quote it cannot place: says a quote opened earlier, within the front matter lines of the file', () => {
      // Closing the quote on its line still leaves the bracket open, so the parser gets no further and the line
      // cannot be vouched for.
      tree.edit('data/kb/beta.md', 'followUps: [alpha, hello]', 'followUps: [alpha,"hello]');
      expectProblem(tree.problems(), {
        file: 'data/kb/beta.md',
        entry: 'beta',
        field: '(file)',
        problem: /a quote opened earlier is not closed.*lines 2–7/,
      });
    });

    it('front matter that is not valid YAML, with the line in the file', () => {
      tree.edit('data/kb/beta.md', 'title: What is beta?', 'title: [What is beta?');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: '(file)', problem: /not valid YAML.*line \d+/ });
    });

    it('a misspelt front-matter field', () => {
      tree.edit('data/kb/beta.md', 'followUps:', 'followups:');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'followups', problem: /not a known field/ });
    });

    it('a missing required field', () => {
      tree.edit('data/kb/beta.md', /escalation: .*\n/, '');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'escalation', problem: /missing/ });
    });

    it('an escalation level that does not exist', () => {
      tree.edit('data/kb/beta.md', 'escalation: dermatologist', 'escalation: emergency');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'escalation', problem: /dermatologist/ });
    });

    it('a FAQ entry without sources', () => {
      tree.edit('data/kb/beta.md', 'sources: [src-one]', 'sources: []');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'sources', problem: /at least one source/ });
    });

    it('a source id that is not in the registry', () => {
      tree.edit('data/kb/beta.md', 'sources: [src-one]', 'sources: [src-one, src-two]');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'sources', problem: /"src-two" is not in data\/sources\.yaml/ });
    });

    it('a follow-up that is not a catalog intent', () => {
      tree.edit('data/kb/beta.md', 'followUps: [alpha, hello]', 'followUps: [alpha, helo]');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'followUps', problem: /"helo" is not an intent/ });
    });

    it('an entry offering itself as a follow-up', () => {
      tree.edit('data/kb/beta.md', 'followUps: [alpha, hello]', 'followUps: [alpha, beta]');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'followUps', problem: /itself/ });
    });

    it('a FAQ entry with fewer than two or more than three follow-ups', () => {
      tree.edit('data/kb/beta.md', 'followUps: [alpha, hello]', 'followUps: [alpha]');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'followUps', problem: /has 1; .*2 to 3/ });
    });

    it('a review date that does not exist on the calendar', () => {
      tree.edit('data/kb/beta.md', 'reviewed: 2026-01-15', 'reviewed: 2026-02-30');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'reviewed', problem: /2026-02-30 is not a real calendar date/ });
    });

    it('a review date written another way', () => {
      tree.edit('data/kb/beta.md', 'reviewed: 2026-01-15', 'reviewed: 15/01/2026');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'reviewed', problem: /YYYY-MM-DD/ });
    });

    it('a review date in the future, and accepts today', () => {
      tree.edit('data/kb/beta.md', 'reviewed: 2026-01-15', 'reviewed: 2026-11-27');
      expectProblem(tree.problems('2026-11-26'), { file: 'data/kb/beta.md', entry: 'beta', field: 'reviewed', problem: /in the future/ });
      expect(tree.problems('2026-11-27')).to.deep.equal([]);
    });

    it('an answer over 150 words', () => {
      tree.edit('data/kb/beta.md', 'A short answer in plain words.', Array.from({ length: 151 }, () => 'word').join(' '));
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'answer', problem: /151 words; the limit is 150/ });
    });

    it('an empty answer', () => {
      tree.edit('data/kb/beta.md', 'A short answer in plain words.\n', '');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'answer', problem: /empty/ });
    });

    it('an unknown placeholder in a conversation answer, and any placeholder in a FAQ answer', () => {
      tree.edit('data/kb/hello.md', '{clinicPhone}', '{clinicphone}');
      tree.edit('data/kb/beta.md', 'A short answer in plain words.', 'Call {clinicPhone}.');
      const problems = tree.problems();
      expectProblem(problems, { file: 'data/kb/hello.md', entry: 'hello', field: 'answer', problem: /\{clinicphone\} is not a known placeholder/ });
      expectProblem(problems, { file: 'data/kb/beta.md', entry: 'beta', field: 'answer', problem: /only for conversation answers/ });
    });

    it('a catalog intent listed twice, and one with an unknown kind', () => {
      tree.write('data/catalog.yaml', 'intents:\n  - { id: alpha, kind: faq }\n  - { id: alpha, kind: faq }\n  - { id: beta, kind: faqs }\n  - { id: hello, kind: conversation }\n');
      const problems = tree.problems();
      expectProblem(problems, { file: 'data/catalog.yaml', entry: 'alpha', field: 'id', problem: /more than once/ });
      expectProblem(problems, { file: 'data/catalog.yaml', entry: 'beta', field: 'kind', problem: /faq/ });
    });

    it('out-of-scope written into the catalog', () => {
      tree.edit('data/catalog.yaml', '  - { id: hello, kind: conversation }', '  - { id: hello, kind: conversation }\n  - { id: out-of-scope, kind: faq }');
      expectProblem(tree.problems(), { file: 'data/catalog.yaml', entry: 'out-of-scope', field: 'id', problem: /built-in label/ });
    });

    it('a catalog without the dermatologist-visit answer, even when its files went with it', () => {
      tree.edit('data/catalog.yaml', '  - { id: see-a-dermatologist, kind: faq }\n', '');
      tree.remove('data/kb/see-a-dermatologist.md');
      tree.remove('intents/see-a-dermatologist.txt');
      expectOnlyProblem(tree.problems(), { file: 'data/catalog.yaml', entry: 'see-a-dermatologist', field: 'id', problem: /is required: the bot gives this answer when/ });
    });

    it('the dermatologist-visit answer turned into an uncited conversation line', () => {
      tree.edit('data/catalog.yaml', '{ id: see-a-dermatologist, kind: faq }', '{ id: see-a-dermatologist, kind: conversation }');
      expectProblem(tree.problems(), { file: 'data/catalog.yaml', entry: 'see-a-dermatologist', field: 'kind', problem: /must be faq/ });
    });

    it('a source without a citation, and a source URL that is not a web address', () => {
      tree.write(
        'data/sources.yaml',
        tree.read('data/sources.yaml') + 'src-two:\n  title: Two\n  url: nationaleczema.org\n  terms: []\n',
      );
      const problems = tree.problems();
      expectProblem(problems, { file: 'data/sources.yaml', entry: 'src-two', field: 'citation', problem: /missing/ });
      expectProblem(problems, { file: 'data/sources.yaml', entry: 'src-two', field: 'url', problem: /https:\/\// });
    });

    it('a registry that is not valid YAML, once: not again for every answer citing a source it could not read', () => {
      tree.write('data/sources.yaml', 'src-one:\n  title: "unclosed\n');
      expectOnlyProblem(tree.problems(), { file: 'data/sources.yaml', entry: '-', field: '(file)', problem: /not valid YAML/ });
    });

    it('an invalid source once, not again as "not in data/sources.yaml" in the answers citing it', () => {
      tree.edit('data/sources.yaml', / {2}citation: .*\n/, '');
      expectOnlyProblem(tree.problems(), { file: 'data/sources.yaml', entry: 'src-one', field: 'citation', problem: /missing/ });
    });

    it('still names a cited source that is really absent when the registry has other problems', () => {
      tree.edit('data/sources.yaml', / {2}citation: .*\n/, '');
      tree.edit('data/kb/beta.md', 'sources: [src-one]', 'sources: [src-one, src-two]');
      expectProblem(tree.problems(), { file: 'data/kb/beta.md', entry: 'beta', field: 'sources', problem: /"src-two" is not in data\/sources\.yaml/ });
    });

    it('a catalog that is not valid YAML, once: not again for every answer and utterance file', () => {
      tree.write('data/catalog.yaml', 'intents:\n  - { id: alpha, kind: "faq }\n');
      expectOnlyProblem(tree.problems(), { file: 'data/catalog.yaml', entry: '-', field: '(file)', problem: /not valid YAML/ });
    });

    it('an invalid catalog line once, not again as an unknown intent in its own files', () => {
      tree.edit('data/catalog.yaml', '{ id: beta, kind: faq }', '{ id: beta, kind: faqs }');
      expectOnlyProblem(tree.problems(), { file: 'data/catalog.yaml', entry: 'beta', field: 'kind', problem: /faq/ });
    });

    it('a missing training file, named by the intent it should teach', () => {
      tree.remove('intents/hello.txt');
      expectProblem(tree.problems(), { file: 'intents/hello.txt', entry: 'hello', field: '(file)', problem: /missing: a conversation intent needs at least 10/ });
    });

    it('a typo in an utterance file name, with the id it probably meant', () => {
      tree.write('intents/aplha.txt', 'what is alpha exactly\n');
      expectProblem(tree.problems(), { file: 'intents/aplha.txt', entry: 'aplha', field: '(file)', problem: /no intent "aplha".*did you mean "alpha\.txt"/ });
    });

    it('a held-out file that names no intent', () => {
      tree.write('intents/held-out/zeta.txt', 'what is zeta\n');
      expectProblem(tree.problems(), { file: 'intents/held-out/zeta.txt', entry: 'zeta', field: '(file)', problem: /no intent "zeta"/ });
    });

    it('too few training utterances for a FAQ intent, a conversation intent and out-of-scope', () => {
      tree.edit('intents/beta.txt', 'beta question number 25\n', '');
      tree.edit('intents/hello.txt', 'hello question number 10\n', '');
      tree.edit('intents/out-of-scope.txt', 'unrelated question number 200\n', '');
      const problems = tree.problems();
      expectProblem(problems, { file: 'intents/beta.txt', entry: 'beta', field: 'utterances', problem: /has 24 .*FAQ intent needs at least 25/ });
      expectProblem(problems, { file: 'intents/hello.txt', entry: 'hello', field: 'utterances', problem: /has 9 .*at least 10/ });
      expectProblem(problems, { file: 'intents/out-of-scope.txt', entry: OUT_OF_SCOPE, field: 'utterances', problem: /has 199 .*at least 200/ });
    });

    it('the same utterance under two intents, ignoring case, spacing and punctuation', () => {
      tree.write('intents/beta.txt', tree.read('intents/beta.txt') + '  ALPHA   question number 3?\n');
      expectProblem(tree.problems(), { file: 'intents/beta.txt', entry: 'beta', field: 'line 26', problem: /also an utterance of "alpha" \(intents\/alpha\.txt line 5\)/ });
    });

    it('a held-out line that repeats a training line', () => {
      tree.write('intents/held-out/alpha.txt', 'tell me about alpha please\nAlpha question number 2\n');
      expectProblem(tree.problems(), { file: 'intents/held-out/alpha.txt', entry: 'alpha', field: 'line 2', problem: /also a training line \(intents\/alpha\.txt line 4\)/ });
    });

    it('a held-out line that is a training line of another intent', () => {
      tree.write('intents/held-out/alpha.txt', 'beta question number 1\n');
      expectProblem(tree.problems(), { file: 'intents/held-out/alpha.txt', entry: 'alpha', field: 'line 1', problem: /also an utterance of "beta"/ });
    });

    it('a line repeated within one file', () => {
      tree.write('intents/hello.txt', tree.read('intents/hello.txt') + 'hello question number 1\n');
      expectProblem(tree.problems(), { file: 'intents/hello.txt', entry: 'hello', field: 'line 11', problem: /repeats line 1 of the same file/ });
    });
  });

  describe('the error it throws', () => {
    it('lists every problem, one per line, each naming file, entry and field', () => {
      tree.edit('data/kb/beta.md', 'escalation: dermatologist', 'escalation: soon');
      tree.write('intents/dupilumb.txt', 'what is dupilumab\n');
      let thrown: unknown;
      try {
        tree.load();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(ContentErrors);
      expect(thrown).to.be.instanceOf(ContentError);
      const error = thrown as ContentErrors;
      expect(error.problems).to.have.length(2);
      expect(error.message.split('\n')).to.have.length(3);
      expect(error.message).to.match(/^2 problems in the content files:/);
      expect(error.message).to.include('data/kb/beta.md: entry "beta", field "escalation"');
      expect(error.message).to.include('intents/dupilumb.txt: entry "dupilumb", field "(file)"');
    });

    it('keeps a long list readable by summarising beyond the first 40', () => {
      tree.write('intents/hello.txt', Array.from({ length: 60 }, () => 'hi').join('\n'));
      const problems = tree.problems();
      expect(problems).to.have.length(59);
      expect(new ContentErrors(problems).message).to.match(/… and 19 more$/);
    });
  });
});

describe('a list item indented more than the one above', () => {
  const problemsOf = (text: string) => {
    const problems: ContentError[] = [];
    parseYaml(text, 'f.yaml', '-', problems);
    return problems.map((p) => p.problem);
  };

  it('is refused even across a blank line, naming both lines', () => {
    expect(problemsOf("examples:\n  - I can't breathe\n\n    - my lips are blue\n")).to.deep.equal([
      'line 4 is indented more than the list item above it (line 2), so YAML reads the two as one item; give every "- " of a list the same indentation',
    ]);
  });

  it('is valid YAML left alone under a nested list, a mapping item or a block of text', () => {
    for (const text of ['- - a\n  - b\n', '- any of:\n    - a\n', '- café:\n    - a\n', 'note: |\n  - a\n    - b\n']) {
      expect(problemsOf(text), text).to.deep.equal([]);
    }
  });
});
