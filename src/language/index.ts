/**
 * Other languages. The bot answers in English only; a message in another language must not get the English
 * decline, which its writer may not read. This module tells which language a message is in (a small word model
 * from data/languages.yaml for short messages, the `franc` language identifier for the rest), and reads that
 * language's emergency rules. The approved sentences are data (data/languages.yaml), validated at start-up.
 */
import { join } from 'node:path';
import { francAll } from 'franc-min';
import { z } from 'zod';
import { dataDir } from '../paths.js';
import { ContentError, ContentErrors, WHOLE_FILE } from '../content/errors.js';
import { readYamlFile, schemaProblems } from '../content/yamlFile.js';

export const DEFAULT_LANGUAGES_FILE = join(dataDir, 'languages.yaml');
const FILE = 'data/languages.yaml';

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    patterns: z.array(z.string().min(1)).min(1),
    examples: z.array(z.string().min(1)).min(1),
    nonExamples: z.array(z.string().min(1)).default([]),
  })
  .strict();

const languageSchema = z
  .object({
    name: z.string().min(1),
    franc: z.string().regex(/^[a-z]{3}$/, 'an ISO 639-3 code such as spa'),
    notice: z.string().min(1).refine((s) => s.includes('{clinicPhone}'), 'must name {clinicPhone}'),
    words: z.array(z.string().min(1)).default([]),
    emergency: z
      .object({
        label: z.string().min(1),
        advice: z.string().min(1).refine((s) => s.includes('{emergencyNumber}'), 'must name {emergencyNumber}'),
        call: z.string().min(1),
        rules: z.array(ruleSchema).min(1),
      })
      .strict()
      .optional(),
  })
  .strict();


export interface LanguageText {
  /** ISO 639-1 code, e.g. "es". */
  code: string;
  name: string;
  /** The approved sentence, with the clinic placeholders still in it. */
  notice: string;
  emergency?: { label: string; advice: string; call: string };
}

export interface LanguageReading {
  language: LanguageText;
  /** The emergency rule of that language the message matched, if any. */
  emergency: { ruleId: string; matched: string } | null;
}

interface CompiledLanguage extends LanguageText {
  franc: string;
  words: ReadonlySet<string>;
  rules: Array<{ id: string; patterns: RegExp[] }>;
}

export interface Languages {
  /** The message's language when it is one of ours and not English, with its emergency reading; null for English. */
  read(text: string): LanguageReading | null;
  readonly codes: readonly string[];
}

/** Lower case, accents removed: what the emergency patterns are written against. */
export function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}']+/gu) ?? [];
}

/**
 * Load data/languages.yaml. `englishWords` are words that count as English (the training utterances' words): a
 * short message made of them ("ok", "hi", "dupixent", "can I use vaseline") stays English whatever franc thinks.
 * Every problem in the file is thrown together as ContentErrors naming the language, its field and the problem.
 */
