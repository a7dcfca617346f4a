import { expect } from 'chai';
import { loadContent } from '../../src/content/load.js';
import { loadNluConfig, trainModel } from '../../src/nlu/index.js';
import { classificationFigures, crossValidate } from '../../src/nlu/evaluate.js';

describe('intent model trained on intents/', () => {
  const content = loadContent();
  const model = trainModel(content.training);

  it('reaches the 90% cross-validated accuracy target, so an edit to intents/ that loses it is caught', function () {
    this.timeout(60_000);
    const { accuracy } = classificationFigures(crossValidate(content.training, loadNluConfig(), 5));
    expect(accuracy).to.be.at.least(0.9);
  });

  it('knows every intent that has training utterances, and out-of-scope', () => {
    expect([...model.intents].sort()).to.deep.equal([...content.training.keys()].sort());
    expect(model.intents).to.include('out-of-scope');
  });

  it('answers obvious questions a patient might ask, in words not copied from the training files', () => {
    for (const [text, intent] of [
      ['hello there', 'greeting'],
      ['thank you so much', 'thanks'],
      ['can i use steroid cream on my face', 'topical-steroids'],
      ['how often should i apply moisturiser', 'moisturizers'],
      ['is tacrolimus safe for kids', 'calcineurin-inhibitors'],
      ['i want to speak to a real person', 'talk-to-human'],
    ] as const) {
      const d = model.decide(text);
      expect(d.kind, text).to.equal('answer');
      if (d.kind === 'answer') expect(d.intent, text).to.equal(intent);
    }
  });

  it('answers a training question as taught, whatever the capitals and punctuation', () => {
    expect(model.decide('What is eczema?')).to.include({ kind: 'answer', intent: 'what-is-eczema' });
  });

  it('declines what it was not built for', () => {
    for (const text of ['who won the world cup', 'qwrtzp vbnmx']) expect(model.decide(text).kind, text).to.equal('decline');
  });
});
