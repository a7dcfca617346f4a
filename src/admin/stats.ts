/**
 * Usage figures for the console's charts, counted with the RecordLog's `tally` (so PostgreSQL counts in SQL and the
 * embedded store in one pass). A day that has ended cannot change any more except by retention, so its counts are
 * kept after the first request; only today is counted again each time.
 */
import type { RecordLog } from '../store/contract.js';

export const OUTCOMES = ['answered', 'did-you-mean', 'declined', 'red-flag'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A reply kind (core/answer.ts ReplyKind) as the charts group it. */
export function outcomeOf(kind: unknown): Outcome | undefined {
  switch (kind) {
    case 'answer':
    case 'handoff':
      return 'answered';
    case 'clarify':
      return 'did-you-mean';
    case 'decline':
    case 'too-long':
      return 'declined';
    case 'urgent':
    case 'emergency':
      return 'red-flag';
    default:
      return undefined;
  }
}

export interface DayStats {
  day: string;
  questions: number;
  conversations: number;
  outcomes: Record<Outcome, number>;
  escalations: Record<string, number>;
  helpful: number;
  notHelpful: number;
  handoffs: number;
  intents: Record<string, number>;
  channels: Record<string, number>;
}

export interface Stats {
  days: number;
  /** First and last day shown (UTC, YYYY-MM-DD). */
  from: string;
  to: string;
  perDay: DayStats[];
  totals: Omit<DayStats, 'day' | 'intents' | 'channels'> & {
    /** Questions not answered (did-you-mean or declined) / questions: the "unrecognised" ratio. */
    unrecognisedRatio: number;
  };
  topIntents: { intent: string; count: number }[];
  channels: { channel: string; questions: number }[];
}

const DAY_MS = 86_400_000;

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function emptyDay(day: string): DayStats {
  return {
    day,
    questions: 0,
    conversations: 0,
    outcomes: { answered: 0, 'did-you-mean': 0, declined: 0, 'red-flag': 0 },
    escalations: {},
    helpful: 0,
    notHelpful: 0,
    handoffs: 0,
    intents: {},
    channels: {},
  };
}

const add = (map: Record<string, number>, key: string, n: number) => {
  map[key] = (map[key] ?? 0) + n;
};

export class UsageStats {
  private readonly finished = new Map<string, DayStats>();
  /** The pseudonymous conversation ids of each counted day, so a range counts a conversation once. */
  private readonly conversationsOf = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly records: RecordLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts of one UTC day. */
  async day(day: string): Promise<DayStats> {
    return (await this.counted(day)).stats;
  }

  private async counted(day: string): Promise<{ stats: DayStats; conversations: ReadonlySet<string> }> {
    const cached = this.finished.get(day);
    if (cached) return { stats: cached, conversations: this.conversationsOf.get(day) ?? new Set() };
    const from = dayStart(day);
    const to = new Date(from.getTime() + DAY_MS);
    const stats = emptyDay(day);
    const range = { from, to };
    const [questions, escalations, feedback, handoffs] = await Promise.all([
      this.records.tally({ kinds: ['questions'], ...range, by: ['outcome', 'intent', 'channel', 'conversation'] }),
      this.records.tally({ kinds: ['escalations'], ...range, by: ['level'] }),
      this.records.tally({ kinds: ['feedback'], ...range, by: ['helpful'] }),
      this.records.tally({ kinds: ['handoffs'], ...range, by: [] }),
    ]);
    const conversations = new Set<string>();
    for (const { key, count } of questions) {
      const outcome = outcomeOf(key.outcome);
      if (!outcome) continue;
      stats.questions += count;
      stats.outcomes[outcome] += count;
      if (typeof key.intent === 'string' && outcome === 'answered') add(stats.intents, key.intent, count);
      add(stats.channels, typeof key.channel === 'string' ? key.channel : 'unknown', count);
      if (typeof key.conversation === 'string') conversations.add(key.conversation);
    }
    stats.conversations = conversations.size;
    for (const { key, count } of escalations) add(stats.escalations, String(key.level ?? 'unknown'), count);
    for (const { key, count } of feedback) {
      if (key.helpful === true) stats.helpful += count;
      else if (key.helpful === false) stats.notHelpful += count;
    }
    for (const { count } of handoffs) stats.handoffs += count;
    // Cached only once the day is over (and a little after, for records stamped by a clock slightly behind).
    if (to.getTime() + 60_000 < this.now().getTime()) {
      this.finished.set(day, stats);
      this.conversationsOf.set(day, conversations);
    }
    return { stats, conversations };
  }

  /** The last `days` UTC days, today included. */
  async lastDays(days: number): Promise<Stats> {
    const today = this.now().toISOString().slice(0, 10);
    const first = new Date(dayStart(today).getTime() - (days - 1) * DAY_MS);
    const list: string[] = [];
    for (let i = 0; i < days; i++) list.push(new Date(first.getTime() + i * DAY_MS).toISOString().slice(0, 10));
    // Forget days that have left every window a chart can ask for (retention removes their records anyway).
    for (const day of this.finished.keys()) {
      if (day < list[0]! && this.finished.size > 400) {
        this.finished.delete(day);
        this.conversationsOf.delete(day);
      }
    }
    const perDay: DayStats[] = [];
    const conversations = new Set<string>();
    for (const day of list) {
      const counted = await this.counted(day);
      perDay.push(counted.stats);
      for (const c of counted.conversations) conversations.add(c);
    }

    const totals = { ...emptyDay(''), unrecognisedRatio: 0 };
    const intents: Record<string, number> = {};
    const channels: Record<string, number> = {};
    for (const d of perDay) {
      totals.questions += d.questions;
      for (const o of OUTCOMES) totals.outcomes[o] += d.outcomes[o];
      for (const [level, n] of Object.entries(d.escalations)) add(totals.escalations, level, n);
      totals.helpful += d.helpful;
      totals.notHelpful += d.notHelpful;
      totals.handoffs += d.handoffs;
      for (const [intent, n] of Object.entries(d.intents)) add(intents, intent, n);
      for (const [channel, n] of Object.entries(d.channels)) add(channels, channel, n);
    }
    // Distinct over the range: a conversation that went on past midnight counts once here, on each day above.
    totals.conversations = conversations.size;
    totals.unrecognisedRatio = totals.questions === 0 ? 0 : (totals.outcomes['did-you-mean'] + totals.outcomes.declined) / totals.questions;
    const { day: _d, intents: _i, channels: _c, ...rest } = totals;
    const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);
    return {
      days,
      from: list[0]!,
      to: today,
      perDay,
      totals: rest,
      topIntents: Object.entries(intents).sort(byCount).slice(0, 10).map(([intent, count]) => ({ intent, count })),
      channels: Object.entries(channels).sort(byCount).map(([channel, questions]) => ({ channel, questions })),
    };
  }
}
