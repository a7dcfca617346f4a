import { expect } from 'chai';
import { parseRealQuestions } from '../../src/nlu/evaluate.js';

describe('labelled question sets as npm run eval reads them', () => {
  it('reads a row labelled with one intent as accepting that intent, and keeps an explicit accept list', () => {
    const rows = parseRealQuestions(
      '{"text": "how do i bathe my baby", "intent": "bathing", "topicWords": ["bath"]}\n' +
        '{"text": "is soap bad", "intent": "soap-substitutes", "accept": ["soap-substitutes", "fallback"]}\n',
    );
    expect(rows.map((r) => r.accept)).to.deep.equal([['bathing'], ['soap-substitutes', 'fallback']]);
  });

  it('refuses a row with neither accept nor intent, naming its line', () => {
    expect(() => parseRealQuestions('{"text": "a"}\n{"text": "b"}\n'.replace('"a"}', '"a", "accept": []}'))).to.throw('line 2: needs text and accept (or intent)');
  });
});
