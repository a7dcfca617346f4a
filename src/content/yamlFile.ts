import { existsSync } from 'node:fs';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { valueAt } from '../valueAt.js';
import { ContentError, WHOLE_FILE } from './errors.js';
import { readTextFile } from './textFile.js';


function load(text: string): unknown {
  // js-yaml rather than the `yaml` package: it parses our files about five times faster, and this runs at every
  // start. The core schema, as YAML 1.2: a date stays the text the clinician wrote.
  return yaml.load(text, { schema: yaml.CORE_SCHEMA });
}

interface QuotedScalar {
  quote: '"' | "'";
  start: number;
  /** 0-based lines of the opening quote and of the closing one (undefined when the text ends first). */
  startLine: number;
  endLine: number | undefined;
}

/**
 * The quoted values in YAML text, found by a scan that knows only quotes and comments. A quote starts a value
 * where YAML allows one to (line start, after a space or a flow bracket or comma); an apostrophe inside plain text
 * ("don't") does not.
 */
function quotedScalars(text: string): QuotedScalar[] {
  const found: QuotedScalar[] = [];
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      continue;
    }
    const before = i === 0 ? '\n' : text[i - 1];
    if (c === '#' && /\s/.test(before)) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if ((c !== '"' && c !== "'") || !/[\s[{,]/.test(before)) continue;
    const scalar: QuotedScalar = { quote: c, start: i, startLine: line, endLine: undefined };
    for (i++; i < text.length; i++) {
      if (text[i] === '\n') line++;
      else if (c === '"' && text[i] === '\\') i++;
      else if (c === "'" && text[i] === "'" && text[i + 1] === "'") i++;
      else if (text[i] === c) {
        scalar.endLine = line;
        break;
      }
    }
    found.push(scalar);
  }
  return found;
}

