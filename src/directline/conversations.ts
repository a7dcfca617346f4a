import type { Activity } from 'botbuilder';

/**
 * Conversations of our own Direct Line, in memory only: the transcript a polling client reads, nothing else.
 * Nothing here is written to disk; an idle conversation is dropped whole by the sweep.
 */

/** Older activities drop off once a conversation holds this many; watermarks keep counting. */
const MAX_ACTIVITIES_KEPT = 500;
/**
 * ... or this many bytes (as JSON). A conversation is a few kilobytes a turn; without a byte budget, one client
 * posting large messages could hold hundreds of megabytes per conversation in memory until it went idle, and
 * starve the process every patient depends on. The client has already shown what drops off.
 */
export const MAX_TRANSCRIPT_BYTES = 256 * 1024;
/**
 * All transcripts together: beyond this, a conversation that grows keeps only its last 32 KB, so many large
 * conversations (5,000 × 256 KB would be 1.25 GB) cannot starve the process either.
 */
export const MAX_STORE_BYTES = 64 * 1024 * 1024;
const SHRUNK_TRANSCRIPT_BYTES = 32 * 1024;

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  lastActiveAt: number;
  /** Sequence number of the last activity appended; the watermark a client receives. */
  seq: number;
  readonly log: { seq: number; activity: Partial<Activity>; bytes: number }[];
  /** Sum of the log's `bytes`. */
  bytes: number;
  /** Turns of one conversation run one after another, in the order their messages arrived. */
  queue: Promise<void>;
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private totalBytes = 0;

  constructor(private readonly options: { idleMs: number; maxConversations: number; now?: () => number; maxStoreBytes?: number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get size(): number {
    return this.conversations.size;
  }

  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (conversation && this.isIdle(conversation)) {
      this.drop(conversation);
      return undefined;
    }
    return conversation;
  }

  /** undefined when the store is full (the caller answers 503). */
  create(id: string, userId: string): Conversation | undefined {
    if (this.conversations.size >= this.options.maxConversations) {
      this.sweep();
      if (this.conversations.size >= this.options.maxConversations) return undefined;
    }
    const now = this.now();
    const conversation: Conversation = { id, userId, createdAt: now, lastActiveAt: now, seq: 0, log: [], bytes: 0, queue: Promise.resolve() };
    this.conversations.set(id, conversation);
    return conversation;
  }

  touch(conversation: Conversation): void {
    conversation.lastActiveAt = this.now();
  }

  /** Appends a copy with the next Direct Line id (`<conversation>|0000001`) and a timestamp; returns the copy. */
  append(conversation: Conversation, activity: Partial<Activity>): Partial<Activity> {
    conversation.seq += 1;
    const stored: Partial<Activity> = {
      ...activity,
      id: activity.id ?? `${conversation.id}|${String(conversation.seq).padStart(7, '0')}`,
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
    this.touch(conversation);
    return stored;
  }

  /** Replaces an activity by id and moves it after the watermark, so polling clients see the new version. */
  replace(conversation: Conversation, activity: Partial<Activity>): boolean {
    const index = conversation.log.findIndex((entry) => entry.activity.id === activity.id);
    if (index < 0) return false;
    const previous = conversation.log[index]!.activity;
    this.forget(conversation, index);
    this.append(conversation, { ...previous, ...activity, id: previous.id });
    return true;
  }

  remove(conversation: Conversation, activityId: string): boolean {
    const index = conversation.log.findIndex((entry) => entry.activity.id === activityId);
    if (index < 0) return false;
    this.forget(conversation, index);
    return true;
  }

  /** Bytes held by every transcript together. */
  get bytes(): number {
    return this.totalBytes;
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

  /** Activities after a watermark (the last sequence number the client has seen), and the new watermark. */
  since(conversation: Conversation, watermark: number): { activities: Partial<Activity>[]; watermark: number } {
    return {
      activities: conversation.log.filter((entry) => entry.seq > watermark).map((entry) => entry.activity),
      watermark: conversation.seq,
    };
  }

  /** Drops idle conversations; returns how many. */
  sweep(): number {
    let dropped = 0;
    for (const conversation of this.conversations.values()) {
      if (this.isIdle(conversation)) {
        this.drop(conversation);
        dropped += 1;
      }
    }
    return dropped;
  }

  clear(): void {
    this.conversations.clear();
    this.totalBytes = 0;
  }

  private isIdle(conversation: Conversation): boolean {
    return this.now() - conversation.lastActiveAt > this.options.idleMs;
  }
}
