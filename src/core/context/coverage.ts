/**
 * What an answer does not cover. Each knowledge-base entry lists, as data, the aspects its answer covers
 * (`covers:` in data/kb/<intent>.md); a question about a treatment that asks about another aspect ("Dupixent and
 * eye problems", "how much does it cost?", "can kids use it?") is told plainly that the clinic's information does
 * not cover it, what it does cover, and where to ask. Only names from the content: no medical text of our own.
 */
import type { KbEntry } from '../types.js';
import type { Aspect, ContextLexicon } from './lexicon.js';

export interface CoverageGap {
  /** The topic as the clinic's information names it ("dupilumab (Dupixent)"). */
  topic: string;
  /** Labels of the aspects asked about that the entry does not cover. */
  missing: string[];
  /** Labels of the aspects the entry covers. */
  covered: string[];
  /** Whether one of the missing aspects is personal (pregnancy, health history): a dermatologist's decision. */
  personal: boolean;
}

/** The gap between what was asked and what the entry covers, for a treatment's entry; null when there is none. */
export function coverageGap(entry: KbEntry, asked: readonly Aspect[], lexicon: ContextLexicon): CoverageGap | null {
  const topic = lexicon.topics.get(entry.intent);
  if (!topic?.treatment || asked.length === 0) return null;
  const missing = asked.filter((a) => !entry.covers.includes(a.id));
  if (missing.length === 0) return null;
  const covered = entry.covers.map((id) => lexicon.aspects.get(id)?.label).filter((l): l is string => l !== undefined);
  return { topic: topic.name, missing: missing.map((a) => a.label), covered, personal: missing.some((a) => a.personal) };
}

/** "a", "a and b", "a, b and c" */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
