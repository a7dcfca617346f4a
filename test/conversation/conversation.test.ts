import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { BotStorage } from '../../src/store/botStorage.js';
import { buttonsOf, cardOf, createTestBot, said, visibleText, type TestBot } from '../helpers/testBot.js';

/**
 * The conversation a patient has, written as tables of turns: what the patient sends, what they must see.
 */
type Turn = {
  send: string | { press: string | number } | { value: Record<string, unknown> };
  expect: (messages: Partial<Activity>[], bot: TestBot) => void | Promise<void>;
};

async function play(turns: Turn[], channel = 'webchat'): Promise<TestBot> {
  const bot = await createTestBot(channel);
  let last: Partial<Activity>[] = await bot.join();
  for (const turn of turns) {
    let messages: Partial<Activity>[];
    if (typeof turn.send === 'string') messages = await bot.say(turn.send);
    else if ('value' in turn.send) messages = await bot.say({ value: turn.send.value });
    else {
      const buttons = last.flatMap(buttonsOf);
      const wanted = turn.send.press;
      const button = typeof wanted === 'number' ? buttons[wanted] : buttons.find((b) => b.title.includes(wanted));
      expect(button, `a button "${String(wanted)}" in ${JSON.stringify(buttons.map((b) => b.title))}`).to.not.equal(undefined);
      messages = await bot.say({ value: button!.data });
    }
    await turn.expect(messages, bot);
    last = messages;
  }
  return bot;
}

/** A bot the patient has joined, as Web Chat starts a conversation; closed with the others in `open` after the test. */
async function joined(open: TestBot[], channel?: string, now?: () => number): Promise<TestBot> {
  const bot = await createTestBot(channel, now);
  open.push(bot);
  await bot.join();
  return bot;
}

const text = (messages: Partial<Activity>[]) => messages.map(visibleText).join('\n');
const titleOf = (message: Partial<Activity> | undefined) => {
  const body = (cardOf(message ?? {})?.body ?? []) as Array<{ text?: string }>;
  return body[0]?.text ?? '';
};