/** Where js-yaml stopped, as an offset into the text: a fix must move the error past it. */
function failsAt(text: string): number | undefined {
  try {
    load(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err;
    return err.mark?.position ?? -1;
  }
}

/**
 * js-yaml reports an unclosed quote where it gave up (the end of the text, or the next quote several lines on),
 * not where the clinician forgot the closing one. Our files never continue a quoted value on the next line, so
 * the first quote that does is the likely culprit; it counts as found only if closing it on its own line lets the
 * parser get further.
 */
function unclosedQuote(text: string, errorAt: number): QuotedScalar | undefined {
  const suspect = quotedScalars(text).find((q) => q.start < errorAt && q.endLine !== q.startLine);
  if (!suspect) return undefined;
  let end = text.indexOf('\n', suspect.start);
  if (end < 0) end = text.length;
  while (end > suspect.start + 1 && /[ \t\r]/.test(text[end - 1] ?? '')) end--;
  const fixed = `${text.slice(0, end)}${suspect.quote}${text.slice(end)}`;
  const next = failsAt(fixed);
  return next === undefined || next > errorAt + 1 ? suspect : undefined;
}

const QUOTE_NAMES = { '"': 'double quote (")', "'": "single quote (')" } as const;

/**
 * "title: Stress: can it make my eczema worse?" is a second key to YAML, which then blames the indentation. The
 * real fix is quotes around the value; say so, with the line as it should be.
 */
function colonInValue(line: string): string | undefined {
  const match = /^(\s*(?:- )?[\w-]+:\s+)([^"'\s[{#].*?:\s.*?)\s*$/.exec(line);
  if (!match) return undefined;
  return `; a value that contains ": " needs quotes around it: ${match[1]!.trim()} "${match[2]!.replace(/"/g, '\\"')}"`;
}

function yamlProblem(err: yaml.YAMLException, text: string, lineOffset: number): string {
  const reason = err.reason || 'invalid YAML';
  const position = err.mark?.position;
  const quote = position === undefined ? undefined : unclosedQuote(text, position);
  if (quote) return `is not valid YAML: the ${QUOTE_NAMES[quote.quote]} opened on this line is never closed (line ${quote.startLine + 1 + lineOffset})`;
  if (/quoted scalar/.test(reason)) {
    const lines = text.replace(/\r?\n$/, '').split('\n').length;
    return `is not valid YAML: a quote opened earlier is not closed; check the quotes in lines ${1 + lineOffset}–${lines + lineOffset}`;
  }
  // The library's message carries a code excerpt; keep its reason and our own line number (its lines count from 0).
  const where = err.mark?.line === undefined ? '' : ` (line ${err.mark.line + 1 + lineOffset})`;
  const colon = err.mark?.line === undefined ? undefined : colonInValue(text.split('\n')[err.mark.line] ?? '');
  return `is not valid YAML: ${reason}${where}${colon ?? ''}`;
}

/**
 * A list item with a plain value ("- I can't breathe") followed by a more indented "- " line is valid YAML: the
 * second line continues the first value, and so do all the items after it. In a rule file that quietly turns a
 * list of examples into one long example. Nobody means that, so it is reported with the line to fix (1-based).
 */
function foldedListItem(text: string): { line: number; above: number } | undefined {
  const lines = text.split('\n');
  const indent = (line: string) => /^ */.exec(line)![0].length;
  // The item above: a plain value, not a mapping ("- id: x"), a nested list ("- - a"), a quoted or flow value, or
  // the start of a block scalar ("- |").
  const plainItem = /^\s*- (?!- )(?![^#]*:(?:\s|$))(?!["'[{|>]).*\S/;
  let above: { text: string; indent: number; line: number } | undefined;
  let blockIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    // Lines of a block scalar ("key: |") are text, whatever they look like.
    if (blockIndent !== undefined && indent(line) > blockIndent) continue;
    blockIndent = /:\s*[|>][-+0-9]*\s*(?:#.*)?$|^\s*- [|>][-+0-9]*\s*$/.test(line) ? indent(line) : undefined;
    if (above && plainItem.test(above.text) && /^\s*- /.test(line) && indent(line) > above.indent) return { line: i + 1, above: above.line };
    above = { text: line, indent: indent(line), line: i + 1 };
  }
  return undefined;
}

/**
 * Parse YAML text; syntax errors become one readable ContentError with the line in the clinician's file.
 * `lineOffset` is how many lines of that file come before `text` (the opening "---" of front matter).
 */
export function parseYaml(
  text: string,
  file: string,
  entry: string,
  problems: ContentError[],
  lineOffset = 0,
): { ok: true; value: unknown } | { ok: false } {
  try {
    const value = load(text);
    const folded = foldedListItem(text);
    if (folded) {
      problems.push(
        new ContentError(
          file,
          entry,
          WHOLE_FILE,
          `line ${folded.line + lineOffset} is indented more than the list item above it (line ${folded.above + lineOffset}), so YAML reads the two as one item; give every "- " of a list the same indentation`,
        ),
      );
      return { ok: false };
    }
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err;
    problems.push(new ContentError(file, entry, WHOLE_FILE, yamlProblem(err, text, lineOffset)));
    return { ok: false };
  }
}

/**
 * Read and parse the YAML file at `path`, reported to the clinician as `file`; a missing or empty file is a
 * problem, not an exception.
 */
export function readYamlFile(path: string, file: string, problems: ContentError[]): unknown {
  if (!existsSync(path)) {
    problems.push(new ContentError(file, '-', WHOLE_FILE, 'is missing'));
    return undefined;
  }
  const text = readTextFile(path, file, '-', problems);
  if (text === undefined) return undefined;
  const parsed = parseYaml(text, file, '-', problems);
  if (!parsed.ok) return undefined;
  if (parsed.value === null || parsed.value === undefined) {
    problems.push(new ContentError(file, '-', WHOLE_FILE, 'is empty'));
    return undefined;
  }
  return parsed.value;
}

type Issue = z.ZodError['issues'][number];

/**
 * One schema failure as a problem naming the field in the clinician's terms. `input` is the value that was
 * validated; the first `entryDepth` steps of the issue's path lead to the entry (a rule inside a rule file) and
 * are left out of the field name.
 */
export function issueProblem(file: string, entry: string, issue: Issue, input: unknown, entryDepth = 0): ContentError {
  const path = issue.path.slice(entryDepth).map(String);
  if (issue.code === 'unrecognized_keys') {
    return new ContentError(file, entry, [...path, issue.keys.join(', ')].join('.'), 'is not a known field (check its spelling)');
  }
  const field = path.join('.') || WHOLE_FILE;
  const value = valueAt(input, issue.path);
  const options = issue.code === 'invalid_value' ? issue.values.map((v) => String(v)).join(', ') : undefined;
  if (path.length > 0 && value === undefined) {
    const expected = options !== undefined ? `one of ${options}` : issue.code === 'invalid_type' ? issue.expected : undefined;
    return new ContentError(file, entry, field, expected ? `is missing (expected ${expected})` : 'is missing');
  }
  // "title:" with nothing after it is YAML's null; "null should be a string" would puzzle a clinician.
  if (path.length > 0 && value === null) {
    return new ContentError(file, entry, field, options !== undefined ? `is empty (expected one of ${options})` : 'is empty');
  }
  // zod's own wording ("Invalid option", "expected boolean, received string") reads like a developer's; say what
  // was written and what is allowed.
  if (options !== undefined) return new ContentError(file, entry, field, `${JSON.stringify(value)} is not one of ${options}`);
  if (issue.code === 'invalid_type') {
    const wanted = issue.expected === 'boolean' ? 'true or false' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    return new ContentError(file, entry, field, `${JSON.stringify(value)} should be ${wanted}`);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (issue.origin === 'number' || issue.origin === 'int')) {
    const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
    return new ContentError(file, entry, field, `${JSON.stringify(value)} should be ${bound}`);
  }
  return new ContentError(file, entry, field, issue.message);
}

/** Turn schema failures on `input` into problems that name the field in the clinician's terms. */
export function schemaProblems(file: string, entry: string, error: z.ZodError, input: unknown): ContentError[] {
  return error.issues.map((issue) => issueProblem(file, entry, issue, input));
}
