import { expect } from 'chai';
import { renderReply } from '../../src/bot/cards.js';
import { replyTexts } from '../../src/bot/replyText.js';
import { testCore } from '../helpers/testBot.js';

/** How a safety card reads in every channel: the terminal and Teams text, and the Adaptive Card of Web Chat. */
describe('a safety card in the reply', () => {
  const { answerer, clinic } = testCore();

  it('reads as the topic, its signs as a list, and what to do, with the card\'s sources and review date', () => {
    const [alert, ...rest] = replyTexts(answerer.answer('what are the warning signs of cellulitis'), clinic);
    // The advice first, as the urgent alert's lead, then the card's signs; numbers to call and booking after.
    expect(alert).to.match(/^URGENT: if you notice any of these, contact Demo Dermatology Clinic today on \+1 555 010 0199\. .*call 911\.$/m);
    expect(alert).to.match(/^SIGNS OF CELLULITIS/m);
    expect(alert).to.match(/^- an area of skin that suddenly becomes painful, hot and swollen/m);
    expect(alert).to.match(/^Call Demo Dermatology Clinic: \+1 555 010 0199$/m).and.match(/^Call 911: 911$/m).and.match(/^Book a visit: https:\/\//m);
    expect(alert!.indexOf('URGENT')).to.be.lessThan(alert!.indexOf('SIGNS OF CELLULITIS'));
    const text = rest.join('\n');
    expect(text).to.match(/^- Cellulitis \(NHS\)\. NHS\. "Cellulitis\."/m);
    expect(text).to.match(/^- Safety advice last reviewed: \d{4}-\d{2}-\d{2}$/m);
  });

  it('comes before the answer it goes with, and asks for no vote when it stands alone', () => {
    const reply = answerer.answer('what are the symptoms of a blood clot on rinvoq');
    expect(reply.intent, 'an answer about the topic goes with the card').to.be.oneOf(['jak-inhibitors', 'treatment-safety']);
    const withAnswer = replyTexts(reply, clinic).join('\n');
    const card = withAnswer.indexOf('SIGNS OF A BLOOD CLOT');
    expect(card).to.be.greaterThan(-1);
    expect(withAnswer.indexOf(reply.entry!.title.toUpperCase())).to.be.greaterThan(card);
    const alone = answerer.answer('what is eczema herpeticum');
    const rendered = renderReply(alone, clinic, true);
    // In Web Chat and Teams the card's signs are inside the urgent alert card, the first message.
    const adaptive = rendered.messages[0]!.attachments![0]!.content as { body: { items: { text?: string }[] }[]; speak: string };
    expect(adaptive.body[0]!.items.map((i) => i.text)).to.include('Signs of eczema herpeticum (the cold sore virus in eczema)');
    expect(adaptive.speak).to.match(/^Urgent\. If you notice any of these/);
    expect(rendered.choices.filter((c) => c.action === 'feedback')).to.deep.equal([]);
  });
});
