import { expect } from 'chai';
import { loadRedFlagRules, readRedFlags, triage, type RedFlagRules } from '../../src/triage/index.js';
import { HISTORY, NOW_DESPITE_HISTORY, RED_FLAGS } from './cases.js';

/** Now versus history (src/triage/history.ts, data/red-flags.yaml language.history). */
describe('red flags told as history', () => {
  let rules: RedFlagRules;
  before(() => {
    rules = loadRedFlagRules();
  });

  describe('are no red flag now, and are reported as that rule told as history', () => {
    for (const [text, ruleId] of HISTORY) {
      it(`${ruleId}: ${text}`, () => {
        const reading = readRedFlags(text, rules);
        expect(reading.now, 'no red flag now').to.equal(null);
        expect(reading.history?.ruleId).to.equal(ruleId);
      });
    }
  });

  describe('leave a red flag happening now in the same message firing', () => {
    for (const [text, level] of NOW_DESPITE_HISTORY) {
      it(`${level}: ${text}`, () => {
        expect(triage(text, rules)?.level).to.equal(level);
      });
    }
  });

  it('read none of the described red flags as history', () => {
    const history = RED_FLAGS.filter(([text]) => readRedFlags(text, rules).now === null).map(([text]) => text);
    expect(history).to.deep.equal([]);
  });

  it('read recent past tense as now: a reaction an hour ago, a collapse after the shot, a clot found yesterday', () => {
    expect(triage('she collapsed after the shot', rules)?.level).to.equal('emergency');
    expect(triage('an hour ago my lips swelled up after the cream', rules)?.level).to.equal('emergency');
    expect(triage('I was diagnosed with a DVT yesterday, should I stop rinvoq', rules)?.level).to.equal('emergency');
  });

  it('read a relative as family history only when the event is theirs', () => {
    expect(readRedFlags('my dad has a blood clot in his leg, can I take rinvoq', rules).now).to.equal(null);
    expect(triage('my mum thinks I have a blood clot in my leg', rules)?.level).to.equal('emergency');
    expect(triage("my mum's lips are swelling up", rules)?.level).to.equal('emergency');
  });

  it('read a year as history, and "since" a year as now', () => {
    expect(readRedFlags('in 2019 I had anaphylaxis to a bee sting', rules).now).to.equal(null);
    expect(triage('I have been having anaphylaxis since the injection', rules)?.level).to.equal('emergency');
  });
});
