import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadNluConfig, NluConfigError, parseNluConfig, trainModel, type NluConfig } from '../../src/nlu/index.js';
import { countFeatures, type BayesOptions } from '../../src/nlu/bayes.js';
import { DEFAULT_CONFIG_FILE } from '../../src/nlu/config.js';
import { normalise } from '../../src/nlu/text.js';
import { SYNTHETIC } from './fixtures.js';

/** How a question is read: names that mean the same, numbers, misspellings, and how training weighs examples. */
const shipped = loadNluConfig();

function withSynonyms(synonyms: NluConfig['text']['synonyms']): NluConfig {
  return { ...shipped, text: { ...shipped.text, synonyms } };
}

describe('reading a question', () => {
  it('reads "atopic dermatitis" and "atopic eczema" as the word the training data uses', () => {
    const model = trainModel(SYNTHETIC, { config: withSynonyms({ eczema: ['atopic dermatitis', 'atopic eczema'] }) });
    for (const text of ['what triggers atopic dermatitis flares', 'what triggers Atopic Eczema flares']) {
      expect(model.prepare(text).words, text).to.deep.equal(['what', 'triggers', 'eczema', 'flares']);
      const same = model.classify('what triggers eczema flares');
      model.classify(text).forEach((r, i) => expect(r.confidence, text).to.be.closeTo(same[i].confidence, 1e-9));
    }
    // Only the whole phrase counts: "dermatitis" on its own is another condition's name.
    expect(model.prepare('contact dermatitis').words).to.deep.equal(['contact', 'dermatitis']);
  });

  it('matches synonym phrases after spelling correction, through the fast path and the plain one alike', () => {
    const training = new Map([...SYNTHETIC, ['triggers', [...(SYNTHETIC.get('triggers') ?? []), 'is atopic skin dry', 'what does dermatitis mean']]]);
    const model = trainModel(training, { config: withSynonyms({ eczema: ['atopic dermatitis'] }) });
    const text = 'does wool make atopic dermatitus worse';
    expect(model.prepare(text).words).to.deep.equal(['does', 'wool', 'make', 'eczema', 'worse']);
    const fast = model.classify(text);
    model.classifyPlain(text).forEach((r, i) => expect(fast[i].confidence).to.be.closeTo(r.confidence, 1e-9));
  });

  it('finds a phrase whether a word is read as written or as corrected, and drops stop words from phrases the model drops', () => {
    const model = trainModel(SYNTHETIC, { config: withSynonyms({ detergents: ['harsh soaps'] }) });
    // "soaps" is not a training word and spelling correction reads it as "soap"; the phrase is still found.
    expect(model.prepare('soaps').words).to.deep.equal(['soap']);
    expect(model.prepare('can harsh soaps trigger a flare').words).to.deep.equal(['can', 'detergents', 'trigger', 'a', 'flare']);
    expect(model.analyse('can harsh soaps trigger a flare').ranking[0]?.intent).to.equal(model.classifyPlain('can harsh soaps trigger a flare')[0]?.intent);
    const dropping = { ...shipped, text: { ...shipped.text, removeStopWords: true, synonyms: { eczema: ['the itchy rash'] } } };
    expect(trainModel(SYNTHETIC, { config: dropping }).prepare('does wool make the itchy rash worse').words).to.deep.equal(['wool', 'make', 'eczema', 'worse']);
  });

  it('takes the word a phrase stands for as it is, in the fast path as in the plain one', () => {
    // "stereoids" is one edit from nothing the model knows; it must not be "corrected" on one path only.
    const model = trainModel(SYNTHETIC, { config: withSynonyms({ stereoids: ['steroid creams'] }) });
    const fast = model.analyse('steroid creams');
    const plain = model.prepare('steroid creams');
    expect(fast.hasKnownWord).to.equal(plain.hasKnownWord);
    model.classifyPlain('steroid creams').forEach((r, i) => expect(fast.ranking[i]?.confidence).to.be.closeTo(r.confidence, 1e-9));
  });

  it('refuses a synonym entry it could never use, naming the field', () => {
    for (const synonyms of [{ Eczema: ['atopic dermatitis'] }, { 'atopic eczema': ['atopic dermatitis'] }, { eczema: ['--'] }, { eczema: ['atopic dermatitis'], ad: ['Atopic  Dermatitis'] }]) {
      expect(() => parseNluConfig({ ...shipped, text: { ...shipped.text, synonyms } }), JSON.stringify(synonyms)).to.throw(NluConfigError, /text\.synonyms\./);
    }
  });

  it('refuses, when stop words are dropped, a synonym made only of stop words or standing for one', () => {
    const dropping = (synonyms: NluConfig['text']['synonyms']) => ({ ...shipped, text: { ...shipped.text, removeStopWords: true, synonyms } });
    expect(() => parseNluConfig(dropping({ eczema: ['the'] }))).to.throw(NluConfigError, /text\.synonyms\.eczema": "the" has no word/);
    expect(() => parseNluConfig(dropping({ eczema: ['atopic eczema', 'the atopic eczema'] }))).to.throw(NluConfigError, /already listed/);
    expect(() => parseNluConfig(dropping({ the: ['atopic eczema'] }))).to.throw(NluConfigError, /text\.synonyms\.the/);
  });

  it('names the line of a YAML syntax error in data/nlu.yaml, as the content files do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlu-yaml-'));
    const file = join(dir, 'nlu.yaml');
    writeFileSync(file, 'text:\n  stem: true\nclassifier:\n  variant: "multinomial\n  alpha: 0.1\n');
    expect(() => loadNluConfig(file)).to.throw(NluConfigError, /double quote \("\) opened on this line is never closed \(line 4\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says data/nlu.yaml was saved as UTF-16, as the content files do, and reads it with Windows line endings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlu-yaml-'));
    const file = join(dir, 'nlu.yaml');
    const shippedText = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(shippedText, 'utf16le')]));
    expect(() => loadNluConfig(file)).to.throw(NluConfigError, /saved as UTF-16/);
    writeFileSync(file, shippedText.replace(/\n/g, '\r\n'));
    expect(loadNluConfig(file)).to.deep.equal(shipped);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads version numbers, years and doses as one "number" token, and keeps ages and cytokine names', () => {
    expect(normalise('upgrade from 12.04 to 14.04 in 2016')).to.equal('upgrade from 0 to 0 in 0');
    expect(normalise('my 3 year old, IL-13 and 1,000 units')).to.equal('my 3 year old, il13 and 0 units');
  });

  it('keeps the letters of a word it corrected, so a wrong correction does not replace the word entirely', () => {
    const model = trainModel(SYNTHETIC);
    // "show" is not in the training words and is one edit from "how": the stem counted is "how", but the
    // character n-grams are those of "show".
    const read = model.prepare('show me dupilumab');
    expect(read.words[0]).to.equal('how');
    expect([...read.features.keys()]).to.include('c:_sh').and.not.include('c:_ho');
  });
});

