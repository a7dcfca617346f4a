import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reply } from '../../src/core/answer.js';
import { replyTexts } from '../../src/bot/replyText.js';
import { projectRoot } from '../../src/paths.js';
import { testCore } from '../helpers/testBot.js';
import { CONVERSATIONS, SECOND_SET } from './followUpTable.js';
import { figures, play, type Played } from './followUpScore.js';

/**
 * Issue 14's targets on our own multi-turn set (test/conversation/followUpTable.ts), through the real answerer and
 * its memory, as the bot's conversation uses them: at least 85 % of the turns after the first accepted, every danger
 * kept at its level, no alarm raised by history, and every escalation as the table says.
 */
describe('conversations with follow-up questions (our own multi-turn set)', () => {
  let played: Played[] = [];
  before(() => {
    played = play(CONVERSATIONS, testCore().answerer);
  });

  it('has at least 60 conversations, with follow-ups about every treatment, replies, topic changes and dangers', () => {
    expect(CONVERSATIONS.length).to.be.at.least(60);
    const roles = new Set(CONVERSATIONS.flatMap((c) => c.turns.map((t) => t.role)));
    expect([...roles]).to.include.members(['follow', 'topic', 'reply', 'danger', 'history']);
    const treatments = ['dupilumab', 'tralokinumab', 'nemolizumab', 'jak-inhibitors', 'ruxolitinib-cream', 'topical-steroids', 'calcineurin-inhibitors', 'moisturizers', 'biologics'];
    for (const intent of treatments) {
      expect(CONVERSATIONS.some((c) => c.turns[0]!.accept.includes(intent) && c.turns.some((t) => t.role === 'follow')), intent).to.equal(true);
    }
  });

  it('accepts at least 85 % of the turns after the first', () => {
    const f = figures(played);
    expect(f.followUps.ok / f.followUps.of, f.misses.join('\n')).to.be.at.least(0.85);
  });

  it('keeps every danger from an earlier turn at its level', () => {
    const f = figures(played);
    expect(f.dangers.of).to.be.at.least(6);
    expect(f.dangers.ok, f.misses.join('\n')).to.equal(f.dangers.of);
  });

  it('raises no alarm from history or from nothing', () => {
    expect(figures(played).falseAlarms, figures(played).misses.join('\n')).to.equal(0);
  });

  it('gives every turn the escalation its table asks for', () => {
    expect(played.filter((p) => !p.levelOk).map((p) => `${p.conversation} #${p.index + 1} "${p.turn.text}" → ${p.reply.escalation}`)).to.deep.equal([]);
  });

  it('reads the same follow-up differently after different topics', () => {
    const { answerer } = testCore();
    const after = (first: string) => answerer.converse('does it burn?', answerer.converse(first).memory).reply.intent;
    expect(after('what is tacrolimus')).to.equal('calcineurin-inhibitors');
    expect(after('what are topical steroids')).to.equal('topical-steroids');
    expect(after('what is opzelura')).to.equal('ruxolitinib-cream');
  });

  it('forgets the topic after a few turns and never reads a follow-up without one', () => {
    const { answerer } = testCore();
    expect(answerer.converse('is it safe in pregnancy?').reply.followUpOf).to.equal(undefined);
    let memory = answerer.converse('what is dupixent').memory;
    for (const text of ['what is the capital of France', 'who won the world cup', 'what is the weather']) memory = answerer.converse(text, memory).memory;
    expect(answerer.converse('can kids have it?', memory).reply.followUpOf).to.equal(undefined);
  });

  it('keeps only ids in memory, never what the patient typed', () => {
    const { answerer } = testCore();
    let memory = answerer.converse('my name is Jane Doe, what is dupixent').memory;
    memory = answerer.converse('my eczema is weeping with yellow crusts, Jane', memory).memory;
    const stored = JSON.stringify(memory);
    // The danger's reason is the red-flag rule's own sentence (data/red-flags.yaml), not the patient's words.
    expect(stored).to.not.match(/jane|doe|weeping/i);
    expect(memory.topic?.intent).to.equal('dupilumab');
    expect(memory.danger?.level).to.equal('urgent');
  });
});