export function loadLanguages(englishWords: ReadonlySet<string>, path: string = DEFAULT_LANGUAGES_FILE): Languages {
  const problems: ContentError[] = [];
  const raw = readYamlFile(path, FILE, problems);
  const specs: Array<[string, z.infer<typeof languageSchema>]> = [];
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    problems.push(new ContentError(FILE, WHOLE_FILE, WHOLE_FILE, 'must map language codes (es, fr, …) to their texts'));
  } else if (raw) {
    // Each language on its own, so one language's mistake does not hide another's.
    for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!/^[a-z]{2}$/.test(code)) problems.push(new ContentError(FILE, code, WHOLE_FILE, 'the key must be an ISO 639-1 code such as es'));
      const parsed = languageSchema.safeParse(value);
      if (parsed.success) specs.push([code, parsed.data]);
      else problems.push(...schemaProblems(FILE, code, parsed.error, value));
    }
  }
  const compiled: CompiledLanguage[] = [];
  for (const [code, spec] of specs) {
    const rules = (spec.emergency?.rules ?? []).map((rule, r) => {
      const patterns: RegExp[] = [];
      rule.patterns.forEach((p, i) => {
        try {
          patterns.push(new RegExp(p, 'u'));
        } catch (err) {
          problems.push(new ContentError(FILE, code, `emergency.rules[${r}].patterns[${i}]`, `not a regular expression: ${(err as Error).message}`));
        }
      });
      const fires = (text: string) => patterns.some((re) => re.test(folded(text)));
      rule.examples.forEach((e, i) => {
        if (!fires(e)) problems.push(new ContentError(FILE, code, `emergency.rules[${r}].examples[${i}]`, `rule "${rule.id}" does not match its example "${e}"`));
      });
      rule.nonExamples.forEach((e, i) => {
        if (fires(e)) problems.push(new ContentError(FILE, code, `emergency.rules[${r}].nonExamples[${i}]`, `rule "${rule.id}" matches its non-example "${e}"`));
      });
      return { id: rule.id, patterns };
    });
    compiled.push({
      code,
      name: spec.name,
      franc: spec.franc,
      notice: spec.notice,
      ...(spec.emergency ? { emergency: { label: spec.emergency.label, advice: spec.emergency.advice, call: spec.emergency.call } } : {}),
      words: new Set(spec.words.map((w) => w.toLowerCase()).filter((w) => !ENGLISH_FUNCTION_WORDS.has(w))),
      rules,
    });
  }
  if (problems.length > 0) throw new ContentErrors(problems);
  const byFranc = new Map(compiled.map((l) => [l.franc, l]));

  function emergencyIn(language: CompiledLanguage, text: string): LanguageReading['emergency'] {
    const f = folded(text);
    for (const rule of language.rules) {
      for (const re of rule.patterns) {
        const m = re.exec(f);
        if (m) return { ruleId: rule.id, matched: m[0] };
      }
    }
    return null;
  }

  function detect(text: string): CompiledLanguage | null {
    // Scripts first: a message mostly in Han characters or Arabic letters is not English, however short.
    const letters = text.match(/\p{L}/gu) ?? [];
    if (letters.length === 0) return null;
    const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
    const arabic = (text.match(/\p{Script=Arabic}/gu) ?? []).length;
    if (han / letters.length > 0.5) return byFranc.get('cmn') ?? null;
    if (arabic / letters.length > 0.5) return byFranc.get('arb') ?? null;

    const tokens = words(text);
    // One word ("ok", "hi", "gracias", a drug name) is too little to tell; English is the safe reading.
    if (tokens.length < 2) return null;
    const english = tokens.filter((t) => englishWords.has(t) || ENGLISH_FUNCTION_WORDS.has(t)).length;
    if (english / tokens.length >= 0.5) return null;

    // The language whose common words the message uses most; franc settles a tie or a message with none of them.
    const scores = compiled.map((l) => ({ l, n: tokens.filter((t) => l.words.has(t)).length }));
    const best = Math.max(...scores.map((s) => s.n));
    const tied = scores.filter((s) => s.n === best && best > 0).map((s) => s.l);
    if (tied.length === 1) return tied[0]!;
    // None of any language's common words: gibberish or a name, not a sentence we can place; English decline.
    if (tied.length === 0) return null;
    const [top] = francAll(text, { only: ['eng', ...tied.map((l) => l.franc)], minLength: 1 });
    if (!top || top[0] === 'eng') return null;
    return byFranc.get(top[0]) ?? null;
  }

  return {
    codes: compiled.map((l) => l.code),
    read(text) {
      const language = detect(text);
      // A language's emergency rule is evidence of that language on its own ("no puedo respirar" is three words).
      const alarmed = language ? null : compiled.find((l) => emergencyIn(l, text) !== null);
      const found = language ?? alarmed;
      if (!found) return null;
      const { code, name, notice, emergency } = found;
      return { language: { code, name, notice, ...(emergency ? { emergency } : {}) }, emergency: emergencyIn(found, text) };
    },
  };
}

/** English words too common to be in every training set, so that "is it ok" or "and so" is never foreign. */
const ENGLISH_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  'a an the is are was were be been am i you he she it we they me my your his her its our their this that these those to of in on at for with and or but not no yes ok okay hi hello hey thanks thank please what how why when where who which can could should would will do does did have has had so if as by from about up out just very too also'.split(' '),
);

/** Every word of the training utterances, lower case: what counts as English for a short message. */
export function vocabulary(training: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  for (const texts of training.values()) for (const text of texts) for (const w of words(text)) found.add(w);
  return found;
}
