import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ContentError, ContentErrors } from '../../src/content/errors.js';
import { loadDermatologistCues, DEFAULT_CUES_FILE } from '../../src/triage/dermatologist.js';
import { DEFAULT_RED_FLAGS_FILE, loadRedFlagRules, triage } from '../../src/triage/index.js';
import { displayName } from '../../src/triage/ruleFile.js';

type RuleFileShape = { language: Record<string, unknown>; concepts: Record<string, string[]>; rules: Record<string, unknown>[] };

describe('rule files', () => {
  let dir: string;
  const original = yaml.load(readFileSync(DEFAULT_RED_FLAGS_FILE, 'utf8')) as RuleFileShape;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'red-flags-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The real red-flag file, changed by `edit`, written to a temporary folder. */
  function write(edit: (f: RuleFileShape) => void, text?: string): string {
    const copy = structuredClone(original);
    edit(copy);
    const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text ?? yaml.dump(copy));
    return file;
  }

  function problem(file: string): ContentError {
    try {
      loadRedFlagRules(file);
    } catch (e) {
      if (e instanceof ContentError) return e;
      throw e;
    }
    throw new Error('the file loaded without complaint');
  }

  /** Every problem reported for the file, as "entry / field: problem" lines. */
  function problems(file: string): string[] {
    const e = problem(file);
    expect(e).to.be.instanceOf(ContentErrors);
    return (e as ContentErrors).problems.map((p) => `${p.entry} / ${p.field}: ${p.problem}`);
  }

  const rule = (f: RuleFileShape, id: string) => f.rules.find((r) => r.id === id)!;

  it('loads the shipped files', () => {
    expect(loadRedFlagRules().rules.length).to.be.at.least(10);
    expect(loadDermatologistCues(DEFAULT_CUES_FILE).rules.length).to.be.at.least(8);
  });

  it('a clinician can add a red flag without touching code', () => {
    const file = write((f) => {
      f.concepts['seizure'] = ['seizure', 'fit', 'convulsing'];
      f.rules.push({
        id: 'seizure',
        level: 'emergency',
        reason: 'A seizure needs emergency help right away.',
        patterns: ['{seizure}'],
        examples: ['my son is having a seizure'],
        nonExamples: ['he has never had a seizure'],
      });
    });
    const rules = loadRedFlagRules(file);
    expect(triage('my daughter is convulsing', rules)?.ruleId).to.equal('seizure');
    expect(triage('she has never had a seizure', rules)).to.equal(null);
  });

  it('refuses to start when a red flag the product promises to catch is deleted or lowered', () => {
    const deleted = write((f) => (f.rules = f.rules.filter((r) => r.id !== 'breathing-difficulty')));
    expect(problems(deleted)).to.deep.equal([
      'breathing-difficulty / id: is required: it catches trouble breathing, which the bot must always answer with emergency advice; change its patterns or examples instead of removing it',
    ]);
    const lowered = write((f) => (rule(f, 'leg-blood-clot').level = 'urgent'));
    expect(problems(lowered)).to.include('leg-blood-clot / level: must stay "emergency": it catches a swollen, painful leg on a JAK inhibitor (a clot)');
  });

  it('reports a required red flag with a broken field once, not again as missing', () => {
    expect(problems(write((f) => (rule(f, 'chest-pain').level = 'soon')))).to.have.length(1);
  });

  it('refuses a list item indented more than the one above it, which YAML would fold into one long example', () => {
    const text = readFileSync(DEFAULT_RED_FLAGS_FILE, 'utf8').replace(/^ {6}- I can't breathe$/m, "     - I can't breathe");
    const at = text.split('\n').findIndex((l) => l === "     - I can't breathe") + 2;
    expect(problems(write(() => undefined, text))).to.deep.equal([
      `- / (file): line ${at} is indented more than the list item above it (line ${at - 1}), so YAML reads the two as one item; give every "- " of a list the same indentation`,
    ]);
  });

  it('names the file, the rule and the field when a reason is missing', () => {
    const e = problem(write((f) => delete rule(f, 'chest-pain').reason));
    expect(e.file).to.match(/rules-.*\.yaml$/);
    expect(e.entry).to.equal('chest-pain');
    expect(e.field).to.equal('reason');
  });

  it('rejects a reason of several sentences', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').reason = 'Chest pain is serious. Call now.')));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'reason']);
    expect(e.problem).to.match(/one sentence/);
  });

  it('rejects an unknown level', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').level = 'soon')));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'level']);
  });

  it('says what a yes/no option and a number should be, in words a clinician can act on', () => {
    const file = write((f) => {
      (rule(f, 'chest-pain') as Record<string, unknown>).onlyPersonal = 'yes';
      ((f.language as Record<string, Record<string, unknown>>).negation!).window = 0;
    });
    expect(problems(file)).to.include.members(['chest-pain / onlyPersonal: "yes" should be true or false', 'language / negation.window: 0 should be at least 1']);
  });

  it('rejects a pattern that names a concept nobody defined', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').patterns = ['{chest} ~3 {agony}'])));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'patterns']);
    expect(e.problem).to.contain('{agony}');
  });

  it('rejects a malformed distance', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').patterns = ['{chest} ~ {pain}'])));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'patterns']);
  });

  it('refuses to start when a rule misses its own example', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').examples = ['my chest feels fine but my toe hurts badly'])));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'examples']);
  });

  it('refuses to start when a rule fires on one of its non-examples', () => {
    const e = problem(write((f) => (rule(f, 'chest-pain').nonExamples = ['chest pain'])));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'nonExamples']);
  });

  it('rejects two rules with the same id', () => {
    const e = problem(write((f) => f.rules.push({ ...rule(f, 'chest-pain') })));
    expect([e.entry, e.field]).to.deep.equal(['chest-pain', 'id']);
  });

  it('rejects lowering an urgent rule to urgent in general questions', () => {
    const e = problem(write((f) => (rule(f, 'infection-pus').inGeneralQuestion = 'urgent')));
    expect([e.entry, e.field]).to.deep.equal(['infection-pus', 'inGeneralQuestion']);
  });

  it('names the language settings when a negation list is missing', () => {
    const e = problem(write((f) => delete (f.language.negation as Record<string, unknown>).cues));
    expect(e.entry).to.equal('language');
    expect(e.field).to.equal('negation.cues');
  });

  it('names the concept when an exact-match concept does not exist', () => {
    const e = problem(write((f) => ((f.language.fuzzy as Record<string, unknown>).exactConcepts = ['nonsense'])));
    expect([e.entry, e.field]).to.deep.equal(['language', 'fuzzy.exactConcepts']);
  });

  it('reports a file that is not YAML, with its line, like the content files', () => {
    const e = problem(write(() => {}, 'rules: [\n  - id: x\n'));
    expect([e.entry, e.field]).to.deep.equal(['-', '(file)']);
    expect(e.problem).to.match(/^is not valid YAML: .*\(line \d+\)$/);
  });

  it('points at the line where an unclosed quote opens', () => {
    const lines = yaml.dump(original).split('\n');
    // js-yaml quotes a pattern that starts with a {concept}; drop the closing quote of the first one.
    const at = lines.findIndex((l) => /^\s+- '\{.*'$/.test(l));
    expect(at, 'a quoted pattern in the dumped rule file').to.be.greaterThan(0);
    lines[at] = lines[at]!.slice(0, -1);
    const e = problem(write(() => {}, lines.join('\n')));
    expect(e.problem).to.equal(`is not valid YAML: the single quote (') opened on this line is never closed (line ${at + 1})`);
  });

  it('words a misspelt field like the content files: the unknown key, and the one now missing', () => {
    const all = problems(
      write((f) => {
        const r = rule(f, 'breathing-difficulty');
        r.levl = r.level;
        delete r.level;
      }),
    );
    expect(all).to.include('breathing-difficulty / levl: is not a known field (check its spelling)');
    expect(all).to.include('breathing-difficulty / level: is missing (expected one of emergency, urgent)');
  });

  it('names a rule that is not a mapping by its place in the list', () => {
    expect(problems(write((f) => f.rules.push('chest pain' as unknown as Record<string, unknown>)))).to.deep.equal([
      `rules[${original.rules.length}] / (rule): Invalid input: expected object, received string`,
    ]);
  });

  it('says what a wrong value was and what is allowed', () => {
    expect(problems(write((f) => (rule(f, 'chest-pain').level = 'soon')))).to.include('chest-pain / level: "soon" is not one of emergency, urgent');
  });

  it('lists every problem at once: a schema problem in one rule, pattern and example problems in others', () => {
    const all = problems(
      write((f) => {
        delete rule(f, 'breathing-difficulty').level;
        rule(f, 'chest-pain').patterns = ['{dificulty} ~3 {breathing}', '{chest} ~ {pain}'];
        rule(f, 'infection-pus').examples = ['my toe is fine'];
        rule(f, 'infection-pus').inGeneralQuestion = 'urgent';
      }),
    );
    expect(all).to.include('breathing-difficulty / level: is missing (expected one of emergency, urgent)');
    expect(all.filter((p) => p.startsWith('chest-pain / patterns:'))).to.have.length(2);
    expect(all.some((p) => p.startsWith('chest-pain / patterns:') && p.includes('{dificulty}'))).to.equal(true);
    expect(all).to.include('infection-pus / examples: "my toe is fine" should match this rule but does not');
    expect(all.some((p) => p.startsWith('infection-pus / inGeneralQuestion:'))).to.equal(true);
  });

  it('lists problems in several concepts at once, and does not blame the rules that use them', () => {
    const all = problems(
      write((f) => {
        const [first, second] = Object.keys(f.concepts);
        f.concepts[first!] = ['...'];
        f.concepts[second!] = ['!!'];
      }),
    );
    expect(all).to.have.length(2);
    expect(all.every((p) => p.startsWith('concepts / '))).to.equal(true);
  });

  it("prints them in the content files' list format, with the same cap", () => {
    const e = problem(
      write((f) =>
        f.rules.forEach((r) => {
          delete r.reason;
          delete r.patterns;
        }),
      ),
    );
    expect(e.message).to.match(/^\d+ problems in the content files:\n {2}- /);
    expect(e.message).to.match(/… and \d+ more$/);
  });

  it('reports an empty file in the words the content files use', () => {
    const e = problem(write(() => {}, ''));
    expect([e.field, e.problem]).to.deep.equal(['(file)', 'is empty']);
  });

  it('reports a file that does not exist', () => {
    const e = problem(join(dir, 'missing.yaml'));
    expect(e.field).to.equal('(file)');
    expect(e.problem).to.equal('is missing');
  });

  it('names the shipped file relative to the project, as clinicians see it in the repository', () => {
    expect(displayName(DEFAULT_RED_FLAGS_FILE)).to.equal(join('data', 'red-flags.yaml'));
    expect(displayName(DEFAULT_CUES_FILE)).to.equal(join('data', 'dermatologist-cues.yaml'));
  });
});