describe('conversation', () => {
  const open: TestBot[] = [];
  afterEach(async () => {
    for (const bot of open.splice(0)) await bot.close();
  });
  const run = async (turns: Turn[], channel?: string) => open.push(await play(turns, channel));

  it('welcomes a new patient: what the bot is, not a doctor, not for emergencies, the number, example questions', async () => {
    const bot = await createTestBot();
    open.push(bot);
    const welcome = await bot.join();
    expect(welcome).to.have.length(1);
    const shown = visibleText(welcome[0]!);
    expect(shown).to.match(/automated/i);
    expect(shown).to.match(/not a doctor/i);
    expect(shown).to.match(/not for emergencies/i);
    expect(shown).to.contain('911');
    expect(buttonsOf(welcome[0]!).length).to.be.within(3, 4);
  });

  it('welcomes on the first message when the channel sent no conversation start, then answers', async () => {
    const bot = await createTestBot();
    open.push(bot);
    const messages = await bot.say('what is filaggrin');
    expect(visibleText(messages[0]!)).to.match(/not a doctor/i);
    expect(visibleText(messages[messages.length - 1]!)).to.match(/filaggrin/i);
  });

  it('welcomes on a first message that carries only a card value, then asks for a question', async () => {
    const bot = await createTestBot();
    open.push(bot);
    const messages = await bot.say({ value: { unexpected: true } });
    expect(visibleText(messages[0]!)).to.match(/not a doctor/i);
    expect(visibleText(messages[messages.length - 1]!)).to.match(/type a question/i);
  });

  it('answers a clear question with the entry title, answer, sources, review date, follow-ups and feedback buttons', async () => {
    await run([
      {
        send: 'what is filaggrin and why does it matter for eczema',
        expect: (messages) => {
          expect(messages).to.have.length(1);
          const shown = visibleText(messages[0]!);
          expect(titleOf(messages[0])).to.match(/\?$/);
          expect(shown).to.match(/filaggrin/i);
          expect(shown).to.match(/Sources/);
          expect(shown).to.match(/Last reviewed: \d{4}-\d{2}-\d{2}/);
          expect(shown).to.match(/Was this helpful\?/);
          const buttons = buttonsOf(messages[0]!);
          const followUps = buttons.filter((b) => b.data.action === 'ask');
          expect(followUps.length).to.be.within(2, 3);
          expect(buttons.filter((b) => b.data.action === 'feedback').map((b) => b.data.helpful)).to.deep.equal([true, false]);
          expect(cardOf(messages[0]!)?.version).to.equal('1.5');
        },
      },
    ]);
  });

  it('gives every card a spoken text with its answer and marks its titles as headings, for screen readers', async () => {
    await run([
      {
        send: 'what is filaggrin and why does it matter for eczema',
        expect: (messages) => {
          const card = cardOf(messages[0]!)!;
          const answer = ((card.body as Array<{ text?: string }>)[1]?.text ?? '').replace(/\*\*/g, '');
          expect(answer.length).to.be.greaterThan(40);
          expect(card.speak).to.include(`${titleOf(messages[0])}.`);
          expect(card.speak).to.include(answer.split('\n')[0]);
          expect(card.speak).to.match(/Sources:[\s\S]*Was this helpful\?$/);
          expect(card.speak).not.to.include('**');
          const headings = (card.body as Array<{ style?: string; text?: string }>).filter((b) => b.style === 'heading').map((b) => b.text);
          expect(headings).to.include.members([titleOf(messages[0]), 'Sources', 'Related questions', 'Was this helpful?']);
        },
      },
      { send: 'cream', expect: (messages) => expect(cardOf(messages.at(-1)!)?.speak).to.match(/Did you mean|not sure/i) },
    ]);
  });

  it('pressing a follow-up answers that question', async () => {
    let pressedTitle = '';
    await run([
      {
        send: 'what does dupixent do',
        expect: (messages) => {
          pressedTitle = buttonsOf(messages[0]!).find((b) => b.data.action === 'ask')!.title;
        },
      },
      { send: { press: 0 }, expect: (messages) => void expect(titleOf(messages[0])).to.equal(pressedTitle) },
    ]);
  });

  it('offers "did you mean" for an ambiguous question, and pressing a choice answers it', async () => {
    let choice = '';
    await run([
      {
        // "eczema cream" could be a moisturizer, a steroid cream or a non-steroid cream.
        send: 'eczema cream',
        expect: (messages) => {
          expect(text(messages)).to.match(/not sure I understood/i);
          const buttons = buttonsOf(messages[0]!);
          expect(buttons.filter((b) => b.data.action === 'choose').length).to.be.within(2, 3);
          expect(buttons[buttons.length - 1]!.title).to.equal('None of these');
          choice = buttons[1]!.title;
        },
      },
      { send: { press: 1 }, expect: (messages) => void expect(titleOf(messages[0])).to.equal(choice) },
    ]);
  });

  it('"None of these" declines, offers the clinic, and records the unclear question redacted', async () => {
    await run([
      { send: 'eczema cream for my son (555-201-9876)', expect: (messages) => void expect(text(messages)).to.match(/not sure I understood/i) },
      {
        send: { press: 'None of these' },
        expect: async (messages, bot) => {
          expect(text(messages)).to.match(/can't answer/i);
          expect(text(messages)).to.contain('+1 555 010 0199');
          // The did-you-mean was recorded for the staff inbox when it was offered; "none of these" adds a decline.
          const unanswered = (await bot.records.list('unanswered'));
          expect(unanswered.map((u) => u.inbox)).to.deep.equal(['declined', 'did-you-mean']);
          expect(unanswered[1]!.suggestions).to.be.an('array').with.length.greaterThan(0);
          for (const u of unanswered) {
            expect(u.text).to.match(/eczema cream/);
            expect(u.text).not.to.contain('555-201-9876');
          }
        },
      },
    ]);
  });

  it('still answers when the patient adds contact details, which are not part of the question', async () => {
    await run([
      {
        send: 'what is filaggrin? you can reach me at jo.parent@example.com or 555-201-9876',
        expect: (messages) => void expect(titleOf(messages[messages.length - 1])).to.match(/filaggrin/i),
      },
    ]);
  });

  it('records feedback when the patient presses "Yes, this helped"', async () => {
    await run([
      { send: 'how do moisturizers help eczema', expect: () => undefined },
      {
        send: { press: 'Yes, this helped' },
        expect: async (messages, bot) => {
          expect(text(messages)).to.match(/thank you/i);
          expect((await bot.records.list('feedback'))).to.have.length(1);
          expect((await bot.records.list('feedback'))[0]).to.include({ intent: 'moisturizers', helpful: true, channel: 'webchat' });
        },
      },
    ]);
  });

  it('thanks for a vote on an answer that does not exist (a stale or forged button) without recording it', async () => {
    await run([
      {
        send: { value: { action: 'feedback', intent: 'zzz-not-an-intent', helpful: false } },
        expect: async (messages, bot) => {
          expect(text(messages)).to.match(/thank you/i);
          expect((await bot.records.list('feedback'))).to.have.length(0);
        },
      },
    ]);
  });

  it('declines what it cannot answer, offers the clinic, and records the question redacted', async () => {
    await run([
      {
        send: 'what is the price of parking at your office? my email is sam.patient@example.com',
        expect: async (messages, bot) => {
          const shown = text(messages);
          expect(shown).to.match(/can't answer|cannot answer/i);
          expect(shown).to.contain('+1 555 010 0199');
          // A decline may be a red flag triage did not read: it says when not to wait.
          expect(shown).to.match(/trouble breathing, swelling of your face, lips or throat, chest pain, or you faint, call 911 now/);
          const unanswered = (await bot.records.list('unanswered'));
          expect(unanswered).to.have.length(1);
          expect(unanswered[0]!.text).to.match(/parking/);
          expect(unanswered[0]!.text).not.to.contain('sam.patient@example.com');
        },
      },
    ]);
  });

  it('declines gibberish without escalating', async () => {
    await run([
      {
        send: 'qwxz plorf zzzt',
        expect: async (messages, bot) => {
          expect(text(messages)).to.match(/can't answer/i);
          expect(text(messages)).not.to.match(/We recommend seeing a dermatologist/);
          expect((await bot.records.list('escalations'))).to.have.length(0);
        },
      },
    ]);
  });

  it('hands off to the clinic with its phone and booking link, and records the handoff', async () => {
    await run([
      {
        send: 'can I speak to a real person at the clinic please',
        expect: async (messages, bot) => {
          const shown = text(messages) + JSON.stringify(messages);
          expect(shown).to.contain('+1 555 010 0199');
          expect(shown).to.contain('https://clinic.example.org/book');
          expect((await bot.records.list('handoffs'))).to.have.length(1);
        },
      },
    ]);
  });

  it('in a channel without cards, shows numbered choices and a typed number presses one', async () => {
    await run(
      [
        {
          send: 'what is the atopic march',
          expect: (messages) => {
            expect(messages[0]!.attachments ?? []).to.have.length(0);
            expect(messages[0]!.text).to.match(/\n1\. /);
          },
        },
        { send: '1', expect: (messages) => void expect(messages[0]!.text).to.match(/Sources:/) },
      ],
      'terminal',
    );
  });
});

describe('red-flag triage in the conversation', () => {
  const open: TestBot[] = [];
  afterEach(async () => {
    for (const bot of open.splice(0)) await bot.close();
  });

  const emergencies = [
    "my lips and tongue are swelling up and I can't breathe",
    'cant breath and my throte is swolen',
    'I take rinvoq and now my left calf is swollen and painful',
    'chest pain since this morning after starting the new pills',
  ];
  for (const message of emergencies) {
    it(`"${message}" → the emergency number first and alone`, async () => {
      const bot = await joined(open);
      const messages = await bot.say(message);
      expect(messages).to.have.length(1);
      expect(said(messages[0]!)).to.match(/^EMERGENCY: call 911 now/);
      expect((await bot.records.list('escalations')).map((e) => e.level)).to.deep.equal(['emergency']);
    });
  }

  const urgent = [
    'my sons eczema is oozing yellow pus and has honey colored crusts',
    'painful blisters clustered around a cold sore on my eczema',
    'my eczema rash is spreading fast and I have a feaver',
  ];
  for (const message of urgent) {
    it(`"${message}" → same-day care advice first`, async () => {
      const bot = await joined(open);
      const messages = await bot.say(message);
      expect(said(messages[0]!)).to.match(/get medical care today/i);
      expect((await bot.records.list('escalations')).map((e) => e.level)).to.deep.equal(['urgent']);
    });
  }

  it('an emergency as the very first message (no conversation start) comes first and alone; the welcome waits', async () => {
    const bot = await createTestBot();
    open.push(bot);
    const first = await bot.say("my throat is closing up and I can't breathe");
    expect(first).to.have.length(1);
    expect(said(first[0]!)).to.match(/^EMERGENCY: call 911 now/);
    const next = await bot.say('what is filaggrin');
    expect(next[0]!.text, 'the emergency is repeated before anything else').to.match(/^Earlier you described something that may be an emergency/);
    expect(visibleText(next[1]!)).to.match(/not a doctor/i);
  });

  it('reads a red flag even in a message too long to classify', async () => {
    const bot = await joined(open);
    const story = `My lips and tongue are swelling and I can't breathe. ${'I have had eczema since I was small and tried many creams. '.repeat(30)}`;
    const messages = await bot.say(story);
    expect(messages).to.have.length(1);
    expect(said(messages[0]!)).to.match(/^EMERGENCY/);
  });

  it('follows urgent advice with an answer only when the patient asked something', async () => {
    const bot = await joined(open);
    const report = await bot.say('my child has eczema herpeticum');
    expect(said(report[0]!)).to.match(/get medical care today/i);
    // The signs of the condition reported, and when to call the emergency number, but no answer nobody asked for.
    expect(visibleText(report[0]!), 'the signs in the urgent card').to.include('Signs of eczema herpeticum (the cold sore virus in eczema)');
    expect(report.slice(1).map(titleOf).filter((t) => t && t !== 'Sources'), 'no answer the patient did not ask for').to.deep.equal([]);
    const question = await bot.say('my eczema is oozing yellow crusts, is it staph?');
    expect(said(question[0]!)).to.match(/get medical care today/i);
    expect(question.slice(1).map(titleOf).join(' ')).to.match(/Staphylococcus|staph/i);
  });

  it('sends nothing empty after urgent advice that has no answer behind it', async () => {
    const bot = await joined(open);
    const messages = await bot.say('my eczema is oozing yellow pus');
    expect(said(messages[0]!)).to.match(/get medical care today/i);
    for (const m of messages) expect(Boolean(m.text?.trim()) || (m.attachments ?? []).length > 0, 'no empty message').to.equal(true);
    for (const m of messages.slice(1)) expect(((cardOf(m)?.body ?? []) as unknown[]).length).to.be.greaterThan(0);
  });

  it('gives the emergency advice alone, with no apology after it, when the conversation state cannot be saved', async () => {
    const bot = await joined(open);
    const write = BotStorage.prototype.write;
    BotStorage.prototype.write = () => Promise.reject(new Error('disk full'));
    try {
      const messages = await bot.say("my face is swelling and I can't breathe");
      expect(messages).to.have.length(1);
      expect(said(messages[0]!)).to.match(/^EMERGENCY/);
      expect(text(await bot.say('what is filaggrin'))).to.match(/filaggrin/i).and.not.to.match(/something went wrong/i);
    } finally {
      BotStorage.prototype.write = write;
    }
  });

  it('still gives the emergency advice when the clinic record cannot be written', async () => {
    const bot = await joined(open);
    bot.records.escalation = async () => {
      throw new Error('disk full');
    };
    const messages = await bot.say("my face is swelling and I can't breathe");
    expect(messages).to.have.length(1);
    expect(said(messages[0]!)).to.match(/^EMERGENCY/);
  });

  describe('the turns after a red flag', () => {
    const EMERGENCY_REMINDER = /^Earlier you described something that may be an emergency\. .*call 911 now/;
    const URGENT_REMINDER = /^Earlier you described something that needs medical care today\./;

    it('keeps the emergency advice first in the replies that follow: a worried question, then "thanks"', async () => {
      const bot = await joined(open);
      expect(said((await bot.say("my son's lips and eyes are swelling after he ate nuts"))[0]!)).to.match(/^EMERGENCY/);
      const worried = await bot.say('is it serious?');
      expect(said(worried[0]!)).to.match(EMERGENCY_REMINDER);
      expect(worried.length, 'the usual reply still follows').to.be.greaterThan(1);
      const thanks = await bot.say('thanks');
      expect(said(thanks[0]!)).to.match(EMERGENCY_REMINDER);
      expect(text(thanks.slice(1))).to.match(/welcome/i);
    });

    it('keeps the same-day advice after an urgent red flag', async () => {
      const bot = await joined(open);
      expect(said((await bot.say('my eczema is oozing yellow pus and I have a fever'))[0]!)).to.match(/get medical care today/i);
      const next = await bot.say('what should I do until then');
      expect(said(next[0]!)).to.match(URGENT_REMINDER);
      expect(next[0]!.text).to.include('call 911');
    });

    it('reminds of an emergency even before urgent advice, and a repeated emergency still comes alone', async () => {
      const bot = await joined(open);
      await bot.say("my throat is closing up and I can't breathe");
      const urgent = await bot.say('and my eczema is oozing pus');
      expect(said(urgent[0]!)).to.match(EMERGENCY_REMINDER);
      expect(said(urgent[1]!)).to.match(/get medical care today/i);
      const again = await bot.say("I still can't breathe");
      expect(again).to.have.length(1);
      expect(said(again[0]!)).to.match(/^EMERGENCY/);
    });

    it('stops reminding half an hour after the red flag, and never reminds without one', async () => {
      let now = Date.parse('2026-11-26T10:00:00Z');
      const bot = await createTestBot('webchat', () => now);
      open.push(bot);
      await bot.join();
      expect(text(await bot.say('what is filaggrin'))).not.to.match(/Earlier you described/);
      await bot.say("my face is swelling and I can't breathe");
      now += 29 * 60_000;
      expect(said((await bot.say('what is eczema'))[0]!)).to.match(EMERGENCY_REMINDER);
      now += 2 * 60_000;
      expect(text(await bot.say('what is eczema'))).not.to.match(/Earlier you described/);
    });
  });

  const calm = ['no fever and my rash is not spreading, what triggers eczema flares?', "I don't have trouble breathing, is eczema linked to asthma?"];
  for (const message of calm) {
    it(`"${message}" → no red flag`, async () => {
      const bot = await joined(open);
      const messages = await bot.say(message);
      expect(text(messages)).not.to.match(/EMERGENCY|medical care today/);
    });
  }
});

describe('the "see a dermatologist" rule in the conversation', () => {
  const open: TestBot[] = [];
  afterEach(async () => {
    for (const bot of open.splice(0)) await bot.close();
  });
  const escalate = [
    'my eczema is all over my body and keeps me awake every night',
    'moisturizers and hydrocortisone are not working for my eczema anymore',
    'should I stop taking my dupixent injections',
    'can I use tacrolimus while breastfeeding',
    'when should I see a dermatologist about eczema',
  ];
  for (const message of escalate) {
    it(`"${message}" → recommends a dermatologist with the booking link and phone`, async () => {
      const bot = await joined(open);
      const messages = await bot.say(message);
      const shown = text(messages) + JSON.stringify(messages);
      expect(shown).to.match(/We recommend seeing a dermatologist/);
      expect(shown).to.contain('https://clinic.example.org/book');
      expect(shown).to.contain('+1 555 010 0199');
      expect(shown).to.match(/suddenly becomes painful, blistered or oozing, or you have a fever, contact .* today/);
    });
  }
  const general = ['what is filaggrin', 'how does dupilumab work', 'is eczema an autoimmune disease', 'what are topical steroids', 'what is IL-31'];
  for (const message of general) {
    it(`"${message}" → answers without escalating`, async () => {
      const bot = await joined(open);
      const messages = await bot.say(message);
      expect(text(messages)).not.to.match(/We recommend seeing a dermatologist/);
      expect((await bot.records.list('escalations'))).to.have.length(0);
    });
  }
});
