/**
 * Reads a rule file (red flags or dermatologist cues) once at start-up: YAML, checked with zod, patterns
 * compiled, and each rule's own examples run against it. Problems stop start-up with ContentErrors (the content
 * files' list format) naming the file, the rule id and the field, in words a clinician can act on.
 */
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { ContentError, ContentErrors } from '../content/errors.js';
import { issueProblem, readYamlFile } from '../content/yamlFile.js';
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
        joiners: z.array(phrase).default([]),
        joinerReach: z.number().int().min(0).max(10).default(0),
      })
      .strict(),
    personal: phrases,
    reportFillers: z.array(phrase).default([]),
    questions: z
      .object({
        openers: phrases,
        leadIns: z.array(phrase).default([]),
        // Words that make a question about the person even without "I" or "my": "is dupixent safe", "what are the chances".
        aboutThePerson: z.array(phrase).default([]),
      })
      .strict(),
    // Now versus history (src/triage/history.ts); a file without it reads every match as happening now.
    history: z
      .object({
        past: phrases,
        pastForms: z.array(phrase).default([]),
        family: z.array(phrase).default([]),
        now: phrases,
        abilities: z.array(phrase).default([]),
      })
      .strict()
      .optional(),
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
  bareReport: z.boolean().default(false),
  namesCondition: z.boolean().default(false),
  familyHistory: z.boolean().default(false),
  acrossSentences: z.boolean().default(false),
  patterns: phrases,
  examples: z.array(phrase).default([]),
  nonExamples: z.array(phrase).default([]),
  // Messages whose match is told as history ("my throat used to swell as a kid"): checked like the examples.
  historyExamples: z.array(phrase).default([]),
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

type RuleFile<R> = { language: z.infer<typeof languageSchema>; concepts: Record<string, string[]>; rules: R[] };

/** A problem a file-wide check finds, in the words of the content files' problems. */
export interface RuleProblem {
  entry: string;
  field: string;
  problem: string;
}

/**
 * A check over the whole file: `rules` are the valid rules, `written` the ids of every rule written in the file,
 * valid or not (a rule already reported as broken must not be reported again as missing).
 */
export type FileCheck<R> = (rules: readonly R[], written: ReadonlySet<string>) => RuleProblem[];

/**
 * Loads, validates and compiles a rule file. `schema` checks the file's own rule fields (a red flag has a
 * level, a cue does not); `check` adds the checks zod cannot express (across fields, or across the file). Every
 * problem is collected and thrown together as ContentErrors, worded like the content files' problems, so a
 * clinician fixes them in one go.
 */
type WithExamples = RuleSpec & { examples: string[]; nonExamples: string[]; historyExamples: string[] };

export function loadRuleFile<R extends WithExamples>(
  file: string,
  schema: z.ZodType<RuleFile<R>>,
  check: FileCheck<R> = () => [],
): Compiled<R> {
  const problems: ContentError[] = [];
  const compiled = readRuleFile(file, displayName(file), schema, check, problems);
  if (problems.length > 0 || !compiled) throw new ContentErrors(problems);
  return compiled;
}

function readRuleFile<R extends WithExamples>(
  file: string,
  name: string,
  schema: z.ZodType<RuleFile<R>>,
  check: FileCheck<R>,
  problems: ContentError[],
): Compiled<R> | undefined {
  const raw = readYamlFile(file, name, problems);
  if (raw === undefined) return undefined;
  const data = validate(name, schema, raw, problems);
  if (!data) return undefined;
  for (const p of check(data.rules, writtenIds(raw))) problems.push(new ContentError(name, p.entry, p.field, p.problem));
  const { language, concepts } = data;

  let usable = true;
  for (const concept of language.fuzzy.exactConcepts) {
    if (!(concept in concepts)) {
      problems.push(new ContentError(name, 'language', 'fuzzy.exactConcepts', `names "${concept}", which is not a concept`));
      usable = false;
    }
  }
  const seen = new Set<string>();
  for (const rule of data.rules) {
    if (seen.has(rule.id)) problems.push(new ContentError(name, rule.id, 'id', 'is used by two rules; ids must be unique'));
    seen.add(rule.id);
  }
  if (!usable) return undefined;

  const compiled = compileAll(name, language, concepts, data.rules, problems);
  if (!compiled) return undefined;
  // A clinician's examples are executable: a rule that misses its own example would fail silently in clinic.
  const fires = (fit: Fit): boolean => fit === 'full' || fit === 'general-question';
  for (const rule of compiled.rules) {
    for (const example of rule.spec.examples) {
      const fit = fitOf(compiled, rule.spec.id, example);
      if (!fires(fit)) {
        const why = fit === 'history' ? ', because it reads as history (see language.history)' : '';
        problems.push(new ContentError(name, rule.spec.id, 'examples', `"${example}" should match this rule but does not${why}`));
      }
    }
    for (const example of rule.spec.nonExamples) {
      if (fires(fitOf(compiled, rule.spec.id, example))) {
        problems.push(new ContentError(name, rule.spec.id, 'nonExamples', `"${example}" should not match this rule but does`));
      }
    }
    for (const example of rule.spec.historyExamples) {
      const fit = fitOf(compiled, rule.spec.id, example);
      if (fit === 'history') continue;
      const problem = !language.history
        ? 'needs language.history in this file, which says how history is told'
        : fires(fit)
          ? `"${example}" should read as history but reads as happening now`
          : `"${example}" should match this rule, told as history, but does not match it`;
      problems.push(new ContentError(name, rule.spec.id, 'historyExamples', problem));
    }
  }
  return compiled;
}

