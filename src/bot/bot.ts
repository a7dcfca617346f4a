import { StatusCodes, TeamsActivityHandler, TurnContext, type ConversationState, type InvokeResponse } from 'botbuilder';
import type { Logger } from '../logger.js';
import { OUTCOME_KEY, type Conversation, type TurnOutcome } from '../../dialogs/conversation.js';
import { deliveryOutcome } from './delivery.js';

/**
 * One bot for every channel. It strips Teams @mentions, hands the turn to the conversation, saves state, and
 * writes the one log line per turn (ids, intent, figures — never the patient's words).
 */
export class EczemaBot extends TeamsActivityHandler {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly conversation: Conversation,
    private readonly conversationState: ConversationState,
    private readonly logger: Logger,
  ) {
    super();
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).length > 0) await this.conversation.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      // In Teams channels the text starts with "<at>Bot</at>"; the classifier must not see it.
      TurnContext.removeRecipientMention(context.activity);
      await this.conversation.onMessage(context);
      await next();
    });
  }

  /**
   * The bot implements no invoke (its cards use Action.Submit, which Teams sends as a message with a value). The
   * Bot Framework activity protocol says a receiver must ignore invoke names it does not understand; botbuilder
   * answers them 501 instead, which Teams shows as "Unable to reach app". So an invoke botbuilder has no handler for
   * is answered 200 with no body; its other answers (a malformed invoke it knows: 400) stand.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = await super.onInvokeActivity(context);
    return response.status === StatusCodes.NOT_IMPLEMENTED ? { status: StatusCodes.OK } : response;
  }

  /**
   * Turns of one conversation run one after another. botbuilder's state writes carry eTag "*" (last write wins),
   * so two overlapping turns (a double-click, a Teams retry) would otherwise overwrite each other's state.
   */
  override async run(context: TurnContext): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    this.inFlight += 1;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.runTurn(context));
    const tail = turn.catch(() => undefined);
    this.queues.set(key, tail);
    try {
      await turn;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async runTurn(context: TurnContext): Promise<void> {
    const started = performance.now();
    try {
      await super.run(context);
      // A turn whose replies never reached the patient leaves the conversation's memory as the patient last saw it
      // (the welcome and its disclaimer are still due, the choices on screen are still the old ones). Its records
      // for the clinic were written all the same.
      if (!deliveryOutcome(context)?.failed) await this.saveState(context);
    } finally {
      this.logTurn(context, performance.now() - started);
    }
  }

  /**
   * The patient already has the reply; a state file that cannot be written (disk full, lock lost) must not add
   * "Sorry, something went wrong" after it, least of all after an emergency. The next turn starts without the
   * conversation's memory (numbered choices, the last red flag), which is logged for the operator.
   */
  private async saveState(context: TurnContext): Promise<void> {
    try {
      await this.conversationState.saveChanges(context, false);
    } catch (err) {
      this.logger.error({ err: (err as Error).message, conversationId: context.activity.conversation?.id }, 'could not save conversation state');
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

  private logTurn(context: TurnContext, latencyMs: number): void {
    const outcome = context.turnState.get(OUTCOME_KEY) as TurnOutcome | undefined;
    this.logger.info(
      {
        conversationId: context.activity.conversation?.id,
        channel: context.activity.channelId,
        activityType: context.activity.type,
        kind: outcome?.kind ?? null,
        intent: outcome?.intent ?? null,
        confidence: outcome?.confidence === null || outcome?.confidence === undefined ? null : Number(outcome.confidence.toFixed(3)),
        escalation: outcome?.escalation ?? 'none',
        latencyMs: Number(latencyMs.toFixed(1)),
        delivered: !deliveryOutcome(context)?.failed,
      },
      'turn',
    );
  }
}
