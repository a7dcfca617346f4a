import { expect } from 'chai';
import { MIN_TRAINING_UTTERANCES } from '../../src/content/limits.js';
import { loadContent } from '../../src/content/load.js';
import { OUT_OF_SCOPE } from '../../src/core/types.js';

describe('the project content (data/ and intents/)', () => {
  it('loads without a single validation problem', () => {
    // A failure here prints every problem with its file, entry and field.
    const content = loadContent();
    expect(content.training.get(OUT_OF_SCOPE)?.length ?? 0).to.be.at.least(MIN_TRAINING_UTTERANCES.outOfScope);
    for (const intent of content.catalog) {
      const minimum = intent.kind === 'faq' ? MIN_TRAINING_UTTERANCES.faq : MIN_TRAINING_UTTERANCES.conversation;
      expect(content.training.get(intent.id)?.length ?? 0, `intents/${intent.id}.txt`).to.be.at.least(minimum);
      expect(content.entries.has(intent.id), `data/kb/${intent.id}.md`).to.equal(true);
    }
  });

  it('gives the same training hash on every load of unchanged files', () => {
    expect(loadContent().trainingHash).to.match(/^[0-9a-f]{64}$/).and.to.equal(loadContent().trainingHash);
  });
});
