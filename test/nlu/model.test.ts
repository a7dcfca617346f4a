import { expect } from 'chai';
import { loadNluConfig, parseNluConfig, NluConfigError, trainModel } from '../../src/nlu/index.js';
import { decide } from '../../src/nlu/decide.js';
import { SYNTHETIC } from './fixtures.js';

describe('intent model (synthetic training set, shipped data/nlu.yaml)', () => {
  const model = trainModel(SYNTHETIC);

  it('ranks every intent with confidences that sum to 1, best first', () => {
    for (const text of ['is dupilumab safe', 'hello', 'zzzz qqqq', '', 'what']) {
      const ranking = model.classify(text);
      expect(ranking.map((r) => r.intent).sort()).to.deep.equal([...SYNTHETIC.keys()].sort());
      const total = ranking.reduce((a, r) => a + r.confidence, 0);
      expect(total).to.be.closeTo(1, 1e-9);
      for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1].confidence).to.be.at.least(ranking[i].confidence);
    }
  });

  it('gives the same ranking through its cached fast path as through plain feature extraction', () => {
    const texts = [...SYNTHETIC.values()].flat().concat(['dupliumab side efects??', 'Moisturiser AND wool', 'hi hi hi', 'x', 'wool wool wool flare flare', 'dupilumab dupilumab side effects side effects']);
    for (const text of texts) {
      const fast = model.classify(text);
      const plain = model.classifyPlain(text);
      expect(fast.map((r) => r.intent), text).to.deep.equal(plain.map((r) => r.intent));
      fast.forEach((r, i) => expect(r.confidence, text).to.be.closeTo(plain[i].confidence, 1e-9));
    }
  });

  it('answers a clear question with its intent', () => {
    const d = model.decide('how often should I put on moisturizer');
    expect(d.kind).to.equal('answer');
    if (d.kind === 'answer') expect(d.intent).to.equal('moisturizers');
  });

  it('keeps question words that natural\'s stop-word list would delete', () => {
    // Question words often carry the intent ("should I see a doctor", "how often"); natural's list drops them.
    expect(model.prepare('how often should I moisturize').words).to.include.members(['how', 'should']);
  });

  it('still recognises misspelt drug and product names', () => {
    for (const [text, intent] of [
      ['is dupilumub safe', 'dupilumab'],
      ['dupliumab side effects', 'dupilumab'],
      ['best moisturiser for eczema', 'moisturizers'],
      ['DUPIXNET for eczema?', 'dupilumab'],
    ] as const) {
      expect(model.classify(text)[0].intent, text).to.equal(intent);
    }
  });

  it('offers "did you mean" when two intents fit about equally', () => {
    const d = model.decide('dupilumab vs moisturizer');
    expect(d.kind).to.equal('clarify');
    if (d.kind === 'clarify') expect(d.suggestions.slice(0, 2)).to.have.members(['dupilumab', 'moisturizers']);
  });

  it('declines gibberish and questions that share no word with the training data', () => {
    for (const text of ['asdkjh qwpeoi zxmcnv', 'florbix quantaz', 'what is the xyzzy', '?!', '']) {
      const d = model.decide(text);
      expect(d.kind, text).to.equal('decline');
      if (d.kind === 'decline') expect(d.reason, text).to.equal('no-known-word');
      expect(d.ranking.reduce((a, r) => a + r.confidence, 0), text).to.be.closeTo(1, 1e-9);
    }
  });

  it('declines questions the out-of-scope examples cover', () => {
    for (const text of ['what will the weather be like tomorrow', 'can you recommend a movie']) {
      const d = model.decide(text);
      expect(d.kind, text).to.equal('decline');
      if (d.kind === 'decline') expect(d.reason, text).to.equal('out-of-scope');
    }
  });
});

