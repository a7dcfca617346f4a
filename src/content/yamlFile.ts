import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { ContentError } from './errors.js';

/** Field name used when a problem concerns a whole file rather than one of its fields. */
export const WHOLE_FILE = '(file)';

/** Parse YAML text; syntax errors become one readable ContentError with the line in the clinician's file. */
export function parseYaml(
  text: string,
  file: string,
  entry: string,
  problems: ContentError[],
  lineOffset = 0,
): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: YAML.parse(text) as unknown };
  } catch (err) {
    if (!(err instanceof YAML.YAMLParseError)) throw err;
    // The library's message carries a multi-line code excerpt; keep its first sentence and our own line number.
    const reason = (err.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
    const line = err.linePos?.[0]?.line;
    const where = line === undefined ? '' : ` (line ${line + lineOffset})`;
    problems.push(new ContentError(file, entry, WHOLE_FILE, `is not valid YAML: ${reason}${where}`));
    return { ok: false };
  }
}

/** Read and parse a YAML file under the project root; a missing file is reported, not thrown. */
export function readYamlFile(root: string, file: string, problems: ContentError[]): unknown {
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push(new ContentError(file, '-', WHOLE_FILE, 'is missing'));
    return undefined;
  }
  const parsed = parseYaml(readFileSync(path, 'utf8'), file, '-', problems);
  if (!parsed.ok) return undefined;
  if (parsed.value === null || parsed.value === undefined) {
    problems.push(new ContentError(file, '-', WHOLE_FILE, 'is empty'));
    return undefined;
  }
  return parsed.value;
}

/** Turn schema failures into problems that name the field in the clinician's terms. */
export function schemaProblems(file: string, entry: string, error: z.ZodError, fieldPrefix = ''): ContentError[] {
  return error.issues.map((issue) => {
    const path = [fieldPrefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      const field = [fieldPrefix, issue.keys.join(', ')].filter((p) => p !== '').join('.');
      return new ContentError(file, entry, field, 'is not a known field (check its spelling)');
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return new ContentError(file, entry, path || WHOLE_FILE, `is missing (expected ${issue.expected})`);
    }
    return new ContentError(file, entry, path || WHOLE_FILE, issue.message);
  });
}
