/**
 * Turns of one conversation, one after another, in the order their messages arrived; other conversations run
 * beside them. Used by both SDKs' in-process Direct Line adapters. A failed turn does not block the next one, and a
 * conversation with nothing queued holds no memory.
 */
export class ConversationQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(conversationId: string, work: () => Promise<void>): Promise<void> {
    const turn = (this.tails.get(conversationId) ?? Promise.resolve()).then(work);
    const tail = turn.catch(() => undefined);
    this.tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return turn;
  }
}