describe('decision rule', () => {
  const rule = { ...loadNluConfig().decision, answerMemorised: true, threshold: 0.5, margin: 0.1, maxSuggestions: 2, suggestionFloor: 0.1, neverSuggest: ['greeting'] };
  const ranking = (...pairs: [string, number][]) => pairs.map(([intent, confidence]) => ({ intent, confidence }));

  it('answers only above the threshold and with the margin over the runner-up', () => {
    expect(decide({ ranking: ranking(['a', 0.7], ['b', 0.2], ['c', 0.1]), hasKnownWord: true }, rule).kind).to.equal('answer');
    expect(decide({ ranking: ranking(['a', 0.45], ['b', 0.3], ['c', 0.25]), hasKnownWord: true }, rule).kind).to.equal('clarify');
    expect(decide({ ranking: ranking(['a', 0.52], ['b', 0.46], ['c', 0.02]), hasKnownWord: true }, rule).kind).to.equal('clarify');
  });

  it('never suggests out-of-scope, and conversation intents only when they are the closest', () => {
    const d = decide({ ranking: ranking(['a', 0.4], ['out-of-scope', 0.3], ['greeting', 0.2], ['b', 0.1]), hasKnownWord: true }, rule);
    expect(d).to.include({ kind: 'clarify' });
    if (d.kind === 'clarify') expect(d.suggestions).to.deep.equal(['a', 'b']);
    const g = decide({ ranking: ranking(['greeting', 0.4], ['a', 0.35], ['b', 0.25]), hasKnownWord: true }, rule);
    if (g.kind !== 'clarify') expect.fail('expected clarify');
    expect(g.suggestions).to.deep.equal(['greeting', 'a']);
  });

  it('declines when out-of-scope is on top, when nothing reaches the suggestion floor, or with no known word', () => {
    expect(decide({ ranking: ranking(['out-of-scope', 0.4], ['a', 0.35], ['b', 0.25]), hasKnownWord: true }, rule)).to.include({ kind: 'decline', reason: 'out-of-scope' });
    expect(decide({ ranking: ranking(['a', 0.09], ['b', 0.08]), hasKnownWord: true }, rule)).to.include({ kind: 'decline', reason: 'low-confidence' });
    expect(decide({ ranking: ranking(['a', 0.9], ['b', 0.1]), hasKnownWord: false }, rule)).to.include({ kind: 'decline', reason: 'no-known-word' });
  });
});

describe('memorised training utterances', () => {
  const rule = { ...loadNluConfig().decision, answerMemorised: true, threshold: 0.5, margin: 0.1 };
  const low = [{ intent: 'out-of-scope', confidence: 0.45 }, { intent: 'a', confidence: 0.3 }, { intent: 'b', confidence: 0.25 }];

  it('answers a question that repeats a training utterance with its intent, at the model\'s own confidence', () => {
    expect(decide({ ranking: low, hasKnownWord: true, memorised: 'a' }, rule)).to.include({ kind: 'answer', intent: 'a', confidence: 0.3 });
    expect(decide({ ranking: low, hasKnownWord: true, memorised: 'out-of-scope' }, rule)).to.include({ kind: 'decline', reason: 'out-of-scope' });
    expect(decide({ ranking: low, hasKnownWord: true, memorised: 'a' }, { ...rule, answerMemorised: false })).to.include({ kind: 'decline' });
  });

  it('recognises training utterances through the same preparation, typos included', () => {
    const model = trainModel(SYNTHETIC);
    expect(model.analyse('What is Dupilumab?').memorised).to.equal('dupilumab');
    expect(model.analyse('what is dupilumub').memorised).to.equal('dupilumab');
    expect(model.analyse('what is dupilumab used for').memorised).to.equal(undefined);
  });
});

describe('data/nlu.yaml validation', () => {
  it('names the field that is wrong', () => {
    const good = loadNluConfig();
    const bad = { ...good, decision: { ...good.decision, threshold: 1.5 } };
    expect(() => parseNluConfig(bad)).to.throw(NluConfigError, /decision\.threshold/);
    expect(() => parseNluConfig({ ...good, extra: 1 })).to.throw(NluConfigError);
  });
});
