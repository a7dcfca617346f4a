import { expect } from 'chai';
import { loadDermatologistCues } from '../../src/triage/dermatologist.js';
import { FuzzyIndex } from '../../src/triage/fuzzy.js';
import { loadRedFlagRules, triage } from '../../src/triage/index.js';

describe('misspellings', () => {
  const rules = loadRedFlagRules();

  // The spellings patients were seen to use, from the brief; each must still raise the flag.
  const misspelt: readonly (readonly [string, string])[] = [
    ['cant breath', 'breathing-difficulty'],
    ['my son is breating funny and cant get air', 'breathing-difficulty'],
    ['swolen lips', 'face-throat-swelling'],
    ['throat swelling up', 'face-throat-swelling'],
    ['there is pus', 'infection-pus'],
    ['there is puss', 'infection-pus'],
    ['yelow crust on the rash', 'infection-pus'],
    ['i have a feaver', 'fever-with-rash'],
    ['painful blistres', 'eczema-herpeticum'],
    ['blisters by her cold sore', 'eczema-herpeticum'],
    ['blisters by her coldsore', 'eczema-herpeticum'],
    ['blisters by her fever blister', 'eczema-herpeticum'],
    ['I think I am having anaphalaxis', 'severe-allergic-reaction'],
    ['dificulty breathing', 'breathing-difficulty'],
    ['my tounge is swollen', 'face-throat-swelling'],
  ];
  for (const [text, ruleId] of misspelt) {
    it(`still flags "${text}"`, () => {
      expect(triage(text, rules)?.ruleId).to.equal(ruleId);
    });
  }

  // Everyday words one typo away from a rule word. Reading them as typos would invent symptoms.
  const everyday = [
    'never', 'fewer', 'seeing', 'shots', 'injections', 'chill', 'threat', 'paint', 'path', 'sleeping', 'smell',
    'spelling', 'stolen', 'scores', 'hopes', 'slight', 'charge', 'leaving', 'lessons', 'staff',
  ];
  for (const word of everyday) {
    it(`does not read the everyday word "${word}" as a misspelt red flag`, () => {
      expect(rules.matcher.fuzzy.lookup(word)).to.equal(-1);
    });
  }

  const cues = loadDermatologistCues();
  for (const word of ['talking', 'meditation', 'stating', 'world', 'cold', 'table', 'wearing', 'concerning', 'shows']) {
    it(`does not read the everyday word "${word}" as a misspelt cue word`, () => {
      expect(cues.matcher.fuzzy.lookup(word)).to.equal(-1);
    });
  }

  describe('the distance index', () => {
    const words = new Map([['swollen', 0], ['fever', 1], ['anaphylaxis', 2], ['pus', 3]]);
    const index = new FuzzyIndex(words, new Set(['never']), { minLength: 5, twoEditLength: 10 });

    it('finds one missing, extra, wrong or swapped letter', () => {
      expect(index.lookup('swolen')).to.equal(0);
      expect(index.lookup('feaver')).to.equal(1);
      expect(index.lookup('fevor')).to.equal(1);
      expect(index.lookup('fveer')).to.equal(1);
    });

    it('allows two typos only in long words', () => {
      expect(index.lookup('anafylaxis')).to.equal(2);
      expect(index.lookup('fvere')).to.equal(-1);
    });

    it('leaves short words and listed real words alone', () => {
      expect(index.lookup('bus')).to.equal(-1);
      expect(index.lookup('never')).to.equal(-1);
    });

    it('does not correct a different first letter', () => {
      expect(index.lookup('lever')).to.equal(-1);
    });
  });
});
