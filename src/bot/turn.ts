/**
 * What the conversation, the channels and the cross-cutting wrappers (metrics, the turn lock) need of a turn, in
 * our own words, so that none of them imports a bot SDK. Each SDK edge (src/bot/botbuilder.ts for botbuilder,
 * src/bot/agents/ for the Microsoft 365 Agents SDK) turns its own TurnContext into these.
 */

/** A card or file attached to a message, as the Bot Framework activity schema carries it. */
export interface CardAttachment {
  contentType: string;
  content: unknown;
}

/** A message the bot sends: text, an Adaptive Card, or both. */
export interface OutgoingMessage {
  text?: string;
  attachments?: CardAttachment[];
  /** Plain text a channel shows for a card in notifications and the chat list (Teams). */
  summary?: string;
}

/** What the turn log line and /metrics report about a turn; set by the conversation, read after the turn. */
export interface TurnOutcome {
  intent: string | null;
  confidence: number | null;
  escalation: string;
  kind: string;
}

/** Where the outcome is kept in a turn's own state (both SDKs' TurnContext have `turnState`). */
export const OUTCOME_KEY = Symbol('turnOutcome');

/** The turn as the conversation (dialogs/) sees it: what arrived, and how to answer. */
export interface ConversationTurn {
  readonly channelId: string;
  readonly conversationId: string;
  /** The message's text, or undefined (a card submit carries only a value). */
  readonly text: string | undefined;
  /** A card button's data, when one was pressed. */
  readonly value: unknown;
  /** Sends one message, or plain text; resolves once the channel took it (or it was dropped, see delivery.ts). */
  send(message: OutgoingMessage | string): Promise<void>;
  setOutcome(outcome: TurnOutcome): void;
}

/**
 * The part of either SDK's TurnContext the wrappers around a turn read (metrics, the per-conversation lock, the
 * route's delivery outcome). Structural: both SDKs' TurnContext fit it as they are.
 */
export interface TurnLike {
  readonly activity: { readonly type?: string; readonly channelId?: string; readonly conversation?: { readonly id?: string } };
  readonly turnState: { get(key: symbol): unknown };
}

/** The key that orders one conversation's turns (and locks them across instances). */
export function conversationKey(turn: TurnLike): string {
  return `${turn.activity.channelId}/${turn.activity.conversation?.id ?? ''}`;
}

export function outcomeOf(turn: TurnLike): TurnOutcome | undefined {
  return turn.turnState.get(OUTCOME_KEY) as TurnOutcome | undefined;
}

/** What a turn's delivery came to; kept in turnState so the bot and the route can read it after the turn. */
export interface DeliveryOutcome {
  failed: boolean;
  /** Why, for the log: an HTTP status the channel answered, or a network or timeout code. */
  reason?: string;
}

export const DELIVERY_OUTCOME = Symbol('deliveryOutcome');

/** The turn's delivery outcome, when the turn ran on an adapter with bounded delivery. */
export function deliveryOutcome(turn: TurnLike): DeliveryOutcome | undefined {
  return turn.turnState.get(DELIVERY_OUTCOME) as DeliveryOutcome | undefined;
}
