import type { Answerer, Reply } from '../core/answer.js';
import type { ConversationMemory } from '../core/context/memory.js';

/**
 * `npm run --silent ask -- --json --conversation`: turns one a line from stdin, a blank line between
 * conversations. Each turn goes through the answerer's `converse`, the same step the bot's conversation takes, with
 * the memory a conversation keeps; each conversation starts with none. One result per turn, none for blank lines.
 */
export async function askConversations<T>(
  lines: AsyncIterable<string>,
  answerer: Pick<Answerer, 'converse'>,
  result: (text: string, reply: Reply) => T,
  write: (result: T) => void,
): Promise<void> {
  let memory: ConversationMemory = {};
  for await (const line of lines) {
    if (line.trim() === '') {
      memory = {};
      continue;
    }
    const turn = answerer.converse(line, memory);
    memory = turn.memory;
    write(result(line, turn.reply));
  }
}
