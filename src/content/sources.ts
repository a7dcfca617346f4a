import { join } from 'node:path';
import { z } from 'zod';
import type { Source } from '../core/types.js';
import { ContentError, WHOLE_FILE } from './errors.js';
import { ID_PATTERN } from './limits.js';
import type { Registry } from './registry.js';
import { normaliseForMatch } from './text.js';
import { readYamlFile, schemaProblems } from './yamlFile.js';

export const SOURCES_FILE = 'data/sources.yaml';

const sourceSchema = z
  .object({
    title: z.string().trim().min(1, 'must not be empty'),
    citation: z.string().trim().min(1, 'must not be empty'),
    url: z.url({ protocol: /^https?$/, error: 'must be a full web address starting with https://' }).optional(),
    terms: z.array(z.string().trim().min(1, 'must not be empty')),
  })
  .strict();

export interface SourceRegistry extends Registry {
  sources: Map<string, Source>;
}

/** The source registry: id → source. Invalid sources are reported and left out. */
export function readSources(root: string, problems: ContentError[]): SourceRegistry {
  const sources = new Map<string, Source>();
  const rejected = new Set<string>();
  const raw = readYamlFile(join(root, SOURCES_FILE), SOURCES_FILE, problems);
  if (raw === undefined) return { sources, readable: false, rejected };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(new ContentError(SOURCES_FILE, '-', WHOLE_FILE, 'must map each source id to its title, citation, url and terms'));
    return { sources, readable: false, rejected };
  }
  for (const [id, value] of Object.entries(raw)) {
    if (!ID_PATTERN.test(id)) {
      problems.push(new ContentError(SOURCES_FILE, id, 'id', 'must be lower-case words joined by hyphens, e.g. article-treatments'));
      rejected.add(id);
      continue;
    }
    const parsed = sourceSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...schemaProblems(SOURCES_FILE, id, parsed.error, value));
      rejected.add(id);
      continue;
    }
    const seenTerms = new Set<string>();
    for (const term of parsed.data.terms) {
      const key = normaliseForMatch(term);
      if (seenTerms.has(key)) problems.push(new ContentError(SOURCES_FILE, id, 'terms', `lists "${term}" twice`));
      seenTerms.add(key);
    }
    const { title, citation, url, terms } = parsed.data;
    sources.set(id, { id, title, citation, ...(url === undefined ? {} : { url }), terms });
  }
  return { sources, readable: true, rejected };
}
