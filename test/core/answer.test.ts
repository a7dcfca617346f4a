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
