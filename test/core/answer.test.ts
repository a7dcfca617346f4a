import { expect } from 'chai';
import { loadContent } from '../../src/content/load.js';
import { coreWith } from '../../src/core/loadCore.js';
import type { Decision, IntentModel, IntentScore } from '../../src/nlu/index.js';
import { testConfig } from '../helpers/testBot.js';

/**
 * The answer pipeline around a model whose decision the test chooses, so the rules that follow the decision
 * (the dermatologist rule when the bot is unsure) are checked without depending on what the model learnt.
 */
const content = loadContent();

function answererDeciding(decision: Decision) {
  const model: IntentModel = { intents: [...content.entries.keys()], classify: () => decision.ranking, decide: () => decision };
  return coreWith(testConfig(), content, model).answerer;
}

const ranking: IntentScore[] = [
  { intent: 'calcineurin-inhibitors', confidence: 0.45 },
  { intent: 'topical-steroids', confidence: 0.4 },
  { intent: 'out-of-scope', confidence: 0.15 },
];
const unsure: Decision = { kind: 'clarify', suggestions: ['calcineurin-inhibitors', 'topical-steroids'], confidence: 0.45, ranking };
const notTrained: Decision = { kind: 'decline', reason: 'low-confidence', confidence: 0.3, ranking };
const outOfScope: Decision = { kind: 'decline', reason: 'out-of-scope', confidence: 0.7, ranking: [{ intent: 'out-of-scope', confidence: 0.7 }, ...ranking] };
const failing = 'moisturizers and hydrocortisone are not working for my eczema anymore, what else is there';

describe('the dermatologist rule when the bot is unsure', () => {
  it('answers a described treatment failure with the "when to see a dermatologist" entry, and offers the topics it might have meant', () => {
    const reply = answererDeciding(unsure).answer(failing);
    expect(reply.kind).to.equal('answer');
    expect(reply.intent).to.equal('see-a-dermatologist');
    expect(reply.entry?.title).to.equal(content.entries.get('see-a-dermatologist')?.title);
    expect(reply.sources.length).to.be.greaterThan(0);
    expect(reply.escalation).to.equal('dermatologist');
    expect(reply.escalationReason).to.match(/moisturizers and mild steroid creams are not controlling/);
    expect(reply.followUps.map((f) => f.intent)).to.deep.equal(['calcineurin-inhibitors', 'topical-steroids', 'talk-to-human']);
  });

  it('keeps the way to a person at the clinic among the follow-ups when the patient asked for one', () => {
    const askedForPerson: Decision = {
      kind: 'clarify',
      suggestions: ['talk-to-human', 'biologics'],
      confidence: 0.4,
      ranking: [{ intent: 'talk-to-human', confidence: 0.4 }, { intent: 'biologics', confidence: 0.35 }, { intent: 'out-of-scope', confidence: 0.25 }],
    };
    const reply = answererDeciding(askedForPerson).answer('someone to talk to about biologics, my eczema is severe');
    expect(reply.intent).to.equal('see-a-dermatologist');
    expect(reply.followUps.map((f) => f.intent)).to.include.members(['biologics', 'talk-to-human']);
  });

  it('does the same when nothing came close enough to offer, with the entry\'s own follow-ups', () => {
    const reply = answererDeciding(notTrained).answer(failing);
    expect(reply.intent).to.equal('see-a-dermatologist');
    expect(reply.followUps.map((f) => f.intent)).to.deep.equal(content.entries.get('see-a-dermatologist')?.followUps);
  });

  it('still declines a question judged out of scope, keeping the advice to see a dermatologist', () => {
    const reply = answererDeciding(outOfScope).answer(failing);
    expect(reply.kind).to.equal('decline');
    expect(reply.intent).to.equal(null);
    expect(reply.escalation).to.equal('dermatologist');
  });

  it('leaves "did you mean" alone when the message carries no dermatologist cue', () => {
    const reply = answererDeciding(unsure).answer('which creams calm eczema');
    expect(reply.kind).to.equal('clarify');
    expect(reply.intent).to.equal(null);
    expect(reply.suggestions.map((s) => s.intent)).to.deep.equal(['calcineurin-inhibitors', 'topical-steroids']);
    expect(reply.escalation).to.equal('none');
  });
});

const answerAs = (intent: string): Decision => ({ kind: 'answer', intent, confidence: 0.9, ranking: [{ intent, confidence: 0.9 }] });