describe('conversations with follow-up questions (the second set, written after the code)', () => {
  it('accepts at least 85 % of the turns after the first, keeps its danger and raises no alarm', () => {
    const f = figures(play(SECOND_SET, testCore().answerer));
    expect(f.followUps.ok / f.followUps.of, f.misses.join('\n')).to.be.at.least(0.85);
    expect(f.dangers.ok).to.equal(f.dangers.of);
    expect(f.falseAlarms).to.equal(0);
  });
});

describe('what the clinic information does not cover', () => {
  const { answerer, content, clinic } = testCore();
  const shown = (reply: Reply) => replyTexts(reply, clinic).join('\n');
  const afterTopic = (first: string, text: string) => answerer.converse(text, answerer.converse(first).memory).reply;

  const gaps: { first: string; ask: string; topic: RegExp; missing: RegExp }[] = [
    { first: 'what is dupixent', ask: 'and eye problems?', topic: /dupilumab \(Dupixent\)/, missing: /eye problems/ },
    { first: 'what is dupixent', ask: 'how much does it cost?', topic: /dupilumab \(Dupixent\)/, missing: /cost and insurance/ },
    { first: 'what is tralokinumab', ask: 'how long until it works?', topic: /tralokinumab \(Adbry\)/, missing: /how long it takes to work/ },
    { first: 'what are topical steroids', ask: 'can children use them?', topic: /topical steroids/, missing: /use in children/ },
    { first: 'what is tacrolimus', ask: 'is it safe when pregnant?', topic: /calcineurin inhibitors \(tacrolimus, pimecrolimus\)/, missing: /pregnancy and breastfeeding/ },
    { first: 'what are topical steroids', ask: 'what about the face?', topic: /topical steroids/, missing: /use on the face/ },
    { first: 'what is opzelura', ask: 'does it burn?', topic: /ruxolitinib cream \(Opzelura\)/, missing: /burning or stinging/ },
    { first: 'what are jak inhibitors', ask: 'can I get vaccines on them?', topic: /JAK inhibitor pills/, missing: /vaccines/ },
  ];
  for (const g of gaps) {
    it(`"${g.first}" → "${g.ask}": says the information doesn't cover it, what it covers, and where to ask`, () => {
      const reply = afterTopic(g.first, g.ask);
      const text = shown(reply);
      expect(text).to.match(new RegExp(`The clinic's information on ${g.topic.source} doesn't cover [^.]*${g.missing.source}`));
      expect(text).to.match(/It covers [^.]+, below\./);
      expect(text).to.include(clinic.phone);
      // The answer shown is the entry's own, word for word.
      expect(text).to.include(reply.entry!.answer.split('\n')[0]!);
    });
  }

  it('names what is not covered in a single question too, and nothing when the entry covers it', () => {
    expect(shown(answerer.answer('how much does dupixent cost'))).to.match(/doesn't cover cost and insurance/);
    expect(answerer.answer('how does dupixent work').coverage).to.equal(undefined);
    expect(answerer.answer('do jak pills need blood tests').coverage).to.equal(undefined);
  });

  it('recommends a dermatologist when the aspect not covered is a personal decision', () => {
    const reply = afterTopic('what is dupixent', "I'm pregnant, is it ok for me?");
    expect(reply.coverage?.missing).to.include('pregnancy and breastfeeding');
    expect(reply.escalation).to.equal('dermatologist');
    expect(shown(reply)).to.match(/We recommend seeing a dermatologist/i);
  });

  it('adds no medical sentence of its own: every sentence of a gap reply is the entry, a source, the clinic or a fixed notice', () => {
    const kb = [...content.entries.values()].map((e) => e.answer).join('\n');
    const allowed = (line: string) =>
      kb.includes(line) ||
      /^The clinic's information on .* doesn't cover .*\. (It covers .*, below\. )?For .*, please ask .* on .* or book a visit at .*\.$/.test(line) ||
      /^(Sources:|- |Reply with a number:|\d+\. |WHAT |HOW |ARE |DO |Last reviewed)/.test(line) ||
      /^(We recommend seeing a dermatologist|If you have trouble breathing|Book an appointment|A dermatologist can|Whether a medicine suits you)/i.test(line) ||
      line.trim() === '';
    for (const g of gaps) {
      const reply = afterTopic(g.first, g.ask);
      // A danger topic's safety card is content too (data/danger-topics.yaml, clinic details filled in).
      const card = reply.safety ? [reply.safety.title.toUpperCase(), reply.safety.reason, reply.safety.action, reply.safety.note ?? '', ...reply.safety.signs] : [];
      const lines = shown(reply).split('\n');
      // The escalation's reason is the rule's own sentence (data/dermatologist-cues.yaml and the like).
      const reason = (l: string) => reply.escalationReason !== '' && l.startsWith(reply.escalationReason);
      // The urgent alert (src/bot/replyText.ts): its label, then the card's own action or the fixed urgent advice,
      // then the clinic's numbers and booking page.
      const lead = (l: string) => /^(URGENT|EMERGENCY): /.test(l) && (card.some((c) => c !== '' && l.toLowerCase().includes(c.toLowerCase())) || /please get medical care today/.test(l));
      const calls = (l: string) => /^Call [^:]+: [+\d\s()-]+$/.test(l) || /^Book a visit: https?:\/\/\S+$/.test(l);
      const foreign = lines.filter((l) => !allowed(l) && !reason(l) && !lead(l) && !calls(l) && !kb.includes(l.replace(/^- /, '')) && !card.includes(l.replace(/^- /, '')));
      expect(foreign, `${g.ask}`).to.deep.equal([]);
    }
  });

  it('is checked at start-up: every entry lists what it covers, with aspects data/context.yaml knows', () => {
    for (const entry of content.entries.values()) if (entry.kind === 'faq') expect(entry.covers.length, entry.intent).to.be.greaterThan(0);
    expect(readFileSync(join(projectRoot, 'data', 'context.yaml'), 'utf8')).to.match(/aspects:/);
  });
});

describe('replies to the bot\'s own questions', () => {
  const { answerer } = testCore();
  const turns = (...texts: string[]) => {
    let memory = {};
    return texts.map((text) => {
      const turn = answerer.converse(text, memory);
      memory = turn.memory;
      return turn;
    });
  };

  it('"yes" and "not really" after an answer are feedback on it, not new questions', () => {
    const [, yes] = turns('what is eczema', 'yes');
    expect(yes!.own).to.deep.equal({ kind: 'feedback', intent: 'what-is-eczema', helpful: true });
    const [, no] = turns('what is eczema', 'not really');
    expect(no!.own).to.deep.equal({ kind: 'feedback', intent: 'what-is-eczema', helpful: false });
    expect(no!.reply.message).to.match(/what was missing/i);
  });

  it('"ok" never ends the chat; "no" after "anything else?" does, and "bye" does', () => {
    const [, ok, no] = turns('what is eczema', 'ok', 'no');
    expect(ok!.reply.kind).to.equal('acknowledge');
    expect(ok!.reply.intent).to.equal(null);
    expect(no!.reply.intent).to.equal('goodbye');
    expect(turns('ok')[0]!.reply.intent).to.not.equal('goodbye');
    expect(turns('what is eczema', 'bye')[1]!.reply.intent).to.equal('goodbye');
  });

  it('a number, an ordinal or the title answers did-you-mean; "none of these" declines', () => {
    const [clarify] = turns('cream');
    const suggestions = clarify!.reply.suggestions.map((s) => s.intent);
    expect(suggestions.length).to.be.at.least(2);
    expect(turns('cream', '2')[1]!.reply.intent).to.equal(suggestions[1]);
    expect(turns('cream', 'the first one')[1]!.reply.intent).to.equal(suggestions[0]);
    expect(turns('cream', 'topical steroids')[1]!.reply.intent).to.equal('topical-steroids');
    expect(turns('cream', 'none of these')[1]!.own).to.deep.equal({ kind: 'none' });
  });

  it('a real question after the bot asked something is still a question', () => {
    const [, next] = turns('what is eczema', 'no, what triggers a flare?');
    expect(next!.own).to.equal(undefined);
    expect(next!.reply.intent).to.equal('triggers');
  });
});
