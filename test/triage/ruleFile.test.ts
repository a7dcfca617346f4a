import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ContentError } from '../../src/content/errors.js';
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

  it('reports a file that is not YAML', () => {
    const e = problem(write(() => {}, 'rules: [\n  - id: x\n'));
    expect(e.field).to.equal('(yaml)');
  });

  it('reports a file that does not exist', () => {
    const e = problem(join(dir, 'missing.yaml'));
    expect(e.field).to.equal('(file)');
    expect(e.problem).to.match(/cannot be read/);
  });

  it('names the shipped file relative to the project, as clinicians see it in the repository', () => {
    expect(displayName(DEFAULT_RED_FLAGS_FILE)).to.equal(join('data', 'red-flags.yaml'));
    expect(displayName(DEFAULT_CUES_FILE)).to.equal(join('data', 'dermatologist-cues.yaml'));
  });
});
