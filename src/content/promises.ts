import type { Content, Topic } from '../core/types.js';
import { TOPIC_ASK_MAX } from './catalog.js';

/**
 * What the bot promises, in every place a patient reads it before asking: the welcome's example questions, the
 * demo page's list, the help answer (`{topics}`, filled in packs.ts) and the Teams command list. All of them come
 * from the topics of the packs that are on (data/catalog.yaml), so a pack that is off is promised nowhere.
 */

/** Teams limits a command's description to 128 characters (manifest schema); its title, a topic's `ask`, to 32. */
export const TEAMS_COMMAND_DESCRIPTION_MAX = 128;
/** Teams shows at most 10 commands in a list; one is kept for Help. */
export const TEAMS_MAX_TOPIC_COMMANDS = 9;

/** The labels of the topics, one per line of the demo page. */
export function promisedTopics(content: Pick<Content, 'topics'>): string[] {
  return content.topics.map((t) => t.label);
}

/**
 * The welcome's example questions: the clinic's own (`base`, kept as they were so the article alone greets as it
 * always did), each only when it answers a topic that is on, then the first intent of each topic of an optional
 * pack that is on, so the welcome shows what the pack adds.
 */
export function welcomeExampleIntents(content: Pick<Content, 'topics' | 'packs' | 'entries'>, base: readonly string[]): string[] {
  const promised = new Set(content.topics.flatMap((t) => t.intents));
  const examples = base.filter((id) => promised.has(id) && content.entries.has(id));
  for (const pack of content.packs) {
    if (!pack.optional || !pack.enabled) continue;
    for (const topic of pack.topics) {
      const first = topic.intents.find((id) => content.entries.has(id));
      if (first && !examples.includes(first)) examples.push(first);
    }
  }
  return examples;
}

export interface TeamsCommand {
  title: string;
  description: string;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const shortened = text.slice(0, max - 1);
  const space = shortened.lastIndexOf(' ');
  return `${(space > max / 2 ? shortened.slice(0, space) : shortened).trimEnd()}…`;
}

/** The Teams command list: each topic's question as the title, its label as the description, then Help. */
export function teamsCommands(topics: readonly Topic[]): TeamsCommand[] {
  return [
    ...topics.slice(0, TEAMS_MAX_TOPIC_COMMANDS).map((t) => ({ title: cut(t.ask, TOPIC_ASK_MAX), description: cut(t.label, TEAMS_COMMAND_DESCRIPTION_MAX) })),
    { title: 'Help', description: 'What this assistant can and cannot do' },
  ];
}
