import { expect } from 'chai';
import { renderReply } from '../../src/bot/cards.js';
import { replyTexts } from '../../src/bot/replyText.js';
import { testCore } from '../helpers/testBot.js';

/** Sources with a web address are links in cards, and show the address in plain text. */
describe('sources as links', () => {
  const { answerer, clinic, content } = testCore();
  // The safety card about infected eczema cites the NHS and NICE pages (with addresses) and the answer may cite
  // the source article (without one).
  const reply = answerer.answer('what does infected eczema look like');
  const cited = [...reply.sources, ...(reply.safety?.sources ?? [])];
  const withUrl = cited.find((s) => s.url)!;

  it('the answer cites at least one source with a web address (else this test proves nothing)', () => {
    expect(withUrl, JSON.stringify(cited)).to.not.equal(undefined);
  });

  it('in a card, the title of a source with an address is a Markdown link to it; one without stays text', () => {
    const card = renderReply(reply, clinic, true).messages.at(-1)!.attachments![0]!.content as { body: Array<{ text?: string }> };
    const texts = card.body.map((b) => b.text ?? '');
    expect(texts.some((t) => t.startsWith(`[${withUrl.title.replace(/[.?!]$/, '')}`) && t.includes(`](${withUrl.url})`)), texts.join('\n')).to.equal(true);
    const without = [...content.sources.values()].find((s) => !s.url && cited.some((r) => r.id === s.id));
    if (without) expect(texts.some((t) => t.startsWith(without.title) && !t.startsWith('['))).to.equal(true);
  });

  it('in plain text, the address follows the citation', () => {
    expect(replyTexts(reply, clinic).join('\n')).to.include(`${withUrl.citation} ${withUrl.url}`);
  });
});
