/**
 * How the bot's replies to a labelled question set (../shared/eval/README.md: text, accept, escalate, ceiling)
 * measure up to the escalation policy: the same figures as ../shared/eval/score.py, and every miss, so the eval
 * report and the tests that hold the targets read one definition.
 */
import { FALLBACK, type RealQuestion } from '../nlu/evaluate.js';
import type { EscalationTrigger, Reply } from './answer.js';
import { ESCALATION_ORDER, type Escalation } from './types.js';

export interface Share {
  hit: number;
  of: number;
}

export type MissKind = 'urgent-miss' | 'dermatologist-miss' | 'over-escalation' | 'false-alarm' | 'intent';

export interface Miss {
  kind: MissKind;
  text: string;
  /** What the row asks for: the escalate label (or ceiling), or the accepted intents. */
  expected: string;
  /** What the bot did: its escalation, or the intent it answered (fallback when none). */
  got: string;
  /** What set the escalation, when something did. */
  why?: EscalationTrigger;
}

export interface EscalationFigures {
  n: number;
  /** Rows whose outcome (the intent answered, or fallback) the row accepts. */
  intent: Share;
  /** "urgent" rows that got urgent or emergency advice. */
  urgent: Share;
  /** "urgent" and "dermatologist" rows that got a dermatologist recommendation or more. */
  dermatologist: Share;
  /** "none" rows that were escalated anyway. */
  overEscalated: Share;
  /** Rows with a ceiling answered above it (an emergency reply to a past event). */
  falseAlarms: Share;
  misses: Miss[];
}

const level = (e: Escalation): number => ESCALATION_ORDER.indexOf(e);

/** `replies[i]` is the bot's reply to `rows[i]`. */
export function escalationFigures(rows: readonly RealQuestion[], replies: readonly Reply[]): EscalationFigures {
  const f: EscalationFigures = {
    n: rows.length,
    intent: { hit: 0, of: 0 },
    urgent: { hit: 0, of: 0 },
    dermatologist: { hit: 0, of: 0 },
    overEscalated: { hit: 0, of: 0 },
    falseAlarms: { hit: 0, of: 0 },
    misses: [],
  };
  rows.forEach((row, i) => {
    const reply = replies[i]!;
    const got = level(reply.escalation);
    const miss = (kind: MissKind, expected: string, outcome: string = reply.escalation): void => {
      f.misses.push({ kind, text: row.text, expected, got: outcome, ...(reply.trigger ? { why: reply.trigger } : {}) });
    };
    const outcome = reply.intent ?? FALLBACK;
    f.intent.of++;
    if (row.accept.includes(outcome)) f.intent.hit++;
    else miss('intent', row.accept.join(', '), outcome);
    if (row.escalate === 'urgent') {
      f.urgent.of++;
      if (got >= level('urgent')) f.urgent.hit++;
      else miss('urgent-miss', 'urgent');
    }
    if (row.escalate === 'urgent' || row.escalate === 'dermatologist') {
      f.dermatologist.of++;
      if (got >= level('dermatologist')) f.dermatologist.hit++;
      else if (row.escalate === 'dermatologist') miss('dermatologist-miss', 'dermatologist');
    }
    if (row.escalate === 'none') {
      f.overEscalated.of++;
      if (got > level('none')) {
        f.overEscalated.hit++;
        miss('over-escalation', 'none');
      }
    }
    if (row.ceiling) {
      f.falseAlarms.of++;
      if (got > level(row.ceiling as Escalation)) {
        f.falseAlarms.hit++;
        miss('false-alarm', `at most ${row.ceiling}`);
      }
    }
  });
  return f;
}

export const ratio = ({ hit, of }: Share): number => (of === 0 ? 0 : hit / of);
