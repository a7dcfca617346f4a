import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OUT_OF_SCOPE, type CatalogIntent, type ContentOrigin, type KbEntry } from '../core/types.js';
import type { Catalog } from './catalog.js';
import { ContentError, WHOLE_FILE } from './errors.js';
import { isReallyAbsent } from './registry.js';
import { readTextFile } from './textFile.js';
import { parseYaml, schemaProblems } from './yamlFile.js';

export const KB_DIR = 'data/kb';
export const FRONT_MATTER = '(front matter)';

/** An answer saved by a word processor or an editor that added its own extension: stress.md.txt, stress.txt. */
const SAVED_AS_OTHER_TYPE = /^[^.]+(?:\.md)?\.(?:txt|rtf|markdown|docx?)$/i;

export function entryFile(intent: string): string {
  return `${KB_DIR}/${intent}.md`;
}

const frontMatterSchema = z
  .object({
    intent: z.string().min(1, 'must not be empty'),
    title: z.string().trim().min(1, 'must not be empty'),
    sources: z.array(z.string()).default([]),
    followUps: z.array(z.string()).default([]),
    // What the answer covers (aspect ids of data/context.yaml); checked against that file at start-up.
    covers: z.array(z.string().min(1, 'must not be empty')).default([]),
    escalation: z.enum(['none', 'dermatologist', 'urgent']),
    // A real date check (no 30 February, not in the future) happens in the cross checks, which know today.
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. 2026-11-26'),
    // Must agree with the entry's pack (readEntry); absent means the pack's own origin.
    origin: z.enum(['clinic-article', 'public-guidance']).optional(),
  })
  .strict();

/**
 * Split a Markdown file into its leading `---` block and the body. Done by hand rather than with a front-matter
 * library: the format is one rule, and start-up should not depend on another package. `text` comes from
 * readTextFile (no byte order mark, plain line endings).
 */
function splitFrontMatter(text: string): { yaml: string; body: string } | undefined {
  const match = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n([\s\S]*))?$/.exec(text);
  if (!match) return undefined;
  return { yaml: match[1] ?? '', body: (match[2] ?? '').trim() };
}

function readEntry(root: string, file: string, fileIntent: string, kind: CatalogIntent['kind'], packOrigin: ContentOrigin, problems: ContentError[]): KbEntry | undefined {
  const text = readTextFile(join(root, file), file, fileIntent, problems);
  if (text === undefined) return undefined;
  const split = splitFrontMatter(text);
  if (!split) {
    problems.push(
      new ContentError(file, fileIntent, FRONT_MATTER, 'the file must start with a line "---", the fields, and a closing line "---" before the answer'),
    );
    return undefined;
  }
  // +1: the opening "---" line comes before the YAML the parser sees.
  const parsed = parseYaml(split.yaml, file, fileIntent, problems, 1);
  if (!parsed.ok) return undefined;
  const fields = frontMatterSchema.safeParse(parsed.value ?? {});
  if (!fields.success) {
    problems.push(...schemaProblems(file, fileIntent, fields.error, parsed.value));
    return undefined;
  }
  const { origin, ...rest } = fields.data;
  if (origin !== undefined && origin !== packOrigin) {
    problems.push(new ContentError(file, fileIntent, 'origin', `is "${origin}" but the entry's pack holds ${packOrigin} content; move the entry to a pack of that origin or correct the field`));
  } else if (origin === undefined && packOrigin !== 'clinic-article') {
    problems.push(new ContentError(file, fileIntent, 'origin', `is missing: an entry that is not from the clinic's article says where it comes from (origin: ${packOrigin})`));
  }
  return { ...rest, kind, origin: origin ?? packOrigin, answer: split.body, file };
}

/**
 * One entry per catalog intent, read from data/kb/<intent>.md. Missing, unparsable and unknown files are
 * reported; the entries that parse are returned so the cross checks can report everything else in the same pass.
 */
export function readEntries(root: string, catalog: Catalog, problems: ContentError[]): Map<string, KbEntry> {
  const entries = new Map<string, KbEntry>();
  const dir = join(root, KB_DIR);
  const all = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort() : [];
  const files = all.filter((name) => name.endsWith('.md'));
  // Windows hides known extensions, so "stress.md" saved by Notepad is really "stress.md.txt"; say so rather than
  // only "stress.md is missing". Backups (stress.md~, stress.md.bak), system files and folders are left alone.
  const misnamed = new Set<string>();
  for (const name of all.filter((n) => SAVED_AS_OTHER_TYPE.test(n))) {
    const id = name.replace(/\..*$/, '');
    if (files.includes(`${id}.md`)) continue;
    misnamed.add(id);
    problems.push(new ContentError(`${KB_DIR}/${name}`, id, WHOLE_FILE, `is not read: answer files must end in .md; rename it to ${id}.md`));
  }
  const known = new Set(catalog.intents.map((intent) => intent.id));
  for (const name of files) {
    const id = name.slice(0, -'.md'.length);
    if (id === OUT_OF_SCOPE) {
      problems.push(new ContentError(entryFile(id), id, WHOLE_FILE, 'out-of-scope questions are declined, never answered, so they have no answer file; delete it'));
    } else if (!known.has(id) && isReallyAbsent(catalog, id)) {
      problems.push(new ContentError(entryFile(id), id, WHOLE_FILE, `no intent "${id}" in data/catalog.yaml: add it there or rename the file`));
    }
  }
  for (const intent of catalog.intents) {
    const file = entryFile(intent.id);
    if (!files.includes(`${intent.id}.md`)) {
      if (misnamed.has(intent.id)) continue;
      problems.push(new ContentError(file, intent.id, WHOLE_FILE, 'is missing: every catalog intent needs a knowledge-base entry'));
      continue;
    }
    const origin = catalog.packs.find((p) => p.id === intent.pack)?.origin ?? 'clinic-article';
    const entry = readEntry(root, file, intent.id, intent.kind, origin, problems);
    if (entry) entries.set(intent.id, entry);
  }
  return entries;
}
