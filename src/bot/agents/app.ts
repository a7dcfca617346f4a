import { AgentApplication, MessageFactory, TurnState, type Storage, type TurnContext } from '@microsoft/agents-hosting';
import { Activity } from '@microsoft/agents-activity';
import type { Logger } from '../../logger.js';
import type { Conversation, Flow } from '../../../dialogs/conversation.js';
import { answerUnhandledInvoke } from '../invokes.js';
import { deliveryOutcome, OUTCOME_KEY, type ConversationTurn } from '../turn.js';
import { TurnRunner, type RunnableBot } from '../turns.js';

/**
 * The conversation's state on the Agents SDK: TurnState, with only the conversation scope, under the key botbuilder's
 * ConversationState uses (`<channel>/conversations/<id>/`, its empty namespace last) and the same shape (`{ flow, eTag }`), so a clinic that
 * switches BOT_SDK keeps every open conversation's memory. TurnState writes back the eTag it read: a stale write is
 * refused by the store (an eTag conflict) instead of overwriting a newer state.
 */
class FlowState extends TurnState<{ flow?: Flow }> {
  protected override async onComputeStorageKeys(context: TurnContext): Promise<Record<string, string>> {
    return { conversation: `${context.activity.channelId}/conversations/${context.activity.conversation?.id ?? ''}/` };
  }
}

/**
 * The Agents SDK edge's bot (BOT_SDK=agents); src/bot/bot.ts is the same on botbuilder. An AgentApplication with
 * three routes: members added (the welcome), messages and card submits (the conversation), and any invoke (the
 * protocol's "ignore what you do not understand", src/bot/invokes.ts). The SDK strips the Teams @mention before the
 * message route runs. State is saved after the turn only when its replies reached the patient.
 */
export function createEczemaAgent(conversation: Conversation, storage: Storage, logger: Logger): RunnableBot<TurnContext> & { app: AgentApplication<FlowState> } {
  const app = new AgentApplication<FlowState>({
    storage,
    turnStateFactory: () => new FlowState(),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const flowOf = (state: FlowState): Flow => (state.conversation.flow ??= {});

  app.onConversationUpdate('membersAdded', async (context, state) => {
    await conversation.welcome(asConversationTurn(context), flowOf(state));
  });
  app.onActivity('message', async (context, state) => {
    await conversation.onMessage(asConversationTurn(context), flowOf(state));
  });
  app.onActivity('invoke', async (context) => {
    const answer = answerUnhandledInvoke(context.activity.name, context.activity.value, context.activity.channelId);
    await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: answer }));
  });
  // Returning false: the application does not save on its own; this handler decides, and a failed save is logged.
  app.onTurn('afterTurn', async (context, state) => {
    if (deliveryOutcome(context)?.failed) return false;
    try {
      await state.save(context, storage);
    } catch (err) {
      // The patient already has the reply (see src/bot/bot.ts): never an apology after it, least of all after an emergency.
      logger.error({ err: (err as Error).message, conversationId: context.activity.conversation?.id }, 'could not save conversation state');
    }
    return false;
  });

  const turns = new TurnRunner(logger);
  return {
    app,
    run: (context) => turns.run(context, () => app.run(context)),
    idleNow: () => turns.idleNow(),
    idle: () => turns.idle(),
  };
}

/** The Agents SDK's TurnContext as the conversation sees a turn: messages are built as Activity objects, not literals. */
function asConversationTurn(context: TurnContext): ConversationTurn {
  return {
    channelId: context.activity.channelId ?? '',
    conversationId: context.activity.conversation?.id ?? '',
    text: typeof context.activity.text === 'string' ? context.activity.text : undefined,
    value: context.activity.value,
    async send(message) {
      await context.sendActivity(typeof message === 'string' ? MessageFactory.text(message) : Activity.fromObject({ type: 'message', ...message }));
    },
    setOutcome(outcome) {
      context.turnState.set(OUTCOME_KEY, outcome);
    },
  };
}
