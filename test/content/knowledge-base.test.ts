import { join } from 'node:path';
import { expect } from 'chai';
import { FAQ_FOLLOW_UPS, MAX_ANSWER_WORDS } from '../../src/content/limits.js';
import { loadKnowledgeBase } from '../../src/content/load.js';
import { comparableWords, mentionsTerm, normaliseForMatch, wordCount } from '../../src/content/text.js';
import type { KbEntry, Source } from '../../src/core/types.js';
import { sharedDir } from '../../src/paths.js';
import { readSharedFile } from '../helpers/shared.js';

const ARTICLE = join(sharedDir, 'seeds', '000_5d32a4441e7e857d.txt');
/** Longest run of the article's words an answer may share with it; longer means a copied sentence. */
const COPY_RUN = 8;

const kb = loadKnowledgeBase();
const entries = [...kb.entries.values()];
const faqs = entries.filter((e) => e.kind === 'faq');
const articleSources = [...kb.sources.values()].filter((s) => s.id.startsWith('article-'));

describe('knowledge base', () => {
  it('has an entry for every catalog intent and article sections to cite', () => {
    expect(entries.map((e) => e.intent).sort()).to.deep.equal(kb.catalog.map((c) => c.id).sort());
    expect(articleSources.length).to.be.greaterThan(0);
  });

  describe('grounding: an answer names only what its own sources list', () => {
    const allTerms = [...new Set([...kb.sources.values()].flatMap((s) => s.terms))];
    const lists = (source: Source, term: string): boolean =>
      source.terms.some((t) => normaliseForMatch(t) === normaliseForMatch(term));

    for (const entry of faqs) {
      it(entry.intent, () => {
        const cited = entry.sources.map((id) => kb.sources.get(id)).filter((s): s is Source => s !== undefined);
        const unsupported = allTerms
          .filter((term) => mentionsTerm(`${entry.title}\n${entry.answer}`, term))
          .filter((term) => !cited.some((source) => lists(source, term)))
          .map((term) => {
            const holders = [...kb.sources.values()].filter((s) => lists(s, term)).map((s) => s.id);
            return `"${term}" (listed by ${holders.join(', ')}; cited: ${entry.sources.join(', ')})`;
          });
        expect(unsupported, `${entry.file} mentions terms none of its sources list: ${unsupported.join('; ')}`).to.deep.equal([]);
      });
    }
  });

  describe('length and follow-ups', () => {
    it(`keeps every answer within ${MAX_ANSWER_WORDS} words`, () => {
      const long = entries.filter((e) => wordCount(e.answer) > MAX_ANSWER_WORDS).map((e) => `${e.file}: ${wordCount(e.answer)} words`);
      expect(long, long.join('; ')).to.deep.equal([]);
    });

    it(`offers ${FAQ_FOLLOW_UPS.min} to ${FAQ_FOLLOW_UPS.max} follow-ups on every FAQ answer, none of them itself`, () => {
      const wrong = faqs
        .filter((e) => e.followUps.length < FAQ_FOLLOW_UPS.min || e.followUps.length > FAQ_FOLLOW_UPS.max || e.followUps.includes(e.intent))
        .map((e) => `${e.file}: [${e.followUps.join(', ')}]`);
      expect(wrong, wrong.join('; ')).to.deep.equal([]);
    });

    it('sends people asking when to see a doctor to a dermatologist, and leaves a general question about a child calm', () => {
      expect(kb.entries.get('see-a-dermatologist')?.escalation).to.equal('dermatologist');
      // "Will my baby get asthma?" is a general question (the escalation policy: a baby or a child alone is no reason
      // to escalate); a parent describing their child's severe eczema still gets the dermatologist cue.
      expect(kb.entries.get('child-asthma-risk')?.escalation).to.equal('none');
    });
  });

  describe('against the source article', function () {
    let article = '';
    before(function () {
      article = readSharedFile(this, ARTICLE, 'checks against the source article');
    });

    /** The section a source cites: from its heading to the next cited heading. */
    function sectionOf(source: Source): string {
      const heading = (s: Source): string => /section "(.*)"\.?$/.exec(s.citation)?.[1] ?? '';
      const starts = articleSources.map((s) => article.indexOf(heading(s))).filter((i) => i >= 0).sort((a, b) => a - b);
      const start = article.indexOf(heading(source));
      const end = starts.find((i) => i > start) ?? article.length;
      return article.slice(start, end);
    }

    it('every article source cites a section heading the article has', () => {
      const missing = articleSources
        .filter((s) => {
          const heading = /section "(.*)"\.?$/.exec(s.citation)?.[1];
          return !heading || !article.includes(heading);
        })
        .map((s) => `${s.id}: ${s.citation}`);
      expect(missing, missing.join('; ')).to.deep.equal([]);
    });

    it('every term listed for an article source occurs in that section', () => {
      const absent = articleSources.flatMap((source) => {
        const section = sectionOf(source);
        return source.terms.filter((term) => !mentionsTerm(section, term)).map((term) => `${source.id}: "${term}"`);
      });
      expect(absent, `terms not found in their section: ${absent.join('; ')}`).to.deep.equal([]);
    });

    it(`no answer or title repeats ${COPY_RUN} or more words in a row from the article`, () => {
      const words = comparableWords(article);
      const runs = new Set<string>();
      for (let i = 0; i + COPY_RUN <= words.length; i++) runs.add(words.slice(i, i + COPY_RUN).join(' '));
      const copied = (entry: KbEntry): string[] => {
        const own = comparableWords(`${entry.title}\n${entry.answer}`);
        const found: string[] = [];
        for (let i = 0; i + COPY_RUN <= own.length; i++) {
          const run = own.slice(i, i + COPY_RUN).join(' ');
          if (runs.has(run)) found.push(run);
        }
        return found.map((run) => `${entry.file}: "${run}"`);
      };
      const all = entries.flatMap(copied);
      expect(all, `copied from the article: ${all.join('; ')}`).to.deep.equal([]);
    });
  });
});
