/**
 * Danger topics: questions ABOUT a condition that needs care the same day ("what does infected eczema look like?",
 * "is eczema herpeticum dangerous?", "symptoms of a clot on a JAK pill?"), on the red flags' rule engine. A red
 * flag is a sign the patient describes now; a danger topic is asked about, often while the patient looks at the
 * skin, so the reply keeps its answer and adds the topic's safety card (the signs, and what to do if they are
 * there). The topics and their cards are data (data/danger-topics.yaml), validated at start-up like the rules,
 * with sources from data/sources.yaml and a review date.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { closest } from '../content/closest.js';
import { isCalendarDate, latestDateOnEarth } from '../content/dates.js';
import { isPlaceholder, placeholdersIn } from '../content/placeholders.js';
import type { KbEntry, SafetyCard, Source } from '../core/types.js';
import { dataDir } from '../paths.js';
import { analyse, ruleMatch, type Compiled } from './matcher.js';
import { fileSchema, loadRuleFile, reasonSchema, ruleCommon, type RuleProblem } from './ruleFile.js';

const line = z.string().trim().min(3, 'should not be empty').max(200, 'should be at most 200 characters');

const topicRule = z
  .object({
    ...ruleCommon,
    // Asked about in general ("what is eczema herpeticum?") is what a danger topic is for.
    inGeneralQuestion: z.enum(['fire', 'skip']).default('fire'),
    // Topics name conditions, so "I had cellulitis" tells one as history.
    namesCondition: z.boolean().default(true),
    title: z.string().trim().min(3, 'should not be empty').max(80, 'should be at most 80 characters'),
    reason: reasonSchema,
    signs: z.array(line).min(2, 'should list at least two signs').max(8, 'should list at most eight signs'),
    action: z
      .string()
      .trim()
      .max(400, 'should be at most 400 characters')
      .refine((a) => /^If /.test(a), 'should start with "If", saying when to act: "If you notice any of these, contact …"'),
    note: z.string().trim().min(20, 'should be a full sentence').max(300, 'should be at most 300 characters').optional(),
    sources: z.array(z.string().trim().min(1)).min(1, 'needs at least one source from data/sources.yaml'),
    // The knowledge-base answers that may go with the card; another answer the model picks is about something else.
    answers: z.array(z.string().trim().min(1)).default([]),
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'should be a date written YYYY-MM-DD'),
  })
  .strict();

export type DangerTopicRule = z.infer<typeof topicRule>;

export interface DangerTopics extends Compiled<DangerTopicRule> {
  /** Each topic's card, its sources resolved, by topic id. */
  cards: ReadonlyMap<string, SafetyCard>;
}

export interface TopicMatch {
  topicId: string;
  card: SafetyCard;
  /** Intents whose answers may go with the card. */
  answers: readonly string[];
  /** The words of the message that matched. */
  matched: string;
}

/** A message read for danger topics: the one asked about now, and, when none is, one told as history. */
export interface TopicReading {
  now: TopicMatch | null;
  history: TopicMatch | null;
}

export const DEFAULT_DANGER_TOPICS_FILE = join(dataDir, 'danger-topics.yaml');

/** The topics the product promises a safety card for; start-up refuses a file without one of them. */
export const REQUIRED_DANGER_TOPICS: readonly { id: string; covers: string }[] = [
  { id: 'infected-eczema', covers: 'infected eczema' },
  { id: 'eczema-herpeticum', covers: 'eczema herpeticum and cold sores near eczema' },
  { id: 'cellulitis', covers: 'cellulitis' },
  { id: 'fever-with-rash', covers: 'a fever with a rash' },
  { id: 'jak-blood-clot', covers: 'blood clot symptoms on JAK inhibitors' },
  { id: 'eye-on-treatment', covers: 'eye pain or changed vision on treatment' },
  { id: 'erythroderma', covers: 'erythroderma' },
];

/** What the cards are checked against: the source registry and the knowledge base, already loaded. */
export interface TopicContent {
  sources: ReadonlyMap<string, Source>;
  entries: ReadonlyMap<string, KbEntry>;
}

