import { expect } from 'chai';
import { comparableWords, mentionsTerm, utteranceKey, wordCount } from '../../src/content/text.js';

describe('content text rules', () => {
  describe('mentionsTerm', () => {
    it('finds cytokine names inside combined forms but not inside longer numbers', () => {
      expect(mentionsTerm('it blocks IL-4/IL-13 signals', 'IL-4')).to.equal(true);
      expect(mentionsTerm('it blocks IL-4/IL-13 signals', 'IL-13')).to.equal(true);
      expect(mentionsTerm('a made-up IL-45 messenger', 'IL-4')).to.equal(false);
      expect(mentionsTerm('IL-31 drives itch', 'IL-3')).to.equal(false);
    });

    it('treats typographic dashes and spaces like hyphens', () => {
      expect(mentionsTerm('IL\u20114 and IL\u201113', 'IL-4')).to.equal(true);
      expect(mentionsTerm('about 30\u201350% of children', '30-50%')).to.equal(true);
      expect(mentionsTerm('stops T cells from switching on', 'T-cell')).to.equal(true);
      expect(mentionsTerm('moderate to severe eczema', 'moderate-to-severe')).to.equal(true);
    });

    it('matches percentages as whole figures', () => {
      expect(mentionsTerm('in about ~30% of people', '30%')).to.equal(true);
      expect(mentionsTerm('about 30-50% of children', '30%')).to.equal(false);
      expect(mentionsTerm('in 130% of cases', '30%')).to.equal(false);
      expect(mentionsTerm('over 90% of patients', '90%')).to.equal(true);
    });

    it('is case-insensitive and covers plurals of singular terms', () => {
      expect(mentionsTerm('JAK Inhibitors are pills', 'JAK inhibitor')).to.equal(true);
      expect(mentionsTerm('asthma and food allergies', 'food allergy')).to.equal(true);
      expect(mentionsTerm('DUPIXENT', 'Dupixent')).to.equal(true);
    });

    it('does not match a term inside a longer word', () => {
      expect(mentionsTerm('itchy skin', 'itch')).to.equal(false);
      expect(mentionsTerm('genetic changes', 'gene')).to.equal(false);
      expect(mentionsTerm('Th2 cells', 'Th2')).to.equal(true);
      expect(mentionsTerm('Th21 cells', 'Th2')).to.equal(false);
    });
  });

  describe('wordCount', () => {
    it('counts words, not list markers or emphasis marks', () => {
      expect(wordCount('- **Moisturizers** help.\n- 1. Steroids — calm it.')).to.equal(5);
      expect(wordCount('1. IL-31 switches on itch nerves.')).to.equal(5);
      expect(wordCount('Call {clinicPhone} now.')).to.equal(3);
      expect(wordCount('')).to.equal(0);
    });
  });

  describe('comparableWords and utteranceKey', () => {
    it('split on dashes and drop apostrophes and punctuation', () => {
      expect(comparableWords("Eczema isn't just dry-skin, it's ~30%!")).to.deep.equal(['eczema', 'isnt', 'just', 'dry', 'skin', 'its', '30%']);
    });

    it('make utterances that differ only in case, spacing and punctuation equal', () => {
      expect(utteranceKey('  Is eczema   CONTAGIOUS?')).to.equal(utteranceKey('is eczema contagious'));
      expect(utteranceKey('is eczema contagious')).to.not.equal(utteranceKey('is psoriasis contagious'));
      expect(utteranceKey(':)')).to.not.equal(utteranceKey(':('));
    });
  });
});
