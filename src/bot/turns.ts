import type { Logger } from '../logger.js';
import { conversationKey, deliveryOutcome, outcomeOf, type TurnLike } from './turn.js';

/**
 * What every SDK's bot does around a turn, whatever runs inside it: one conversation's turns one after another
 * (a double-click or a Teams retry must not overwrite the state of the turn before it), a count of turns in flight
 * for graceful shutdown, and the one log line per turn (ids, intent, figures — never the patient's words).
 */
export class TurnRunner {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  async run(turn: TurnLike, work: () => Promise<void>): Promise<void> {
    const key = conversationKey(turn);
    this.inFlight += 1;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const running = previous.then(() => this.timed(turn, work));
    const tail = running.catch(() => undefined);
    this.queues.set(key, tail);
    try {
      await running;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** True when no turn is running. */
  idleNow(): boolean {
    return this.inFlight === 0;
  }

  /** Resolves when no turn is running (graceful shutdown waits for this). */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async timed(turn: TurnLike, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await work();
    } finally {
      this.logTurn(turn, performance.now() - started);
    }
  }

  private logTurn(turn: TurnLike, latencyMs: number): void {
    const outcome = outcomeOf(turn);
    this.logger.info(
      {
        conversationId: turn.activity.conversation?.id,
        channel: turn.activity.channelId,
        activityType: turn.activity.type,
        kind: outcome?.kind ?? null,
        intent: outcome?.intent ?? null,
        confidence: outcome?.confidence === null || outcome?.confidence === undefined ? null : Number(outcome.confidence.toFixed(3)),
        escalation: outcome?.escalation ?? 'none',
        latencyMs: Number(latencyMs.toFixed(1)),
        delivered: !deliveryOutcome(turn)?.failed,
      },
      'turn',
    );
  }
}

/** What the server and the channels hold of a bot, on either SDK. */
export interface RunnableBot<Context extends TurnLike = TurnLike> {
  run(context: Context): Promise<void>;
  idleNow(): boolean;
  idle(): Promise<void>;
}
