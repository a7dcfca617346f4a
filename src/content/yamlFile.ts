import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
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
    // js-yaml rather than the `yaml` package: it parses our files about five times faster, and this runs at every
    // start. The core schema, as YAML 1.2: a date stays the text the clinician wrote.
    return { ok: true, value: yaml.load(text, { schema: yaml.CORE_SCHEMA }) as unknown };
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err;
    // The library's message carries a code excerpt; keep its reason and our own line number (its lines count from 0).
    const reason = err.reason || 'invalid YAML';
    const line = err.mark?.line === undefined ? undefined : err.mark.line + 1;
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

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Turn schema failures on `input` into problems that name the field in the clinician's terms. */
export function schemaProblems(file: string, entry: string, error: z.ZodError, input: unknown): ContentError[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const field = [...issue.path.map(String), issue.keys.join(', ')].join('.');
      return new ContentError(file, entry, field, 'is not a known field (check its spelling)');
    }
    const field = issue.path.map(String).join('.') || WHOLE_FILE;
    if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
      const expected =
        issue.code === 'invalid_value' ? `one of ${issue.values.map((v) => String(v)).join(', ')}`
        : issue.code === 'invalid_type' ? issue.expected
        : undefined;
      return new ContentError(file, entry, field, expected ? `is missing (expected ${expected})` : 'is missing');
    }
    return new ContentError(file, entry, field, issue.message);
  });
}
