/**
 * Reads a rule file (red flags or dermatologist cues) once at start-up: YAML, checked with zod, patterns
 * compiled, and each rule's own examples run against it. Any problem stops start-up with a ContentError that
 * names the file, the rule id and the field, in words a clinician can act on.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ContentError } from '../content/errors.js';
import { projectRoot } from '../paths.js';
import { analyse, compile, PatternProblem, ruleFit, type Compiled, type Fit, type RuleSpec } from './matcher.js';

const phrase = z.string().trim().min(1, 'must not be empty');
const phrases = z.array(phrase).min(1, 'needs at least one phrase');

export const languageSchema = z
  .object({
    respell: z.record(z.string(), phrase).default({}),
    realWords: z.array(phrase).default([]),
    fuzzy: z
      .object({
        minLength: z.number().int().min(3).max(10),
        twoEditLength: z.number().int().min(5).max(20),
        exactConcepts: z.array(phrase).default([]),
        exactWords: z.array(phrase).default([]),
      })
      .strict(),
    negation: z
      .object({
        window: z.number().int().min(1).max(10),
        cues: phrases,
        pseudo: z.array(phrase).default([]),
        terminators: z.array(phrase).default([]),
      })
      .strict(),
    personal: phrases,
    questions: z.object({ openers: phrases, leadIns: z.array(phrase).default([]) }).strict(),
  })
  .strict();

/** One sentence a patient reads: a capital letter at the start, a full stop at the end, nothing technical. */
export const reasonSchema = z
  .string()
  .trim()
  .min(20, 'should be a full sentence')
  .max(200, 'should be one short sentence (at most 200 characters)')
  .refine((r) => /^[A-Z]/.test(r), 'should start with a capital letter')
  .refine((r) => /[.!]$/.test(r), 'should end with a full stop')
  .refine((r) => !/[.!?]\s+\S/.test(r), 'should be one sentence, not several')
  .refine((r) => !/[{}~|]/.test(r), 'is shown to patients, so it must not contain pattern syntax');

export const ruleCommon = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'should be lower-case words joined by hyphens, like "chest-pain"'),
  reason: reasonSchema,
  onlyPersonal: z.boolean().default(false),
  patterns: phrases,
  examples: z.array(phrase).default([]),
  nonExamples: z.array(phrase).default([]),
};

const conceptName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'concept names are lower-case words joined by hyphens');

export function fileSchema<R extends z.ZodTypeAny>(rule: R) {
  return z
    .object({
      language: languageSchema,
      concepts: z.record(conceptName, phrases).default({}),
      rules: z.array(rule).min(1, 'needs at least one rule'),
    })
    .strict();
}

export function displayName(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(projectRoot, file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * Loads, validates and compiles a rule file. `schema` checks the file's own rule fields (a red flag has a
 * level, a cue does not); `check` adds the semantic checks zod cannot express.
 */
export function loadRuleFile<R extends RuleSpec & { examples: string[]; nonExamples: string[] }>(
  file: string,
  schema: z.ZodType<{ language: z.infer<typeof languageSchema>; concepts: Record<string, string[]>; rules: R[] }>,
  check: (rule: R) => { field: string; problem: string } | null = () => null,
): Compiled<R> {
  const name = displayName(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ContentError(name, '(file)', '(file)', `cannot be read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    throw new ContentError(name, '(file)', '(yaml)', `is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [top, index, ...rest] = issue.path;
    if (top === 'rules' && typeof index === 'number') {
      const id = (raw as { rules?: { id?: unknown }[] }).rules?.[index]?.id;
      const entry = typeof id === 'string' ? id : `rules[${index}]`;
      throw new ContentError(name, entry, rest.map(String).join('.') || '(rule)', issue.message);
    }
    const entry = top === undefined ? '(file)' : String(top);
    throw new ContentError(name, entry, [index, ...rest].filter((p) => p !== undefined).map(String).join('.') || entry, issue.message);
  }
  const { language, concepts, rules } = parsed.data;
  for (const concept of language.fuzzy.exactConcepts) {
    if (!(concept in concepts)) throw new ContentError(name, 'language', 'fuzzy.exactConcepts', `names "${concept}", which is not a concept`);
  }

  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new ContentError(name, rule.id, 'id', 'is used by two rules; ids must be unique');
    seen.add(rule.id);
    const problem = check(rule);
    if (problem) throw new ContentError(name, rule.id, problem.field, problem.problem);
  }

  let compiled: Compiled<R>;
  try {
    compiled = compile(language, concepts, rules);
  } catch (e) {
    if (!(e instanceof PatternProblem)) throw e;
    const [entry, field] = e.ruleId ? [e.ruleId, e.field] : splitField(e.field);
    throw new ContentError(name, entry, field, e.message);
  }

  // A clinician's examples are executable: a rule that misses its own example would fail silently in clinic.
  for (const rule of compiled.rules) {
    for (const example of rule.spec.examples) {
      if (fitOf(compiled, rule.spec.id, example) === null) {
        throw new ContentError(name, rule.spec.id, 'examples', `"${example}" should match this rule but does not`);
      }
    }
    for (const example of rule.spec.nonExamples) {
      if (fitOf(compiled, rule.spec.id, example) !== null) {
        throw new ContentError(name, rule.spec.id, 'nonExamples', `"${example}" should not match this rule but does`);
      }
    }
  }
  return compiled;
}

function fitOf<R extends RuleSpec>(compiled: Compiled<R>, id: string, text: string): Fit {
  const rule = compiled.rules.find((r) => r.spec.id === id);
  return rule ? ruleFit(rule, analyse(text, compiled.matcher), compiled.matcher) : null;
}

function splitField(field: string): [string, string] {
  const dot = field.indexOf('.');
  return dot < 0 ? [field, field] : [field.slice(0, dot), field.slice(dot + 1)];
}
