import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ContentErrors } from '../../src/content/errors.js';
import { loadKnowledgeBase } from '../../src/content/load.js';
import { mentionsTerm, normaliseForMatch } from '../../src/content/text.js';
import { DEFAULT_DANGER_TOPICS_FILE, loadDangerTopics, readDangerTopics, REQUIRED_DANGER_TOPICS, type DangerTopics } from '../../src/triage/dangerTopics.js';
import { DANGER_TOPIC_QUESTIONS, NOT_DANGER_TOPICS, TOPIC_HISTORY } from './topicCases.js';

const kb = loadKnowledgeBase();

describe('danger topics', () => {
  let topics: DangerTopics;
  before(() => {
    topics = loadDangerTopics(kb);
  });

  describe('give the safety card of the condition a question is about', () => {
    for (const [text, topicId] of DANGER_TOPIC_QUESTIONS) {
      it(`${topicId}: ${text}`, () => {
        expect(readDangerTopics(text, topics).now?.topicId).to.equal(topicId);
      });
    }
  });

  describe('stay quiet on general questions and on other conditions with similar words', () => {
    for (const text of NOT_DANGER_TOPICS) {
      it(text, () => {
        expect(readDangerTopics(text, topics).now).to.equal(null);
      });
    }
  });

  describe('read a topic told as history as history, not as a danger now', () => {
    for (const [text, topicId] of TOPIC_HISTORY) {
      it(`${topicId}: ${text}`, () => {
        const reading = readDangerTopics(text, topics);
        expect(reading.now).to.equal(null);
        expect(reading.history?.topicId).to.equal(topicId);
      });
    }
  });

  it('has a topic for every condition the product promises a card for, with signs and conditional advice', () => {
    for (const { id } of REQUIRED_DANGER_TOPICS) {
      const card = topics.cards.get(id);
      expect(card, id).to.not.equal(undefined);
      expect(card!.signs.length, id).to.be.at.least(2);
      expect(card!.action, id).to.match(/^If /).and.include('{clinicPhone}').and.include('{emergencyNumber}');
      expect(card!.sources.length, id).to.be.at.least(1);
    }
  });

  it('grounds every card: a term from the source registry is listed by one of the card\'s own sources', () => {
    const terms = [...new Set([...kb.sources.values()].flatMap((s) => s.terms))];
    const unsupported = [...topics.cards.values()].flatMap((card) => {
      const text = [card.title, card.reason, ...card.signs, card.action, card.note ?? ''].join('\n');
      return terms
        .filter((term) => mentionsTerm(text, term))
        .filter((term) => !card.sources.some((s) => s.terms.some((t) => normaliseForMatch(t) === normaliseForMatch(term))))
        .map((term) => `${card.topic}: "${term}"`);
    });
    expect(unsupported).to.deep.equal([]);
  });

  it('names the words that matched', () => {
    expect(readDangerTopics('what are the signs that my baby\'s eczema is infected', topics).now?.matched).to.equal('eczema … infected');
  });

  describe('the file is checked at start-up', () => {
    let dir: string;
    // The core schema keeps "reviewed: 2026-12-06" a string, as the bot's own reader does.
    const original = yaml.load(readFileSync(DEFAULT_DANGER_TOPICS_FILE, 'utf8'), { schema: yaml.CORE_SCHEMA }) as { rules: Record<string, unknown>[] };
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'danger-topics-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function problems(edit: (rules: Record<string, unknown>[]) => void, today?: string): string[] {
      const copy = structuredClone(original);
      edit(copy.rules);
      const file = join(dir, `topics-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, yaml.dump(copy));
      try {
        loadDangerTopics(kb, file, today);
      } catch (e) {
        expect(e).to.be.instanceOf(ContentErrors);
        return (e as ContentErrors).problems.map((p) => `${p.file.endsWith('.yaml') ? 'file' : p.file} ${p.entry} / ${p.field}: ${p.problem}`);
      }
      throw new Error('the file loaded without complaint');
    }
    const topic = (rules: Record<string, unknown>[], id: string) => rules.find((r) => r.id === id)!;

    it('refuses a file without one of the required topics, naming what it covers', () => {
      expect(problems((rules) => rules.splice(rules.findIndex((r) => r.id === 'cellulitis'), 1))).to.deep.equal([
        'file cellulitis / id: is required: it gives the safety card for questions about cellulitis; change its patterns or card instead of removing it',
      ]);
    });

    it('refuses a source that is not in data/sources.yaml, and suggests the one meant', () => {
      expect(problems((rules) => (topic(rules, 'cellulitis').sources = ['nhs-celulitis']))).to.deep.equal([
        'file cellulitis / sources: "nhs-celulitis" is not in data/sources.yaml (did you mean "nhs-cellulitis"?)',
      ]);
    });

    it('refuses advice that does not say whom to call today and when to call the emergency number', () => {
      const found = problems((rules) => (topic(rules, 'erythroderma').action = 'If you notice these, call {clinicName}.'));
      expect(found).to.include('file erythroderma / action: must name {clinicPhone}: the card says whom to call today and when to call the emergency number');
      expect(found).to.include('file erythroderma / action: must name {emergencyNumber}: the card says whom to call today and when to call the emergency number');
    });

    it('refuses a review date in the future and an answer that is not a FAQ', () => {
      const found = problems((rules) => {
        topic(rules, 'cellulitis').reviewed = '2030-01-01';
        topic(rules, 'cellulitis').answers = ['staph-aureos'];
      }, '2026-12-06');
      expect(found).to.include('file cellulitis / reviewed: 2030-01-01 is in the future');
      expect(found).to.include('file cellulitis / answers: "staph-aureos" is not a FAQ intent in data/catalog.yaml (did you mean "staph-aureus"?)');
    });

    it('runs each topic\'s examples: a topic that misses its own example stops start-up', () => {
      expect(problems((rules) => (topic(rules, 'cellulitis').examples = ['what is a verruca']))).to.deep.equal([
        'file cellulitis / examples: "what is a verruca" should match this rule but does not',
      ]);
    });
  });
});
