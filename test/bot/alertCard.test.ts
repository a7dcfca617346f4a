import { expect } from 'chai';
import { renderReply } from '../../src/bot/cards.js';
import { replyTexts } from '../../src/bot/replyText.js';
import { testCore } from '../helpers/testBot.js';

/** Urgent and emergency advice as its own card where cards render, and as the same words in plain text. */
describe('urgent and emergency alerts', () => {
  const { answerer, clinic } = testCore();

  type Card = { body: Array<{ type: string; style?: string; items: Array<{ type: string; text?: string; actions?: Array<{ type: string; title: string; url: string }> }> }>; speak: string; fallbackText: string };
  const cardOf = (text: string, at = 0): Card => renderReply(answerer.answer(text), clinic, true).messages[at]!.attachments![0]!.content as Card;
  const actionsOf = (card: Card) => card.body[0]!.items.flatMap((i) => i.actions ?? []);

  it('an emergency is one coloured card: the word "Emergency" as text, the advice, and a button that calls the emergency number', () => {
    const rendered = renderReply(answerer.answer("my throat is swelling and I can't breathe"), clinic, true);
    expect(rendered.messages, 'alone').to.have.length(1);
    const card = rendered.messages[0]!.attachments![0]!.content as Card;
    const box = card.body[0]!;
    expect(box).to.include({ type: 'Container', style: 'attention' });
    expect(box.items[0]!.text).to.equal('\u26A0 Emergency');
    expect(box.items[1]!.text).to.match(/^Call 911 now, or go to the nearest emergency department\./);
    expect(actionsOf(card)).to.deep.equal([{ type: 'Action.OpenUrl', title: 'Call 911', url: 'tel:911' }]);
    expect(card.speak).to.match(/^Emergency\. Call 911 now/);
    expect(rendered.messages[0]!.summary).to.match(/^EMERGENCY: call 911 now/);
  });

  it('urgent advice from a red flag: its own amber card first, calling the clinic and the emergency number, and booking', () => {
    const card = cardOf('my eczema is oozing yellow pus and I have a fever');
    expect(card.body[0]).to.include({ type: 'Container', style: 'warning' });
    expect(card.body[0]!.items[0]!.text).to.equal('\u26A0 Urgent');
    expect(card.body[0]!.items[1]!.text).to.match(/^Please get medical care today: call Demo Dermatology Clinic on \+1 555 010 0199/);
    expect(actionsOf(card).map((a) => [a.title, a.url])).to.deep.equal([
      ['Call Demo Dermatology Clinic (+1 555 010 0199)', 'tel:+15550100199'],
      ['Call 911', 'tel:911'],
      ['Book a visit', 'https://clinic.example.org/book'],
    ]);
  });

  it('a question about a danger topic counts as urgent: the card\'s action first, then its signs, in the alert', () => {
    const card = cardOf('what does infected eczema look like');
    expect(card.body[0]!.items[0]!.text).to.equal('\u26A0 Urgent');
    expect(card.body[0]!.items[1]!.text).to.match(/^If you notice any of these, contact Demo Dermatology Clinic today/);
    expect(card.body[0]!.items.map((i) => i.text)).to.include('Signs that eczema may be infected');
    expect(actionsOf(card).map((a) => a.url)).to.include.members(['tel:+15550100199', 'tel:911']);
  });

  it('a calm answer has no alert', () => {
    const rendered = renderReply(answerer.answer('what is eczema'), clinic, true);
    const first = rendered.messages[0]!.attachments![0]!.content as Card;
    expect(first.body[0]!.type).to.equal('TextBlock');
    expect(replyTexts(answerer.answer('what is eczema'), clinic).join('\n')).not.to.match(/URGENT|EMERGENCY/);
  });

  it('the terminal gets the same content: label, advice, numbers to call and the booking page', () => {
    const [alert] = replyTexts(answerer.answer('my eczema is oozing yellow pus and I have a fever'), clinic);
    expect(alert).to.match(/^URGENT: please get medical care today/).and.match(/^Call Demo Dermatology Clinic: \+1 555 010 0199$/m).and.match(/^Book a visit: https:/m);
  });
});
