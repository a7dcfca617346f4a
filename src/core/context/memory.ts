/**
 * What a conversation remembers between turns, so a follow-up ("is it safe?", "I'm pregnant") is read against the
 * topic of the last answer, a danger raised earlier keeps its level, and a "yes" or "2" answers the bot's own
 * question. Only ids, flags and counters from the content: never what the patient typed. It lives in the
 * conversation's state, in the same store as the rest of it (dialogs/conversation.ts), and in `npm run ask
 * -- --conversation`'s loop.
 */
import type { AlarmLevel } from '../alarm.js';

/** How many turns a topic (or a danger) is remembered for after the turn that set it. */
export const CONTEXT_TURNS = 3;

export interface TopicMemory {
  /** The intent of the last answer about a topic. */
  intent: string;
  /** The body site last asked about (an id of data/context.yaml's sites). */
  site?: string;
  /** The patient is asking about a child. */
  child?: boolean;
  turnsLeft: number;
}

export interface DangerMemory {
  level: AlarmLevel;
  /** The red-flag rule or danger topic that raised it. */
  id: string;
  /** Its patient-facing reason (from the rule's data). */
  reason: string;
  turnsLeft: number;
}

/** The question the bot's last reply asked, which a short reply answers. */
export type Asked =
  | { kind: 'did-you-mean'; suggestions: string[] }
  | { kind: 'feedback'; intent: string }
  /** "What was missing?" after a "no" on the answer about `intent` (core/context/missing.ts). */
  | { kind: 'missing'; intent: string }
  | { kind: 'anything-else' };

export interface ConversationMemory {
  topic?: TopicMemory;
  danger?: DangerMemory;
  asked?: Asked;
}

/** The memory as stored state may hold it: anything malformed (an older bot's state, a bad write) is forgotten. */
export function memoryFrom(value: unknown): ConversationMemory {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const memory: ConversationMemory = {};
  const topic = v.topic as Record<string, unknown> | undefined;
  if (topic && typeof topic.intent === 'string' && typeof topic.turnsLeft === 'number') {
    memory.topic = {
      intent: topic.intent,
      turnsLeft: topic.turnsLeft,
      ...(typeof topic.site === 'string' ? { site: topic.site } : {}),
      ...(topic.child === true ? { child: true } : {}),
    };
  }
  const danger = v.danger as Record<string, unknown> | undefined;
  if (danger && (danger.level === 'urgent' || danger.level === 'emergency') && typeof danger.id === 'string' && typeof danger.reason === 'string' && typeof danger.turnsLeft === 'number') {
    memory.danger = { level: danger.level, id: danger.id, reason: danger.reason, turnsLeft: danger.turnsLeft };
  }
  const asked = v.asked as Record<string, unknown> | undefined;
  if (asked?.kind === 'did-you-mean' && Array.isArray(asked.suggestions) && asked.suggestions.every((s) => typeof s === 'string')) {
    memory.asked = { kind: 'did-you-mean', suggestions: asked.suggestions as string[] };
  } else if ((asked?.kind === 'feedback' || asked?.kind === 'missing') && typeof asked.intent === 'string') memory.asked = { kind: asked.kind, intent: asked.intent };
  else if (asked?.kind === 'anything-else') memory.asked = { kind: 'anything-else' };
  return memory;
}

export function liveTopic(memory: ConversationMemory | undefined): TopicMemory | undefined {
  return memory?.topic && memory.topic.turnsLeft > 0 ? memory.topic : undefined;
}

export function liveDanger(memory: ConversationMemory | undefined): DangerMemory | undefined {
  return memory?.danger && memory.danger.turnsLeft > 0 ? memory.danger : undefined;
}