describe('discriminative counts', () => {
  const withPasses = (passes: number): NluConfig => ({
    ...shipped,
    classifier: { ...shipped.classifier, discriminative: { ...shipped.classifier.discriminative, passes } },
  });
  // A trigger question worded with moisturizer words: plain frequencies fit it poorly.
  const hard = 'is emollient after a bath a trigger';
  const easy = 'which moisturizer makes eczema worse';
  const training = new Map([...SYNTHETIC, ['triggers', [...(SYNTHETIC.get('triggers') ?? []), hard, easy]]]);
  const confidenceIn = (passes: number, text: string) =>
    trainModel(training, { config: withPasses(passes) }).classify(text).find((r) => r.intent === 'triggers')?.confidence ?? 0;

  it('gives more weight to a training example the plain counts fit poorly, and little to one they already fit', () => {
    expect(confidenceIn(3, hard) - confidenceIn(0, hard)).to.be.above(0.1);
    expect(Math.abs(confidenceIn(3, easy) - confidenceIn(0, easy))).to.be.below(0.05);
  });

  it('gives the plain frequencies with no passes, and the same counts whatever the order of the examples', () => {
    const texts = [...training].flatMap(([label, lines]) => lines.map((line) => ({ label, features: new Map(line.split(' ').map((w) => [w, 1] as [string, number])) })));
    const plain: BayesOptions = { ...shipped.classifier, discriminative: { passes: 0, rate: 3, temperature: 0.6 } };
    expect(countFeatures(texts, plain).classDocs).to.deep.equal([...training.keys()].sort().map((k) => training.get(k)?.length));
    const refined = { ...plain, discriminative: { passes: 3, rate: 3, temperature: 0.6 } };
    expect(countFeatures([...texts].reverse(), refined)).to.deep.equal(countFeatures(texts, refined));
  });
});