function writtenIds(raw: unknown): Set<string> {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  const ids = new Set<string>();
  if (Array.isArray(rules)) for (const rule of rules) if (typeof (rule as { id?: unknown } | null)?.id === 'string') ids.add((rule as { id: string }).id);
  return ids;
}

/**
 * The file, checked against `schema`; every failure is reported. Rules with problems of their own are then left
 * out and the rest checked again, so the patterns and examples of the other rules are still checked in this pass.
 */
function validate<R extends RuleSpec>(name: string, schema: z.ZodType<RuleFile<R>>, raw: unknown, problems: ContentError[]): RuleFile<R> | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const rules = (raw as { rules?: unknown } | null)?.rules;
  const broken = new Set<number>();
  let other = false;
  for (const issue of parsed.error.issues) {
    const [top, index] = issue.path;
    if (top === 'rules' && typeof index === 'number' && Array.isArray(rules)) {
      broken.add(index);
      const id = (rules[index] as { id?: unknown } | null)?.id;
      const entry = typeof id === 'string' ? id : `rules[${index}]`;
      // A rule that is not a mapping at all has no field to name.
      const whole = issue.path.length === 2 && issue.code !== 'unrecognized_keys';
      problems.push(whole ? new ContentError(name, entry, '(rule)', issue.message) : issueProblem(name, entry, issue, raw, 2));
    } else if (top === 'language' || top === 'concepts') {
      other = true;
      problems.push(issueProblem(name, top, issue, raw, 1));
    } else {
      other = true;
      problems.push(issueProblem(name, '-', issue, raw));
    }
  }
  if (other || !Array.isArray(rules)) return undefined;
  const rest = schema.safeParse({ ...(raw as object), rules: rules.filter((_, i) => !broken.has(i)) });
  return rest.success ? rest.data : undefined;
}

/**
 * Compiles the file; when that fails, compiles the language, each concept and each pattern on its own to find
 * every problem instead of the first. Only the failing path pays for this.
 */
function compileAll<R extends RuleSpec>(
  name: string,
  language: RuleFile<R>['language'],
  concepts: Record<string, string[]>,
  rules: R[],
  problems: ContentError[],
): Compiled<R> | undefined {
  const attempt = (c: Record<string, string[]>, r: R[]): Compiled<R> | PatternProblem => {
    try {
      return compile(language, c, r);
    } catch (e) {
      if (e instanceof PatternProblem) return e;
      throw e;
    }
  };
  const report = (e: PatternProblem): void => {
    const [entry, field] = e.ruleId ? [e.ruleId, e.field] : splitField(e.field);
    problems.push(new ContentError(name, entry, field, e.message));
  };

  const all = attempt(concepts, rules);
  if (!(all instanceof PatternProblem)) return all;
  const bare = attempt({}, []);
  if (bare instanceof PatternProblem) {
    report(bare);
    return undefined;
  }
  // A pattern naming a broken concept would only repeat that concept's problem, so rules wait for good concepts.
  const conceptProblems = Object.entries(concepts)
    .map(([concept, phrases]) => attempt({ [concept]: phrases }, []))
    .filter((r): r is PatternProblem => r instanceof PatternProblem);
  if (conceptProblems.length > 0) {
    conceptProblems.forEach(report);
    return undefined;
  }
  const good = rules.filter((rule) => {
    const failed = rule.patterns
      .map((pattern) => attempt(concepts, [{ ...rule, patterns: [pattern] }]))
      .filter((r): r is PatternProblem => r instanceof PatternProblem);
    failed.forEach(report);
    return failed.length === 0;
  });
  const rest = attempt(concepts, good);
  if (!(rest instanceof PatternProblem)) return rest;
  report(rest);
  return undefined;
}

function fitOf<R extends RuleSpec>(compiled: Compiled<R>, id: string, text: string): Fit {
  const rule = compiled.rules.find((r) => r.spec.id === id);
  return rule ? ruleFit(rule, analyse(text, compiled.matcher), compiled.matcher) : null;
}

function splitField(field: string): [string, string] {
  const dot = field.indexOf('.');
  return dot < 0 ? [field, field] : [field.slice(0, dot), field.slice(dot + 1)];
}
