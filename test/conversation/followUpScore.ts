import type { Answerer, Reply } from '../../src/core/answer.js';
import type { ConversationMemory } from '../../src/core/context/memory.js';
import { ESCALATION_ORDER } from '../../src/core/types.js';
import type { Conversation, Level, TableTurn } from './followUpTable.js';

/** One turn as the bot answered it. */
export interface Played {
  conversation: string;
  turn: TableTurn;
  index: number;
  reply: Reply;
  intentOk: boolean;
  levelOk: boolean;
}

/** What a reply counts as for the table: its intent, 'fallback' for a decline or did-you-mean, 'acknowledge'. */
export function answered(reply: Reply): string {
  if (reply.kind === 'acknowledge') return 'acknowledge';
  return reply.intent ?? 'fallback';
}

export function levelFits(want: Level, got: Reply['escalation']): boolean {
  if (want === 'any') return true;
  if (want === 'calm') return got === 'none' || got === 'dermatologist';
  if (want === 'derm+') return ESCALATION_ORDER.indexOf(got) >= ESCALATION_ORDER.indexOf('dermatologist');
  return got === want;
}

/** Every conversation through the answerer's `converse`, each starting with no memory, as the bot plays them. */
export function play(conversations: readonly Conversation[], answerer: Pick<Answerer, 'converse'>): Played[] {
  const played: Played[] = [];
  for (const conversation of conversations) {
    let memory: ConversationMemory = {};
    conversation.turns.forEach((turn, index) => {
      const { reply, memory: next } = answerer.converse(turn.text, memory);
      memory = next;
      const intentOk = turn.accept.includes('*') || turn.accept.includes(answered(reply));
      played.push({ conversation: conversation.name, turn, index, reply, intentOk, levelOk: levelFits(turn.level, reply.escalation) });
    });
  }
  return played;
}

export interface FollowUpFigures {
  /** Turns after the first of each conversation whose intent was accepted. */
  followUps: { ok: number; of: number };
  /** Turns that must keep an earlier danger's level, kept. */
  dangers: { ok: number; of: number };
  /** Turns answered above dermatologist where no urgent level was asked for (an alarm from history or nothing). */
  falseAlarms: number;
  /** Turns whose escalation does not fit the table. */
  levelMisses: number;
  misses: string[];
}

export function figures(played: readonly Played[]): FollowUpFigures {
  const later = played.filter((p) => p.index > 0);
  const dangers = played.filter((p) => p.turn.role === 'danger');
  const rank = (l: string) => ESCALATION_ORDER.indexOf(l as Reply['escalation']);
  const alarm = (p: Played) => rank(p.reply.escalation) >= rank('urgent') && !['urgent', 'emergency', 'any'].includes(p.turn.level);
  return {
    followUps: { ok: later.filter((p) => p.intentOk).length, of: later.length },
    dangers: { ok: dangers.filter((p) => p.levelOk).length, of: dangers.length },
    falseAlarms: played.filter(alarm).length,
    levelMisses: played.filter((p) => !p.levelOk).length,
    misses: played
      .filter((p) => !p.intentOk || !p.levelOk)
      .map((p) => `${p.conversation} #${p.index + 1} "${p.turn.text}" → ${answered(p.reply)} ${p.reply.escalation} (want ${p.turn.accept.join('|')} ${p.turn.level})`),
  };
}
