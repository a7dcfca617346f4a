/**
 * Replies to the bot's own questions. After "Did you mean one of these?", "Was this helpful?" or "Is there
 * anything else?", a "yes", "no", "ok", "that helped", "not really", a number or a choice's title answers that
 * question; it is not a new question for the classifier (which read "ok" as goodbye and "no" as noise).
 */
import { wordsOf } from './lexicon.js';
import type { Asked } from './memory.js';

export type OwnReply =
  | { kind: 'choose'; intent: string }
  | { kind: 'none' }
  | { kind: 'feedback'; intent: string; helpful: boolean }
  /** The reply to "What was missing?" about the answer on `intent`; `comment` says whether to keep it with the vote. */
  | { kind: 'missing'; intent: string; comment: boolean }
  | { kind: 'ok' }
  | { kind: 'more'; wants: boolean };

const YES = new Set(['yes', 'yeah', 'yep', 'yup', 'ya', 'yea', 'y', 'sure', 'it did', 'it helped', 'that helped', 'this helped', 'that helps', 'helpful', 'very helpful', 'really helpful', 'great', 'perfect', 'brilliant', 'useful', 'yes it did', 'yes it helped', 'yes that helped', 'yes please', 'yes very', 'yes very much', 'yes it was', 'it was', 'that was helpful', 'that was useful', 'that answers it', 'that answered it', 'i have', 'yes i do', 'i do']);
const NO = new Set(['no', 'nope', 'nah', 'n', 'not really', 'no it did not', "no it didn't", "it didn't", 'it did not', "didn't help", 'did not help', "it didn't help", 'not helpful', 'not at all', 'no not really', 'none', 'none of these', 'none of them', 'none of those', 'neither', 'not that', "that's all", 'that is all', 'nothing else', 'no nothing', 'no more', "i'm good", 'im good', "i'm fine", 'all good', 'no i am fine', "no i'm fine", "no i'm good", 'not quite', 'no that is all', "no that's all", "no that's it", "that's it", 'nothing']);
const OK = new Set(['ok', 'okay', 'k', 'kk', 'okey', 'alright', 'all right', 'got it', 'i see', 'understood', 'fine', 'cool', 'right', 'noted', 'ah ok', 'oh ok', 'ok cool', 'okay cool', 'i understand', 'makes sense', 'that makes sense', 'hmm', 'hm', 'mm', 'ok then']);
const THANKS = [/^(thanks|thank you|thx|ty|cheers)( (so much|very much|a lot))?\s*/, /\s*(thanks|thank you|thx|ty|cheers)( (so much|very much|a lot))?$/];
const ORDINALS: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, last: -1 };
const FILLER = new Set(['the', 'a', 'an', 'one', 'about', 'please', 'option', 'number', 'i', 'mean', 'meant', 'that', 'what', 'is', 'are', 'and', 'of', 'for', 'do', 'does', 'how', 'why', 'can', 'with', 'to', 'in', 'my']);

function phraseOf(text: string): { bare: string; thanked: boolean } {
  let bare = wordsOf(text).join(' ');
  const before = bare;
  for (const t of THANKS) bare = bare.replace(t, '');
  return { bare: bare.trim(), thanked: bare !== before };
}

/** Which of the did-you-mean choices a typed reply names: its number, "the second one", or words of its title. */
function chosen(bare: string, suggestions: readonly string[], titleOf: (intent: string) => string): string | undefined {
  const number = /^(?:number |option )?(\d{1,2})$/.exec(bare);
  if (number) return suggestions[Number(number[1]) - 1];
  const ordinal = /^(?:the )?(first|1st|second|2nd|third|3rd|fourth|4th|last)(?: one)?$/.exec(bare);
  if (ordinal) {
    const n = ORDINALS[ordinal[1]];
    return n === -1 ? suggestions[suggestions.length - 1] : suggestions[n - 1];
  }
  const words = bare.split(' ').filter((w) => w !== '' && !FILLER.has(w));
  if (words.length === 0 || words.length > 8) return undefined;
  // The choice whose title holds every word typed (ignoring small words); only one may fit.
  const fits = suggestions.filter((s) => {
    const title = new Set(wordsOf(`${titleOf(s)} ${s.replaceAll('-', ' ')}`));
    return words.every((w) => title.has(w) || title.has(w.replace(/s$/, '')) || title.has(`${w}s`));
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/**
 * The reply to the bot's last question, or null when the message is a question of its own. "ok" answers any turn
 * (it is never a goodbye); "thanks" alone is left to the classifier, which knows it.
 */
export function readOwnReply(text: string, asked: Asked | undefined, titleOf: (intent: string) => string): OwnReply | null {
  const { bare, thanked } = phraseOf(text);
  if (bare === '') return null;
  if (asked?.kind === 'did-you-mean') {
    if (NO.has(bare)) return { kind: 'none' };
    if (YES.has(bare) && asked.suggestions[0]) return { kind: 'choose', intent: asked.suggestions[0] };
    const intent = chosen(bare, asked.suggestions, titleOf);
    if (intent) return { kind: 'choose', intent };
  }
  if (asked?.kind === 'feedback') {
    if (YES.has(bare)) return { kind: 'feedback', intent: asked.intent, helpful: true };
    if (NO.has(bare)) return { kind: 'feedback', intent: asked.intent, helpful: false };
  }
  if (asked?.kind === 'anything-else') {
    if (YES.has(bare)) return { kind: 'more', wants: true };
    if (NO.has(bare)) return { kind: 'more', wants: false };
  }
  if (OK.has(bare)) return thanked && asked?.kind === 'feedback' ? { kind: 'feedback', intent: asked.intent, helpful: true } : { kind: 'ok' };
  return null;
}
