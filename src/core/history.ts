/**
 * Now or history, as the answer sees it. A red flag or a danger topic told as a past or family event ("I had a DVT
 * two years ago, can I take a JAK pill?", "my mum had a blood clot", "I can't swallow tablets") is not an
 * emergency: it is the patient's background, which a dermatologist weighs when choosing a treatment. The reply
 * answers the question (the suitability answer the model found) and recommends a dermatologist, never more. A red
 * flag happening now in the same message still wins: triage reports only the events told as history here.
 */
import type { RedFlagReading } from '../triage/index.js';
import type { TopicReading } from '../triage/dangerTopics.js';
import type { Asking } from '../triage/matcher.js';

export const HISTORY_REASON =
  'A past or family health event can matter for which treatments suit you, and your dermatologist can weigh it with you.';

export interface PastEvent {
  /** The red-flag rule or danger topic told as history. */
  id: string;
  matched: string;
  reason: string;
}

/**
 * The event told as history, when nothing of the kind is happening now and the message does not go on to ask only
 * a general question ("my dad had a stent last winter; how does methotrexate work?" is answered calmly, like any
 * general question); otherwise null. A history with no question at all, or one asked about the person ("is
 * dupixent safe for me?", "what are the chances for my son?"), still gets the dermatologist.
 */
export function pastEvent(flags: RedFlagReading, topics: TopicReading, asks: () => Asking): PastEvent | null {
  if (flags.now || topics.now || (!flags.history && !topics.history)) return null;
  // Read only when there is a past event: most messages have none.
  if (asks() === 'general') return null;
  const told = flags.history ? { id: flags.history.ruleId, matched: flags.history.matched } : topics.history ? { id: topics.history.topicId, matched: topics.history.matched } : null;
  return told ? { ...told, reason: HISTORY_REASON } : null;
}