describe('danger topics in the answer', () => {
  it('keeps an answer about the topic and adds its safety card, at urgent, without the red-flag banner', () => {
    const reply = answererDeciding(answerAs('staph-aureus')).answer('what does infected eczema look like');
    expect(reply.kind).to.equal('answer');
    expect(reply.intent).to.equal('staph-aureus');
    expect(reply.escalation).to.equal('urgent');
    expect(reply.safety?.topic).to.equal('infected-eczema');
    expect(reply.trigger).to.deep.equal({ step: 'danger-topic', id: 'infected-eczema', matched: 'infected … eczema' });
    expect(reply.redFlag, 'a question is no red flag the patient described').to.equal(undefined);
  });

  it('fills the card with the clinic\'s details: whom to call today, and when to call the emergency number', () => {
    const reply = answererDeciding(answerAs('staph-aureus')).answer('can eczema get infected');
    expect(reply.safety?.action).to.include('+1 555 010 0199').and.include('911').and.not.match(/[{}]/);
  });

  it('shows the card alone, with the topic\'s own answers to read next, when the model picked an answer about something else', () => {
    const reply = answererDeciding(answerAs('what-is-eczema')).answer('what is eczema herpeticum');
    expect(reply.kind).to.equal('answer');
    expect(reply.intent).to.equal(null);
    expect(reply.entry).to.equal(undefined);
    expect(reply.safety?.topic).to.equal('eczema-herpeticum');
    expect(reply.escalation).to.equal('urgent');
    const clot = answererDeciding(answerAs('what-is-eczema')).answer('what are the signs of a clot on rinvoq');
    expect(clot.followUps.map((f) => f.intent)).to.deep.equal(['jak-inhibitors', 'treatment-safety']);
  });

  it('answers with the card instead of "I can\'t answer that" when the model declines', () => {
    const reply = answererDeciding(outOfScope).answer('is cellulitis serious');
    expect(reply.kind).to.equal('answer');
    expect(reply.safety?.topic).to.equal('cellulitis');
    expect(reply.escalation).to.equal('urgent');
  });

  it('adds the card to same-day advice for a sign described now', () => {
    const reply = answererDeciding(answerAs('staph-aureus')).answer('my eczema is infected and oozing pus, is it staph?');
    expect(reply.kind).to.equal('urgent');
    expect(reply.redFlag).to.equal('infection-pus');
    expect(reply.safety?.topic).to.equal('infected-eczema');
  });
});

describe('now or history in the answer', () => {
  it('answers a past event with the suitability answer and a dermatologist, not an emergency', () => {
    const reply = answererDeciding(answerAs('dupilumab')).answer('I used my epipen as a teenager, can I have dupixent?');
    expect(reply.kind).to.equal('answer');
    expect(reply.intent).to.equal('dupilumab');
    expect(reply.escalation).to.equal('dermatologist');
    expect(reply.trigger).to.deep.equal({ step: 'history', id: 'adrenaline-used', matched: 'used … epipen' });
    expect(reply.escalationReason).to.match(/past or family health event/);
  });

  it('reads a family event and an ability as history too', () => {
    expect(answererDeciding(answerAs('jak-inhibitors')).answer('my dad died of a blood clot, can I take rinvoq').escalation).to.equal('dermatologist');
    expect(answererDeciding(answerAs('jak-inhibitors')).answer("I can't swallow tablets, is rinvoq a big pill?").escalation).to.equal('dermatologist');
  });

  it('answers a past event followed by a general question calmly, like any general question', () => {
    const calm = answererDeciding(answerAs('treatments-overview')).answer('I fainted at a blood test as a teenager. How do JAK inhibitors work?');
    expect(calm.escalation).to.equal('none');
    expect(calm.trigger).to.equal(undefined);
    const aside = answererDeciding(answerAs('biologics')).answer('i passed out once at school years ago, random but do the eczema injections hurt');
    expect(aside.escalation).to.equal('none');
  });

  it('keeps the dermatologist when the question after a past event is about the person, even without "my"', () => {
    expect(answererDeciding(answerAs('dupilumab')).answer('As a kid my throat used to swell up with nuts. Is dupixent safe?').escalation).to.equal('dermatologist');
    expect(answererDeciding(answerAs('biologics')).answer('I had eczema herpeticum in 2015, could a biologic bring it back?').escalation).to.equal('dermatologist');
    // Told with no question at all, the event is still worth the dermatologist's attention.
    expect(answererDeciding(answerAs('dupilumab')).answer('I used an epipen as a teenager').escalation).to.equal('dermatologist');
  });

  it('still answers a red flag happening now in the same message as an emergency', () => {
    const reply = answererDeciding(answerAs('jak-inhibitors')).answer('I had a DVT years ago and now my calf is swollen and painful');
    expect(reply.kind).to.equal('emergency');
    expect(reply.trigger?.step).to.equal('red-flag');
  });
});

describe('calm on general questions', () => {
  for (const [text, intent] of [
    ['will my baby get asthma because of her eczema', 'child-asthma-risk'],
    ['why does my eczema get worse in winter', 'triggers'],
    ['can I go on holiday to a hot country with eczema', 'triggers'],
  ] as const) {
    it(`"${text}" is answered without escalating`, () => {
      const reply = answererDeciding(answerAs(intent)).answer(text);
      expect(reply.escalation).to.equal('none');
      expect(reply.trigger).to.equal(undefined);
    });
  }

  it('declines a question it cannot answer without sending the patient to a dermatologist for mentioning their eczema', () => {
    const reply = answererDeciding(notTrained).answer('can I dye my hair if I have eczema');
    expect(reply.kind).to.equal('decline');
    expect(reply.escalation).to.equal('none');
  });
});
