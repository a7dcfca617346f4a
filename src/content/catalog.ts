import { join } from 'node:path';
import { z } from 'zod';
import { type CatalogIntent, OUT_OF_SCOPE, SEE_A_DERMATOLOGIST } from '../core/types.js';
import { ContentError } from './errors.js';
import { ID_PATTERN } from './limits.js';
import type { Registry } from './registry.js';
import { readYamlFile, schemaProblems } from './yamlFile.js';

export const CATALOG_FILE = 'data/catalog.yaml';

const intentSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, 'must be lower-case words joined by hyphens, e.g. topical-steroids'),
    kind: z.enum(['faq', 'conversation']),
  })
  .strict();

/** Curly quotes a word processor puts where straight ones were typed; YAML keeps them as part of the value. */
const CURLY_QUOTES = /[\u201c\u201d\u2018\u2019]/g;

const catalogSchema = z.object({ intents: z.array(z.unknown()).min(1, 'must list at least one intent') }).strict();

export interface Catalog extends Registry {
  intents: CatalogIntent[];
}

/** The intent ids the rest of the content is checked against. Invalid lines are reported and left out. */
export function readCatalog(root: string, problems: ContentError[]): Catalog {
  const unreadable: Catalog = { intents: [], readable: false, rejected: new Set() };
  const raw = readYamlFile(join(root, CATALOG_FILE), CATALOG_FILE, problems);
  if (raw === undefined) return unreadable;
  const top = catalogSchema.safeParse(raw);
  if (!top.success) {
    problems.push(...schemaProblems(CATALOG_FILE, '-', top.error, raw));
    return unreadable;
  }
  const catalog: CatalogIntent[] = [];
  const rejected = new Set<string>();
  const seen = new Set<string>();
  top.data.intents.forEach((item, index) => {
    const label = typeof item === 'object' && item !== null && 'id' in item ? String(item.id) : `intents[${index}]`;
    const parsed = intentSchema.safeParse(item);
    if (!parsed.success) {
      // A word processor turns quotes into curly ones, which YAML keeps as part of the id: say so, and keep the
      // files named after the id it was meant to be from being reported again.
      const unquoted = label.replace(CURLY_QUOTES, '');
      if (unquoted !== label) problems.push(new ContentError(CATALOG_FILE, label, 'id', 'has curly quotes (“ ” or ‘ ’), which a word processor adds; remove them or use straight quotes'));
      else problems.push(...schemaProblems(CATALOG_FILE, label, parsed.error, item));
      rejected.add(unquoted);
      return;
    }
    const { id, kind } = parsed.data;
    if (id === OUT_OF_SCOPE) {
      problems.push(
        new ContentError(CATALOG_FILE, id, 'id', `"${OUT_OF_SCOPE}" is the built-in label for declined questions; it has utterances but no catalog line`),
      );
    } else if (seen.has(id)) {
      problems.push(new ContentError(CATALOG_FILE, id, 'id', 'is listed more than once'));
    } else {
      seen.add(id);
      catalog.push({ id, kind });
    }
  });
  requireVisitAdvice(catalog, rejected, problems);
  return { intents: catalog, readable: true, rejected };
}

/**
 * The dermatologist rule answers an unsure, worrying question with this entry (core/answer.ts). Without it that
 * rule would stop without a word, so a catalog that drops it, or makes it an uncited conversation line, is refused.
 */
function requireVisitAdvice(catalog: readonly CatalogIntent[], rejected: ReadonlySet<string>, problems: ContentError[]): void {
  if (rejected.has(SEE_A_DERMATOLOGIST)) return;
  const line = catalog.find((intent) => intent.id === SEE_A_DERMATOLOGIST);
  if (!line) {
    problems.push(
      new ContentError(
        CATALOG_FILE,
        SEE_A_DERMATOLOGIST,
        'id',
        'is required: the bot gives this answer when a question sounds like moderate-to-severe or uncontrolled eczema but it is unsure what was asked; change its wording in data/kb/see-a-dermatologist.md instead of removing it',
      ),
    );
  } else if (line.kind !== 'faq') {
    problems.push(new ContentError(CATALOG_FILE, SEE_A_DERMATOLOGIST, 'kind', 'must be faq: this answer is cited like every medical answer'));
  }
}
