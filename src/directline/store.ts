
/**
 * Where our own Direct Line keeps its conversations: the transcript a polling client reads and the watermark that
 * numbers it. In memory by default (one instance: src/directline/conversations.ts); in PostgreSQL when several
 * instances share the conversations (src/store/postgres/directline.ts). Every method is asynchronous because the
 * shared one is a database.
 */

/**
 * An activity as our Direct Line stores and serves it: plain JSON in the Bot Framework activity schema. Our own
 * type, so the channel does not depend on either bot SDK; both SDKs' activities, copied to JSON, fit it.
 */
export interface WireActivity {
  type?: string;
  id?: string;
  timestamp?: string | Date;
  channelId?: string;
  serviceUrl?: string;
  conversation?: { id: string; isGroup?: boolean; conversationType?: string; name?: string };
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  membersAdded?: Array<{ id: string; name?: string }>;
  text?: string;
  textFormat?: string;
  locale?: string;
  name?: string;
  value?: unknown;
  attachments?: unknown[];
  channelData?: unknown;
  replyToId?: string;
  [field: string]: unknown;
}

/**
 * Runs the bot in this process for our Direct Line (the SDK edge provides it: src/bot/directLineAdapter.ts on
 * botbuilder, src/bot/agents/directLineAdapter.ts on the Agents SDK): the bot's replies are appended to the
 * conversation in the store, where the polling client picks them up.
 */
export interface InProcessTurns {
  /** Runs one incoming activity through the bot, after the conversation's earlier turns. */
  processActivity(conversationId: string, activity: WireActivity): Promise<void>;
  /** The bot's own account, as the bot sees it in `recipient`. */
  readonly account: { id: string; name: string };
}

/** Builds the in-process runner over the conversations it appends to. */
export type InProcessFactory = (store: ConversationStore, account: { id: string; name: string }, logger: import('pino').Logger) => InProcessTurns;

export interface DirectLineConversation {
  readonly id: string;
  /** The user id the token carries; the bot sees it as `from.id`. */
  readonly userId: string;
}

export interface ConversationStore {
  /** The conversation while it is open; undefined once it has ended or been idle past the limit. */
  get(id: string): Promise<DirectLineConversation | undefined>;
  /** Opens a conversation; undefined when the store is full (the caller answers 503). */
  create(id: string, userId: string): Promise<DirectLineConversation | undefined>;
  /**
   * Appends a copy with the next Direct Line id (`<conversation>|0000001`) and a timestamp, and returns the copy.
   * Throws ConversationGoneError when the conversation has ended.
   */
  append(conversationId: string, activity: WireActivity): Promise<WireActivity>;
  /** Replaces an activity by id and moves it after the watermark, so polling clients see the new version. */
  replace(conversationId: string, activity: WireActivity): Promise<boolean>;
  remove(conversationId: string, activityId: string): Promise<boolean>;
  /**
   * Activities after a watermark (the last sequence number the client has seen) and the new watermark; a poll
   * keeps the conversation from going idle. undefined once the conversation has ended.
   */
  since(conversationId: string, watermark: number): Promise<{ activities: WireActivity[]; watermark: number } | undefined>;
  /** Ends idle conversations; returns how many. */
  sweep(): Promise<number>;
  /** Conversations open now (for /metrics). */
  openCount(): Promise<number>;
  /** Forgets what only this process holds (the shared store keeps its conversations for the other instances). */
  close(): Promise<void>;
}

export class ConversationGoneError extends Error {
  constructor(id: string) {
    super(`conversation ${id.slice(0, 8)}… not found or expired`);
    this.name = 'ConversationGoneError';
  }
}

/**
 * The shared store cannot be reached (its database is down). The routes answer "try again shortly" (503), polls
 * get an empty answer that keeps the client polling, and nothing crashes; the store reconnects by itself.
 */
export class ConversationStoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`Direct Line store unavailable: ${reason}`);
    this.name = 'ConversationStoreUnavailableError';
  }
}

/** Older activities drop off once a conversation holds this many; watermarks keep counting. */
export const MAX_ACTIVITIES_KEPT = 500;
/**
 * ... or this many bytes (as JSON). A conversation is a few kilobytes a turn; without a byte budget, one client
 * posting large messages could hold hundreds of megabytes per conversation until it went idle. The client has
 * already shown what drops off.
 */
export const MAX_TRANSCRIPT_BYTES = 256 * 1024;

/** The Direct Line id of the n-th activity of a conversation. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}
