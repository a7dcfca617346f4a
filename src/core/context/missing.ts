/**
 * The patient's reply to "What was missing?", the bot's question after a "No, it did not help". The reply is read
 * after answer() has read it as a question, so triage has already seen it: a red flag in it is answered with its
 * advice whatever else the message is. Then:
 *
 * - a question the bot can answer with another answer than the one voted down ("how long does dupilumab take to
 *   work?" after a "no" on moisturisers), or one of the conversation's own intents (thanks, goodbye, a person at
 *   the clinic), or a message in another language, is a new turn: answered as usual, and no comment is kept;
 * - a bare "no", "nothing" or "skip" leaves no comment;
 * - anything else is what was missing: kept with the vote (redacted by the record store), the patient thanked and
 *   offered the clinic. That includes a question the bot cannot answer, which is the likeliest thing to be missing.
 */
import type { Reply } from '../answer.js';
import { wordsOf } from './lexicon.js';

export type MissingReading =
  /** Triage found something happening now: its advice is the reply, and the message is the comment too. */
  | 'red-flag'
  /** A new question (or small talk) the bot answers as any other message; the comment is dropped. */
  | 'question'
  /** What was missing, to keep with the vote. */
  | 'comment'
  /** Nothing to add. */
  | 'skip';

const NOTHING = new Set([
  'no', 'nope', 'nah', 'n', 'nothing', 'none', 'no comment', 'skip', 'pass', 'not sure', "i don't know", 'i dont know',
  'dont know', "don't know", 'idk', 'na', 'n a', 'never mind', 'nevermind', 'no thanks', 'no thank you', 'nothing really',
  'not really', 'nothing else', 'all good', "it's fine", 'its fine', 'fine', 'ok', 'okay',
]);

/**
 * How to take the message, given the reply answer() gave it read as a question. `asks` says whether the message
 * asks something (a question mark, or a clause opening with a question word); `isFaq` whether an intent is a
 * knowledge-base answer rather than one of the conversation's own (thanks, goodbye, a person at the clinic).
 */
export function readWhatWasMissing(text: string, reply: Reply, votedOn: string, asks: boolean, isFaq: (intent: string) => boolean): MissingReading {
  if (reply.kind === 'emergency' || reply.redFlag !== undefined) return 'red-flag';
  if (reply.kind === 'empty' || NOTHING.has(wordsOf(text).join(' '))) return 'skip';
  // Another language: its approved sentence ("this assistant answers in English only") serves better than a thanks.
  if (reply.language) return 'question';
  if (reply.intent !== null && !isFaq(reply.intent) && (reply.kind === 'answer' || reply.kind === 'handoff')) return 'question';
  // The answer the patient just said did not help, again, would not help either: what they wrote is the comment.
  const answered = reply.intent !== null && reply.intent !== votedOn && (reply.kind === 'answer' || reply.kind === 'urgent');
  return answered && asks ? 'question' : 'comment';
}
