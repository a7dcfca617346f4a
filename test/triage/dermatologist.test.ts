import { expect } from 'chai';
import { dermatologistCue, loadDermatologistCues, type DermatologistCues } from '../../src/triage/dermatologist.js';
import { DERMATOLOGIST_CUES, GENERAL_QUESTIONS, NOT_DERMATOLOGIST } from './cases.js';

describe('"see a dermatologist" cues', () => {
  let cues: DermatologistCues;
  before(() => {
    cues = loadDermatologistCues();
  });

  it('has enough phrasings to measure on', () => {
    expect(DERMATOLOGIST_CUES.length).to.be.at.least(30);
    expect(GENERAL_QUESTIONS.length).to.be.at.least(30);
  });

  describe('fires when patients describe their own or their child\'s eczema, or ask a prescription decision', () => {
    for (const [text, cueId] of DERMATOLOGIST_CUES) {
      it(`${cueId}: ${text}`, () => {
        expect(dermatologistCue(text, cues)?.cueId).to.equal(cueId);
      });
    }
  });

  describe('stays quiet on general questions', () => {
    for (const text of GENERAL_QUESTIONS) {
      it(text, () => {
        expect(dermatologistCue(text, cues)).to.equal(null);
      });
    }
  });

  describe('stays quiet when the patient says things are fine', () => {
    for (const text of NOT_DERMATOLOGIST) {
      it(text, () => {
        expect(dermatologistCue(text, cues)).to.equal(null);
      });
    }
  });

  it('gives the patient one sentence saying why', () => {
    const cue = dermatologistCue('should I stop my Dupixent', cues);
    expect(cue?.reason).to.equal(
      'Starting, stopping, switching or changing the dose of a prescription treatment is a decision to make with your dermatologist.',
    );
  });

  it('asks about pregnancy and treatment even when the question is put in general terms', () => {
    expect(dermatologistCue('is hydrocortisone safe during pregnancy', cues)?.cueId).to.equal('pregnancy-treatment');
    expect(dermatologistCue('is eczema worse during pregnancy', cues)).to.equal(null);
  });

  it('tells a question about a drug from a decision about one\'s own', () => {
    expect(dermatologistCue('what happens if you stop dupixent', cues)).to.equal(null);
    expect(dermatologistCue('what happens if I stop my dupixent', cues)?.cueId).to.equal('prescription-decision');
  });

  it('does not take the bot being unhelpful for a treatment failing', () => {
    expect(dermatologistCue("this isn't helping, can I talk to a person", cues)).to.equal(null);
  });
});
