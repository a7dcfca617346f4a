/**
 * Is this message a follow-up to the last answer, or a question of its own? A follow-up names no topic of its own
 * ("is it safe?", "how often?", "what about the face?", "I'm pregnant", "I had a clot, is it ok for me?") and is
 * read against the remembered topic: the classifier and the dermatologist rule see the topic's words beside the
 * message. A message that names a topic ("what about Adbry?") is a new question, and wins.
 */
import type { Decision } from '../../nlu/index.js';
import { holdsAny, wordsOf, type Aspect, type ContextLexicon, type ContextTopic } from './lexicon.js';
import { liveTopic, type ConversationMemory } from './memory.js';

/** What the message itself says, context aside. */
export interface MessageReading {
  words: string[];
  /** The topic (intent) the message names, if any. */
  ownTopic?: string;
  /** Aspects it asks about, in data order. */
  aspects: Aspect[];
  site?: string;
  child: boolean;
  /** It speaks about the patient or their family ("I", "my", "for me", "he"). */
  personal: boolean;
  /** It leans on what was said before: "it", "they", "what about", "and ...". */
  refersBack: boolean;
}

export interface FollowUp {
  /** The remembered topic the message is read against. */
  topic: ContextTopic;
  /** The message (personal details removed) with the topic's words, for the classifier. */
  classifyText: string;
  /** The message with the medicine's word (and "child"), for the dermatologist rule and the danger topics. */
  cueText: string;
  child: boolean;
  site?: string;
}

const PERSONAL = new Set(['i', "i'm", 'im', "i've", 'ive', "i'd", 'me', 'my', 'mine', 'myself', 'we', 'our', 'us', 'he', "he's", 'him', 'his', 'she', "she's", 'her']);
const BACK_REFERENCES = new Set(['it', "it's", 'its', 'they', 'them', 'this', 'that', 'these', 'those', 'there', 'one']);
const LEADS = [/^(and|also|plus|but|so)\b/, /^(what|how) about\b/, /^what if\b/, /^(is|are) (it|they|that|this)\b/];

export function readMessage(text: string, lexicon: ContextLexicon): MessageReading {
  const words = wordsOf(text);
  let ownTopic: string | undefined;
  for (const topic of lexicon.topics.values()) {
    if (holdsAny(words, topic.terms)) {
      ownTopic = topic.intent;
      break;
    }
  }
  let site: string | undefined;
  for (const [id, patterns] of lexicon.sites) {
    if (holdsAny(words, patterns)) {
      site = id;
      break;
    }
  }
  const joined = words.join(' ');
  return {
    words,
    ...(ownTopic ? { ownTopic } : {}),
    aspects: [...lexicon.aspects.values()].filter((a) => holdsAny(words, a.phrases)),
    ...(site ? { site } : {}),
    child: holdsAny(words, lexicon.child),
    personal: words.some((w) => PERSONAL.has(w)),
    refersBack: words.some((w) => BACK_REFERENCES.has(w)) || LEADS.some((l) => l.test(joined)),
  };
}

/**
 * The follow-up reading of a message, or null when it stands on its own: no topic remembered, a topic of its own,
 * or a complete question the model answers confidently without leaning on what came before ("why does eczema itch
 * so much?"), or a conversational turn (thanks, hello, goodbye).
 */
export function followUpOf(
  text: string,
  message: MessageReading,
  standalone: Decision,
  memory: ConversationMemory | undefined,
  lexicon: ContextLexicon,
  isFaq: (intent: string) => boolean,
): FollowUp | null {
  const remembered = liveTopic(memory);
  if (!remembered || message.ownTopic) return null;
  const topic = lexicon.topics.get(remembered.intent);
  if (!topic) return null;
  if (standalone.kind === 'answer' && !isFaq(standalone.intent)) return null;
  // A lone new word ("cream") is a question of its own; a follow-up asks about an aspect, speaks of the patient or
  // points back ("it", "and for children?").
  const leans = message.refersBack || message.personal || message.aspects.length > 0;
  if (!leans) return null;
  const child = message.child || remembered.child === true;
  const site = message.site ?? remembered.site;
  const name = topic.name.replace(/[()]/g, ' ');
  const rx = topic.rx ?? '';
  return {
    topic,
    classifyText: `${text} ${name}`,
    cueText: `${message.words.join(' ')} ${rx}${child && !message.child ? ' child' : ''}`.trim(),
    child,
    ...(site ? { site } : {}),
  };
}
