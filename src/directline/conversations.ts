import {
  ConversationGoneError,
  MAX_ACTIVITIES_KEPT,
  MAX_TRANSCRIPT_BYTES,
  activityId,
  type ConversationStore,
  type DirectLineConversation,
  type WireActivity,
} from './store.js';

export { MAX_TRANSCRIPT_BYTES } from './store.js';

/**
 * Conversations of our own Direct Line in this process's memory only (the default, one instance): the transcript
 * a polling client reads, nothing else. Nothing here is written to disk; an idle conversation is dropped whole.
 */

/**
 * All transcripts together: beyond this, a conversation that grows keeps only its last 32 KB, so many large
 * conversations (5,000 × 256 KB would be 1.25 GB) cannot starve the process either.
 */
export const MAX_STORE_BYTES = 64 * 1024 * 1024;
const SHRUNK_TRANSCRIPT_BYTES = 32 * 1024;

interface Conversation extends DirectLineConversation {
  readonly createdAt: number;
  lastActiveAt: number;
  /** Sequence number of the last activity appended; the watermark a client receives. */
  seq: number;
  readonly log: { seq: number; activity: WireActivity; bytes: number }[];
  /** Sum of the log's `bytes`. */
  bytes: number;
}

export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private totalBytes = 0;

  constructor(private readonly options: { idleMs: number; maxConversations: number; now?: () => number; maxStoreBytes?: number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(id: string): Promise<DirectLineConversation | undefined> {
    return this.open(id);
  }

  async create(id: string, userId: string): Promise<DirectLineConversation | undefined> {
    if (this.conversations.size >= this.options.maxConversations) {
      this.sweepNow();
      if (this.conversations.size >= this.options.maxConversations) return undefined;
    }
    const now = this.now();
    const conversation: Conversation = { id, userId, createdAt: now, lastActiveAt: now, seq: 0, log: [], bytes: 0 };
    this.conversations.set(id, conversation);
    return conversation;
  }

  async append(conversationId: string, activity: WireActivity): Promise<WireActivity> {
    return this.appendTo(this.mustOpen(conversationId), activity);
  }

  private appendTo(conversation: Conversation, activity: WireActivity): WireActivity {
    conversation.seq += 1;
    const stored: WireActivity = {
      ...activity,
      id: activity.id ?? activityId(conversation.id, conversation.seq),
      timestamp: new Date(this.now()),
    };
    const bytes = JSON.stringify(stored).length;
    conversation.log.push({ seq: conversation.seq, activity: stored, bytes });
    conversation.bytes += bytes;
    this.totalBytes += bytes;
    const budget = this.totalBytes > (this.options.maxStoreBytes ?? MAX_STORE_BYTES) ? SHRUNK_TRANSCRIPT_BYTES : MAX_TRANSCRIPT_BYTES;
    while (conversation.log.length > 1 && (conversation.log.length > MAX_ACTIVITIES_KEPT || conversation.bytes > budget)) {
      this.forget(conversation, 0);
    }
    conversation.lastActiveAt = this.now();
    return stored;
  }

  async replace(conversationId: string, activity: WireActivity): Promise<boolean> {
    const conversation = this.mustOpen(conversationId);
    const index = conversation.log.findIndex((entry) => entry.activity.id === activity.id);
    if (index < 0) return false;
    const previous = conversation.log[index]!.activity;
    this.forget(conversation, index);
    this.appendTo(conversation, { ...previous, ...activity, id: previous.id });
    return true;
  }

  async remove(conversationId: string, activityId: string): Promise<boolean> {
    const conversation = this.mustOpen(conversationId);
    const index = conversation.log.findIndex((entry) => entry.activity.id === activityId);
    if (index < 0) return false;
    this.forget(conversation, index);
    return true;
  }

  async since(conversationId: string, watermark: number): Promise<{ activities: WireActivity[]; watermark: number } | undefined> {
    const conversation = this.open(conversationId);
    if (!conversation) return undefined;
    conversation.lastActiveAt = this.now();
    return {
      activities: conversation.log.filter((entry) => entry.seq > watermark).map((entry) => entry.activity),
      watermark: conversation.seq,
    };
  }

  async sweep(): Promise<number> {
    return this.sweepNow();
  }

  async openCount(): Promise<number> {
    return this.conversations.size;
  }

  async close(): Promise<void> {
    this.conversations.clear();
    this.totalBytes = 0;
  }

  /** Bytes held by every transcript together. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Bytes held by one transcript (0 when it has ended). */
  bytesOf(conversationId: string): number {
    return this.conversations.get(conversationId)?.bytes ?? 0;
  }

  private open(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (conversation && this.isIdle(conversation)) {
      this.drop(conversation);
      return undefined;
    }
    return conversation;
  }

  private mustOpen(id: string): Conversation {
    const conversation = this.open(id);
    if (!conversation) throw new ConversationGoneError(id);
    return conversation;
  }

  private sweepNow(): number {
    let dropped = 0;
    for (const conversation of this.conversations.values()) {
      if (this.isIdle(conversation)) {
        this.drop(conversation);
        dropped += 1;
      }
    }
    return dropped;
  }

  private forget(conversation: Conversation, index: number): void {
    const bytes = conversation.log.splice(index, 1)[0]!.bytes;
    conversation.bytes -= bytes;
    this.totalBytes -= bytes;
  }

  private drop(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    this.totalBytes -= conversation.bytes;
  }

  private isIdle(conversation: Conversation): boolean {
    return this.now() - conversation.lastActiveAt > this.options.idleMs;
  }
}
