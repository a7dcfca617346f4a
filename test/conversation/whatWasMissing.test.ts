import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { readWhatWasMissing } from '../../src/core/context/missing.js';
import { buttonsOf, cardOf, createTestBot, visibleText, testCore, type TestBot } from '../helpers/testBot.js';

/**
 * "No, it did not help": the bot asks what was missing, keeps the patient's answer (redacted) on the vote's record,
 * thanks them and offers the clinic. A red flag in the answer is triaged first; a new question is answered as one.
 */

const text = (messages: Partial<Activity>[]) => messages.map(visibleText).join('\n');
const openUrls = (messages: Partial<Activity>[]) => {
  const found: Array<{ title: string; url: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.OpenUrl') found.push({ title: String(n.title), url: String(n.url) });
      Object.values(n).forEach(walk);
    }
  };
  for (const m of messages) walk(cardOf(m));
  return found;
};

describe('conversation: what was missing after "No, it did not help"', () => {
  const open: TestBot[] = [];
  afterEach(async () => {
    for (const bot of open.splice(0)) await bot.close();
  });
  async function votedNo(channel = 'webchat'): Promise<{ bot: TestBot; asked: Partial<Activity>[] }> {
    const bot = await createTestBot(channel);
    open.push(bot);
    await bot.join();
    const answer = await bot.say('how do moisturizers help eczema');
    if (channel === 'webchat') {
      const no = answer.flatMap(buttonsOf).find((b) => b.title === 'No, it did not help');
      expect(no, 'the answer card has the "no" button').to.not.equal(undefined);
      return { bot, asked: await bot.say({ value: no!.data }) };
    }
    return { bot, asked: await bot.say('not really') };
  }

  it('asks what was missing, keeps the reply redacted on the vote, thanks and offers the clinic to call and book', async () => {
    const { bot, asked } = await votedNo();
    expect(text(asked)).to.match(/What was missing from the answer\?/);
    const votes = await bot.records.list('feedback');
    expect(votes).to.have.length(1);
    expect(votes[0]).to.include({ intent: 'moisturizers', helpful: false, inbox: 'not-helpful' });
    expect(votes[0]!.comment).to.equal(undefined);

    const thanks = await bot.say('It did not say which brands are ok for babies. Write to me at jo.parent@example.com or 555-201-9876');
    expect(text(thanks)).to.match(/Thank you, the clinic will read this/);
    expect(openUrls(thanks)).to.deep.equal([
      { title: 'Call Demo Dermatology Clinic (+1 555 010 0199)', url: 'tel:+15550100199' },
      { title: 'Book a visit', url: 'https://clinic.example.org/book' },
    ]);
    const [vote] = await bot.records.list('feedback');
    expect(vote!.comment).to.equal('It did not say which brands are ok for babies. Write to me at [EMAIL] or [PHONE]');
    expect(vote!.comment).to.not.match(/example\.com|201-9876/);
    // Nothing else was written about it: it is a comment, not an unanswered question.
    expect(await bot.records.list('unanswered')).to.have.length(0);
  });

  it('keeps a question the bot cannot answer as the comment: it is what was missing', async () => {
    const { bot } = await votedNo();
    const thanks = await bot.say('what about the one my pharmacist mixes himself?');
    expect(text(thanks)).to.match(/Thank you, the clinic will read this/);
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal('what about the one my pharmacist mixes himself?');
  });

  it('answers a new question about eczema as a question, and keeps no comment', async () => {
    const { bot } = await votedNo();
    const reply = await bot.say('what triggers a flare?');
    expect(text(reply)).to.match(/Sources/);
    expect(text(reply)).to.not.match(/the clinic will read this/);
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal(undefined);
    // And the conversation goes on as usual: a "no" now is a vote on the new answer.
    await bot.say('no');
    expect((await bot.records.list('feedback')).map((v) => v.intent)).to.deep.equal(['triggers', 'moisturizers']);
  });

  it('answers a red flag in the reply with the emergency advice first, and keeps it with the vote', async () => {
    const { bot } = await votedNo();
    const reply = await bot.say("it didn't say what to do, my lips are swelling and I can't breathe");
    expect(text(reply.slice(0, 1))).to.match(/Emergency[\s\S]*Call 911 now/);
    expect(text(reply)).to.not.match(/the clinic will read this/);
    expect((await bot.records.list('escalations'))[0]).to.include({ level: 'emergency' });
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal("it didn't say what to do, my lips are swelling and I can't breathe");
  });

  it('urgent advice for an urgent red flag in the reply', async () => {
    const { bot } = await votedNo();
    const reply = await bot.say('the answer missed that my eczema is oozing yellow pus and I have a fever');
    expect(text(reply.slice(0, 1))).to.match(/Urgent[\s\S]*get medical care today/);
  });

  it('"nothing" leaves no comment and still offers the clinic', async () => {
    const { bot } = await votedNo();
    const reply = await bot.say('nothing');
    expect(text(reply)).to.match(/All right/);
    expect(openUrls(reply).map((u) => u.url)).to.include('tel:+15550100199');
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal(undefined);
  });

  it('asks only once: the message after the thanks is a question again', async () => {
    const { bot } = await votedNo();
    await bot.say('it did not mention ointments');
    const next = await bot.say('what is eczema');
    expect(text(next)).to.match(/Sources/);
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal('it did not mention ointments');
  });

  it('in a plain-text channel (the terminal): a typed "not really", then the comment, thanked with the number and booking as text', async () => {
    const { bot, asked } = await votedNo('test');
    expect(text(asked)).to.match(/What was missing from the answer\?/);
    const thanks = await bot.say('how often to put it on');
    const said = text(thanks);
    expect(said).to.match(/Thank you, the clinic will read this/);
    expect(said).to.contain('Call Demo Dermatology Clinic: +1 555 010 0199');
    expect(said).to.contain('Book a visit: https://clinic.example.org/book');
    expect((await bot.records.list('feedback'))[0]!.comment).to.equal('how often to put it on');
  });

  it('in Teams: the same question and the thanks card with call and booking buttons', async () => {
    const { bot, asked } = await votedNo('msteams');
    expect(text(asked)).to.match(/What was missing/);
    const thanks = await bot.say('side effects for children');
    expect(openUrls(thanks).map((u) => u.url)).to.deep.equal(['tel:+15550100199', 'https://clinic.example.org/book']);
  });
});

describe('readWhatWasMissing', () => {
  const { answerer } = testCore();
  const isFaq = (intent: string) => answerer.canBeRated(intent);
  const read = (text: string, votedOn = 'moisturizers', asks = text.includes('?')) => readWhatWasMissing(text, answerer.answer(text), votedOn, asks, isFaq);

  it('takes statements and questions it cannot answer as the comment', () => {
    expect(read('it was too long and did not mention babies')).to.equal('comment');
    expect(read('prices of the creams')).to.equal('comment');
  });

  it('takes a question answered by the very answer voted down as the comment', () => {
    expect(read('what is eczema?', 'what-is-eczema')).to.equal('comment');
  });

  it('takes a question it can answer, small talk and other languages as a new turn', () => {
    expect(read('what is eczema?')).to.equal('question');
    expect(read('thank you')).to.equal('question');
    expect(read('I want to talk to a person')).to.equal('question');
    expect(read('¿Qué es la dermatitis atópica?')).to.equal('question');
  });

  it('reads a red flag first, a bare "no" as nothing to add', () => {
    expect(read("I can't breathe")).to.equal('red-flag');
    expect(read('No')).to.equal('skip');
    expect(read('n/a')).to.equal('skip');
    expect(read('   ')).to.equal('skip');
  });
});
