/**
 * The words conversation context reads (data/context.yaml): which topic a message names, whether it is about a
 * child or a body site, and which aspect of a topic it asks about. Loaded and checked at start-up against the
 * catalog and the knowledge base's `covers` lists, like the rest of the content.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { closest } from '../../content/closest.js';
import { ContentError, ContentErrors } from '../../content/errors.js';
import { readYamlFile, schemaProblems } from '../../content/yamlFile.js';
import { dataDir } from '../../paths.js';
import type { Content } from '../types.js';

export const CONTEXT_FILE = 'data/context.yaml';

const phrase = z.string().trim().min(1, 'must not be empty').max(60, 'should be at most 60 characters');
const phrases = z.array(phrase).min(1, 'needs at least one word or phrase');

const fileSchema = z
  .object({
    topics: z.record(
      z.string(),
      z
        .object({
          name: z.string().trim().min(2, 'must not be empty').max(80, 'should be at most 80 characters'),
          terms: phrases,
          rx: phrase.optional(),
          treatment: z.boolean().default(false),
        })
        .strict(),
    ),
    child: phrases,
    sites: z.record(z.string(), phrases),
    aspects: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
            label: z.string().trim().min(2, 'must not be empty').max(60, 'should be at most 60 characters'),
            phrases,
            personal: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1, 'needs at least one aspect'),
  })
  .strict();

/** A word or phrase, as words; a word ending in * matches any word that starts with it. */
type Pattern = readonly string[];

export interface ContextTopic {
  intent: string;
  name: string;
  terms: Pattern[];
  /** The medicine as the dermatologist rule names it, when the topic is one. */
  rx?: string;
  /** A treatment: the aspects a patient asks about (safety, children, cost...) are about it. */
  treatment: boolean;
}

export interface Aspect {
  id: string;
  label: string;
  phrases: Pattern[];
  /** Asked about oneself, this is a decision for a dermatologist (pregnancy, health history). */
  personal: boolean;
}

export interface ContextLexicon {
  topics: ReadonlyMap<string, ContextTopic>;
  child: Pattern[];
  sites: ReadonlyMap<string, Pattern[]>;
  aspects: ReadonlyMap<string, Aspect>;
}

/** Lower case words of a message, as the patterns are written (apostrophes and dashes kept inside words). */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/[^a-z0-9'-]+/)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter((w) => w !== '');
}

function pattern(text: string): Pattern {
  return wordsOf(text.replace(/\*/g, 'STAR')).map((w) => w.replace(/star$/, '*'));
}

function wordFits(word: string, want: string): boolean {
  return want.endsWith('*') ? word.startsWith(want.slice(0, -1)) : word === want;
}

/** Whether the words hold the pattern, word after word. */
export function holds(words: readonly string[], p: Pattern): boolean {
  if (p.length === 0) return false;
  for (let i = 0; i + p.length <= words.length; i++) {
    let all = true;
    for (let j = 0; j < p.length && all; j++) all = wordFits(words[i + j], p[j]);
    if (all) return true;
  }
  return false;
}

export function holdsAny(words: readonly string[], patterns: readonly Pattern[]): boolean {
  return patterns.some((p) => holds(words, p));
}

/** Parse data/context.yaml's value, checking it against the content; problems name file, entry and field. */
export function parseContextLexicon(value: unknown, content: Pick<Content, 'entries'>, file = CONTEXT_FILE): ContextLexicon {
  const problems: ContentError[] = [];
  const parsed = fileSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ContentErrors(schemaProblems(file, '-', parsed.error, value));
  const data = parsed.data;
  const intents = [...content.entries.keys()];
  const topics = new Map<string, ContextTopic>();
  for (const [intent, t] of Object.entries(data.topics)) {
    if (!content.entries.has(intent)) {
      const near = closest(intent, intents);
      problems.push(new ContentError(file, intent, 'topics', `no knowledge-base entry "${intent}"${near ? ` (did you mean "${near}"?)` : ''}`));
      continue;
    }
    topics.set(intent, { intent, name: t.name, terms: t.terms.map(pattern), ...(t.rx ? { rx: t.rx } : {}), treatment: t.treatment || t.rx !== undefined });
  }
  const aspects = new Map<string, Aspect>();
  for (const a of data.aspects) {
    if (aspects.has(a.id)) problems.push(new ContentError(file, a.id, 'aspects', `aspect "${a.id}" is listed twice`));
    aspects.set(a.id, { id: a.id, label: a.label, phrases: a.phrases.map(pattern), personal: a.personal });
  }
  // Every aspect an entry says it covers must be one a question can ask about.
  for (const entry of content.entries.values()) {
    for (const id of entry.covers) {
      if (aspects.has(id)) continue;
      const near = closest(id, aspects.keys());
      problems.push(new ContentError(entry.file, entry.intent, 'covers', `"${id}" is not an aspect of ${file}${near ? ` (did you mean "${near}"?)` : ''}`));
    }
    if (entry.kind === 'faq' && entry.covers.length === 0) {
      problems.push(new ContentError(entry.file, entry.intent, 'covers', `must list at least one aspect of ${file} the answer covers, e.g. [what-it-is]`));
    }
  }
  if (problems.length > 0) throw new ContentErrors(problems);
  return {
    topics,
    child: data.child.map(pattern),
    sites: new Map(Object.entries(data.sites).map(([id, ps]) => [id, ps.map(pattern)])),
    aspects,
  };
}

export function loadContextLexicon(content: Pick<Content, 'entries'>, path: string = join(dataDir, 'context.yaml')): ContextLexicon {
  const problems: ContentError[] = [];
  const value = readYamlFile(path, CONTEXT_FILE, problems);
  if (problems.length > 0) throw new ContentErrors(problems);
  return parseContextLexicon(value, content);
}
