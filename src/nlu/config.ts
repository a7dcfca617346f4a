/**
 * The model's configuration, `data/nlu.yaml`: how text is prepared, which features are counted, the naive
 * Bayes flavour and smoothing, how scores become confidences, and the decision rule. Validated once; an error
 * names the file and the field.
 */
import { join, relative } from 'node:path';
import { z } from 'zod';
import { WHOLE_FILE, type ContentError } from '../content/errors.js';
import { readTextFile } from '../content/textFile.js';
import { parseYaml } from '../content/yamlFile.js';
import { dataDir, projectRoot } from '../paths.js';
import { isKept, phraseTokens, surfaceTokens } from './text.js';

const positive = z.number().positive();
const fraction = z.number().min(0).max(1);

export const nluConfigSchema = z.strictObject({
  text: z.strictObject({
    removeStopWords: z.boolean(),
    stem: z.boolean(),
    synonyms: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  }),
  spelling: z.strictObject({
    enabled: z.boolean(),
    minLength: z.number().int().min(2),
    maxEdits: z.array(z.strictObject({ fromLength: z.number().int().min(1), edits: z.number().int().min(0).max(3) })),
    sameFirstLetter: z.boolean(),
  }),
  features: z.strictObject({
    wordWeight: z.number().min(0),
    bigramWeight: z.number().min(0),
    charNgrams: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1), weight: z.number().min(0) }),
  }),
  classifier: z.strictObject({
    variant: z.enum(['multinomial', 'complement']),
    alpha: positive,
    background: z.number().min(0).max(0.999),
    sublinearTf: z.boolean(),
    idf: z.boolean(),
    normaliseLength: z.boolean(),
    normaliseWeights: z.boolean(),
    classPrior: z.boolean(),
    focusPower: z.number().min(0),
    focusSmoothing: z.number().min(0),
    discriminative: z
      .strictObject({ passes: z.number().int().min(0).max(50), rate: z.number().min(0), temperature: positive })
      .default({ passes: 0, rate: 1, temperature: 1 }),
  }),
  confidence: z.strictObject({ temperature: positive }),
  decision: z.strictObject({
    threshold: fraction,
    margin: fraction,
    maxSuggestions: z.number().int().min(1),
    suggestionFloor: fraction,
    outOfScopeLabel: z.string().min(1),
    neverSuggest: z.array(z.string()),
    answerMemorised: z.boolean(),
  }),
});

export type NluConfig = z.infer<typeof nluConfigSchema>;

export const DEFAULT_CONFIG_FILE = join(dataDir, 'nlu.yaml');

export class NluConfigError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: field "${field}": ${problem}`);
    this.name = 'NluConfigError';
  }
}

export function parseNluConfig(raw: unknown, file = 'data/nlu.yaml'): NluConfig {
  const result = nluConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new NluConfigError(file, issue.path.join('.') || '(top level)', issue.message);
  }
  const config = result.data;
  if (config.features.charNgrams.min > config.features.charNgrams.max) {
    throw new NluConfigError(file, 'features.charNgrams', 'min is larger than max');
  }
  const seen = new Map<string, string>();
  for (const [canonical, phrases] of Object.entries(config.text.synonyms)) {
    const field = `text.synonyms.${canonical}`;
    const asRead = surfaceTokens(canonical);
    if (asRead.length !== 1 || asRead[0] !== canonical || !isKept(canonical, config.text)) {
      throw new NluConfigError(file, field, `the word a phrase stands for must be one lower-case word the model keeps (here: "${asRead.join(' ')}")`);
    }
    for (const phrase of phrases) {
      // Read exactly as the model compiles it, so a phrase of stop words alone is caught here, not dropped.
      const words = phraseTokens(phrase, config.text).join(' ');
      if (!words) throw new NluConfigError(file, field, `"${phrase}" has no word in it`);
      const other = seen.get(words);
      if (other !== undefined) throw new NluConfigError(file, field, `"${phrase}" is already listed under ${other}`);
      seen.set(words, canonical);
    }
  }
  if (config.features.wordWeight === 0 && config.features.bigramWeight === 0 && config.features.charNgrams.weight === 0) {
    throw new NluConfigError(file, 'features', 'every feature weight is 0');
  }
  return config;
}

let cached: NluConfig | undefined;

/** Reads and validates data/nlu.yaml (or `file`); the default file is read once per process. */
export function loadNluConfig(file: string = DEFAULT_CONFIG_FILE): NluConfig {
  if (file === DEFAULT_CONFIG_FILE && cached) return cached;
  const shown = relative(projectRoot, file) || file;
  // The content files' reading (encodings, line endings) and YAML parsing, so a mistake reads the same way.
  const problems: ContentError[] = [];
  let text: string | undefined;
  try {
    text = readTextFile(file, shown, '-', problems);
  } catch (err) {
    throw new NluConfigError(shown, WHOLE_FILE, `cannot be read: ${(err as Error).message}`);
  }
  if (text === undefined) throw new NluConfigError(shown, WHOLE_FILE, problems[0]?.problem ?? 'cannot be read');
  const parsed = parseYaml(text, shown, '-', problems);
  if (!parsed.ok) throw new NluConfigError(shown, WHOLE_FILE, problems[0]?.problem ?? 'is not valid YAML');
  const config = parseNluConfig(parsed.value, shown);
  if (file === DEFAULT_CONFIG_FILE) cached = config;
  return config;
}
