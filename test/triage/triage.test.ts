import { expect } from 'chai';
import { loadRedFlagRules, triage, type RedFlagRules } from '../../src/triage/index.js';
import { GENERAL_EMERGENCY_QUESTIONS, NOT_RED_FLAGS, RED_FLAGS } from './cases.js';

describe('red-flag triage', () => {
  let rules: RedFlagRules;
  before(() => {
    rules = loadRedFlagRules();
  });

  it('has enough phrasings to measure on', () => {
    expect(RED_FLAGS.length).to.be.at.least(60);
    expect(NOT_RED_FLAGS.length).to.be.at.least(40);
  });

  describe('flags what a patient describes, at the right level', () => {
    for (const [text, level] of RED_FLAGS) {
      it(`${level}: ${text}`, () => {
        expect(triage(text, rules)?.level).to.equal(level);
      });
    }
  });

  describe('stays silent on negated, resolved and harmless messages', () => {
    for (const text of NOT_RED_FLAGS) {
      it(text, () => {
        expect(triage(text, rules)).to.equal(null);
      });
    }
  });

  describe('answers a general question about an emergency symptom with same-day care, not an emergency', () => {
    for (const text of GENERAL_EMERGENCY_QUESTIONS) {
      it(text, () => {
        expect(triage(text, rules)?.level).to.equal('urgent');
      });
    }
  });

  it('names the rule, the words that matched, and gives the patient one sentence saying why', () => {
    const result = triage('my lips are swelling up', rules);
    expect(result).to.deep.equal({
      level: 'emergency',
      ruleId: 'face-throat-swelling',
      reason: 'Swelling of the lips, tongue, face or throat can be a severe allergic reaction.',
      asks: false,
      matched: 'lips … swelling',
    });
  });

  it('says whether the message also asks something, so an answer may follow the advice', () => {
    expect(triage('my child has eczema herpeticum', rules)?.asks).to.equal(false);
    expect(triage('my eczema is oozing yellow stuff, is it staph', rules)?.asks).to.equal(true);
    expect(triage('oozing yellow crusts?', rules)?.asks).to.equal(true);
  });

  it('lets the emergency win when a message has both an urgent and an emergency sign', () => {
    expect(triage('there is pus on his arm and now his lips are swelling', rules)?.level).to.equal('emergency');
    expect(triage('my lips are swelling and there is pus on my arm', rules)?.level).to.equal('emergency');
  });

  it('prefers a described urgent sign over an emergency that is only asked about in general', () => {
    const result = triage('Can eczema cause chest pain? My son has yellow crusts on his cheek.', rules);
    expect(result?.ruleId).to.equal('infection-pus');
  });

  it('reads "my child" and "my son" descriptions like first person', () => {
    expect(triage('my child has a fever and the eczema is weeping', rules)?.level).to.equal('urgent');
    expect(triage("my son's eczema looks infected", rules)?.ruleId).to.equal('infection-named');
    expect(triage('can a rash get infected?', rules)).to.equal(null);
  });

  it('does not let a negation reach past a comma or "but"', () => {
    expect(triage('no fever, but there is pus', rules)?.level).to.equal('urgent');
    expect(triage('no fever, pus on his arm', rules)?.level).to.equal('urgent');
    expect(triage('I have no rash but my throat feels tight', rules)?.level).to.equal('emergency');
  });

  it('still flags a symptom when the patient only doubts what it is', () => {
    expect(triage("I don't know why my lips are swollen", rules)?.level).to.equal('emergency');
    expect(triage("I'm not sure if this is pus", rules)?.level).to.equal('urgent');
  });

  it('treats "can\'t breathe" as a symptom even though it contains a negation', () => {
    expect(triage("I can't catch my breath", rules)?.level).to.equal('emergency');
    expect(triage('he is not breathing', rules)?.level).to.equal('emergency');
  });

  it('checks every sentence of a long message', () => {
    const text = 'Hi, my daughter is 4 and has had eczema since she was a baby. We use moisturizer twice a day. ' +
      'Since this morning her tongue looks swollen. What should we do?';
    expect(triage(text, rules)?.level).to.equal('emergency');
  });

  it('returns null for empty or wordless text', () => {
    expect(triage('', rules)).to.equal(null);
    expect(triage('?!  ...', rules)).to.equal(null);
  });

  it('gives every rule a reason a patient can read in one sentence', () => {
    for (const rule of rules.rules) {
      expect(rule.spec.reason, rule.spec.id).to.match(/^[A-Z][^.!?]*(\([^)]*\)[^.!?]*)*[.!]$/);
    }
  });
});
