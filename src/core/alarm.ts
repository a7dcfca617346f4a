import { ESCALATION_ORDER, type Escalation } from './types.js';

/**
 * After a red flag the patient's next messages rarely repeat it: "is it serious?", "what do I do now", "thanks".
 * Each of those is answered on its own, so without memory the emergency advice would vanish from the very next
 * reply (or be followed by "glad I could help"). The conversation keeps the last red flag for a while, and every
 * reply that carries less than it is preceded by a reminder.
 */
export type AlarmLevel = 'urgent' | 'emergency';

export interface Alarm {
  level: AlarmLevel;
  /** When the red flag was raised (milliseconds since the epoch). */
  at: number;
}

/** Long enough to cover the questions that follow a red flag, short enough not to haunt a later, calm visit. */
export const ALARM_MINUTES = 30;

export interface AlarmStep {
  /** What the conversation keeps for the next turn. */
  alarm?: Alarm;
  /** The level to remind the patient of before this reply, when the reply itself carries less. */
  remind?: AlarmLevel;
}

const rank = (level: Escalation) => ESCALATION_ORDER.indexOf(level);

/**
 * `raised` says the reply answers a red flag the patient described (triage fired), not an entry a clinician marked
 * urgent: only the patient's own description may later be called "what you described".
 */
export function followAlarm(previous: Alarm | undefined, escalation: Escalation, raised: boolean, now: number): AlarmStep {
  // Either way round: a clock stepped back (a time correction) must not make the reminder vanish.
  const live = previous && Math.abs(now - previous.at) <= ALARM_MINUTES * 60_000 ? previous : undefined;
  const remind = live && rank(escalation) < rank(live.level) ? live.level : undefined;
  if (raised && (escalation === 'emergency' || escalation === 'urgent')) {
    // A new red flag restarts the clock, at the higher of the two levels.
    return { alarm: { level: remind ?? escalation, at: now }, remind };
  }
  return { alarm: live, remind };
}
