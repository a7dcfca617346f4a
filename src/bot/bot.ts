import { StatusCodes, TeamsActivityHandler, TurnContext, type ConversationState, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { Conversation, Flow } from '../../dialogs/conversation.js';
import { deliveryOutcome, OUTCOME_KEY, type ConversationTurn } from './turn.js';
import { TurnRunner, type RunnableBot } from './turns.js';

/**
 * The botbuilder edge's bot (BOT_SDK=botbuilder, the default); src/bot/agents/app.ts is the same on the Agents SDK.
 * One bot for every channel: it strips Teams @mentions, hands the turn to the conversation, saves state, and
 * writes the one log line per turn (src/bot/turns.ts).
 */
export class EczemaBot extends TeamsActivityHandler implements RunnableBot<TurnContext> {
  private readonly turns: TurnRunner;
  private readonly flow: StatePropertyAccessor<Flow>;

  constructor(
    private readonly conversation: Conversation,
    private readonly conversationState: ConversationState,
    private readonly logger: Logger,
  ) {
    super();
    this.turns = new TurnRunner(logger);
    this.flow = conversationState.createProperty<Flow>('flow');
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).length > 0) await this.conversation.welcome(asConversationTurn(context), await this.flow.get(context, {}));
      await next();
    });
    this.onMessage(async (context, next) => {
      // In Teams channels the text starts with "<at>Bot</at>"; the classifier must not see it.
      TurnContext.removeRecipientMention(context.activity);
      await this.conversation.onMessage(asConversationTurn(context), await this.flow.get(context, {}));
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
    await this.turns.run(context, () => this.runTurn(context));
  }

  private async runTurn(context: TurnContext): Promise<void> {
    await super.run(context);
    // A turn whose replies never reached the patient leaves the conversation's memory as the patient last saw it
    // (the welcome and its disclaimer are still due, the choices on screen are still the old ones). Its records
    // for the clinic were written all the same.
    if (!deliveryOutcome(context)?.failed) await this.saveState(context);
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

  idleNow(): boolean {
    return this.turns.idleNow();
  }

  idle(): Promise<void> {
    return this.turns.idle();
  }
}

/** botbuilder's TurnContext as the conversation sees a turn. */
export function asConversationTurn(context: TurnContext): ConversationTurn {
  return {
    channelId: context.activity.channelId,
    conversationId: context.activity.conversation?.id ?? '',
    text: typeof context.activity.text === 'string' ? context.activity.text : undefined,
    value: context.activity.value,
    async send(message) {
      await context.sendActivity(typeof message === 'string' ? message : { type: 'message', ...message });
    },
    setOutcome(outcome) {
      context.turnState.set(OUTCOME_KEY, outcome);
    },
  };
}