function checks({ sources, entries }: TopicContent, today: string) {
  return (rules: readonly DangerTopicRule[], written: ReadonlySet<string>): RuleProblem[] => {
    const problems: RuleProblem[] = [];
    for (const rule of rules) {
      const problem = (field: string, text: string): void => void problems.push({ entry: rule.id, field, problem: text });
      for (const id of rule.sources) {
        if (!sources.has(id)) {
          const guess = closest(id, sources.keys());
          problem('sources', `"${id}" is not in data/sources.yaml${guess ? ` (did you mean "${guess}"?)` : ''}`);
        }
      }
      for (const id of rule.answers) {
        if (entries.get(id)?.kind !== 'faq') {
          const guess = closest(id, [...entries.values()].filter((e) => e.kind === 'faq').map((e) => e.intent));
          problem('answers', `"${id}" is not a FAQ intent in data/catalog.yaml${guess ? ` (did you mean "${guess}"?)` : ''}`);
        }
      }
      if (!isCalendarDate(rule.reviewed)) problem('reviewed', `${rule.reviewed} is not a real calendar date`);
      else if (rule.reviewed > today) problem('reviewed', `${rule.reviewed} is in the future`);
      const named = placeholdersIn(rule.action);
      for (const name of named) if (!isPlaceholder(name)) problem('action', `{${name}} is not a placeholder the bot fills (use {clinicName}, {clinicPhone}, {bookingUrl} or {emergencyNumber})`);
      for (const needed of ['clinicPhone', 'emergencyNumber']) {
        if (!named.includes(needed)) problem('action', `must name {${needed}}: the card says whom to call today and when to call the emergency number`);
      }
      for (const [field, texts] of [['title', [rule.title]], ['signs', rule.signs], ['note', rule.note ? [rule.note] : []]] as const) {
        if (texts.some((t) => placeholdersIn(t).length > 0 || /[{}~|]/.test(t))) problem(field, 'is shown to patients as written: no placeholders or pattern syntax');
      }
    }
    for (const required of REQUIRED_DANGER_TOPICS) {
      if (!written.has(required.id)) {
        problems.push({
          entry: required.id,
          field: 'id',
          problem: `is required: it gives the safety card for questions about ${required.covers}; change its patterns or card instead of removing it`,
        });
      }
    }
    return problems;
  };
}

/**
 * Loads, validates and compiles the danger topics. `content` holds the source registry the cards cite and the
 * answers they may go with (already loaded from data/); `today` is the date a review may not be later than.
 */
export function loadDangerTopics(content: TopicContent, file: string = DEFAULT_DANGER_TOPICS_FILE, today: string = latestDateOnEarth()): DangerTopics {
  const { sources } = content;
  const compiled = loadRuleFile(file, fileSchema(topicRule), checks(content, today));
  const cards = new Map<string, SafetyCard>();
  for (const { spec } of compiled.rules) {
    cards.set(spec.id, {
      topic: spec.id,
      title: spec.title,
      reason: spec.reason,
      signs: spec.signs,
      action: spec.action,
      ...(spec.note ? { note: spec.note } : {}),
      sources: spec.sources.map((id) => sources.get(id)).filter((s): s is Source => s !== undefined),
      reviewed: spec.reviewed,
    });
  }
  return { ...compiled, cards };
}

/** The first topic (in file order) the message asks about now, and otherwise the first told as history. */
export function readDangerTopics(text: string, topics: DangerTopics): TopicReading {
  const a = analyse(text, topics.matcher);
  if (a.ids.length === 0) return { now: null, history: null };
  let history: TopicMatch | null = null;
  for (const rule of topics.rules) {
    const match = ruleMatch(rule, a, topics.matcher);
    if (!match) continue;
    const found = { topicId: rule.spec.id, card: topics.cards.get(rule.spec.id) as SafetyCard, answers: rule.spec.answers, matched: match.matched };
    if (match.fit === 'full') return { now: found, history };
    if (match.fit === 'history') history ??= found;
  }
  return { now: null, history };
}
