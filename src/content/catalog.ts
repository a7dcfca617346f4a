import { join } from 'node:path';
import { z } from 'zod';
import { type CatalogIntent, type ContentPack, OUT_OF_SCOPE, SEE_A_DERMATOLOGIST } from '../core/types.js';
import { ContentError } from './errors.js';
import { ID_PATTERN } from './limits.js';
import type { Registry } from './registry.js';
import { readYamlFile, schemaProblems } from './yamlFile.js';

export const CATALOG_FILE = 'data/catalog.yaml';

const intentSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, 'must be lower-case words joined by hyphens, e.g. topical-steroids'),
    kind: z.enum(['faq', 'conversation']),
    /** The pack the intent belongs to; without one, the catalog's first pack (the clinic's own content). */
    pack: z.string().optional(),
  })
  .strict();

/** Teams shows a command's title in at most 32 characters and its description in 128. */
export const TOPIC_ASK_MAX = 32;
export const TOPIC_LABEL_MAX = 128;

const topicSchema = z
  .object({
    label: z.string().trim().min(1, 'must not be empty').max(TOPIC_LABEL_MAX, `must be at most ${TOPIC_LABEL_MAX} characters (Teams shows no more)`),
    ask: z.string().trim().min(1, 'must not be empty').max(TOPIC_ASK_MAX, `must be at most ${TOPIC_ASK_MAX} characters (a Teams command title)`),
    intents: z.array(z.string()).min(1, 'must name at least one intent that answers the topic'),
  })
  .strict();

const packSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, 'must be lower-case words joined by hyphens, e.g. everyday-care'),
    title: z.string().trim().min(1, 'must not be empty'),
    origin: z.enum(['clinic-article', 'public-guidance']),
    optional: z.boolean().default(false),
    enabled: z.boolean().default(true),
    topics: z.array(topicSchema).default([]),
  })
  .strict();

/** A catalog written before packs existed: everything is the clinic's own, always on, promising nothing extra. */
export const DEFAULT_PACK: ContentPack = {
  id: 'clinic-article',
  title: "The clinic's article",
  origin: 'clinic-article',
  optional: false,
  enabled: true,
  topics: [],
};

/** Curly quotes a word processor puts where straight ones were typed; YAML keeps them as part of the value. */
const CURLY_QUOTES = /[\u201c\u201d\u2018\u2019]/g;

const catalogSchema = z
  .object({ packs: z.array(z.unknown()).min(1, 'must list at least one pack').optional(), intents: z.array(z.unknown()).min(1, 'must list at least one intent') })
  .strict();

export interface Catalog extends Registry {
  intents: CatalogIntent[];
  /** Every pack the catalog defines, on or off; the first is the clinic's own content. */
  packs: ContentPack[];
}

/** The intent ids the rest of the content is checked against. Invalid lines are reported and left out. */
export function readCatalog(root: string, problems: ContentError[]): Catalog {
  const unreadable: Catalog = { intents: [], packs: [DEFAULT_PACK], readable: false, rejected: new Set() };
  const raw = readYamlFile(join(root, CATALOG_FILE), CATALOG_FILE, problems);
  if (raw === undefined) return unreadable;
  const top = catalogSchema.safeParse(raw);
  if (!top.success) {
    problems.push(...schemaProblems(CATALOG_FILE, '-', top.error, raw));
    return unreadable;
  }
  const rejectedPacks = new Set<string>();
  const packs = readPacks(top.data.packs, problems, rejectedPacks);
  const packIds = new Set(packs.map((p) => p.id));
  const firstPack = packs[0]!.id;
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
    const pack = parsed.data.pack ?? firstPack;
    if (!packIds.has(pack)) {
      // A pack reported invalid already: its intents are left out without a second line each.
      if (!rejectedPacks.has(pack)) problems.push(new ContentError(CATALOG_FILE, id, 'pack', `"${pack}" is not a pack listed under packs: (${[...packIds].join(', ')})`));
      rejected.add(id);
      return;
    }
    if (id === OUT_OF_SCOPE) {
      problems.push(
        new ContentError(CATALOG_FILE, id, 'id', `"${OUT_OF_SCOPE}" is the built-in label for declined questions; it has utterances but no catalog line`),
      );
    } else if (seen.has(id)) {
      problems.push(new ContentError(CATALOG_FILE, id, 'id', 'is listed more than once'));
    } else {
      seen.add(id);
      catalog.push({ id, kind, pack });
    }
  });
  requireVisitAdvice(catalog, rejected, problems, packs);
  checkTopics(packs, catalog, rejected, problems);
  return { intents: catalog, packs, readable: true, rejected };
}

/** The packs: the first holds the clinic's own content and is always on; later ones may be optional. */
function readPacks(raw: unknown[] | undefined, problems: ContentError[], rejected: Set<string>): ContentPack[] {
  if (raw === undefined) return [DEFAULT_PACK];
  const packs: ContentPack[] = [];
  raw.forEach((item, index) => {
    const label = typeof item === 'object' && item !== null && 'id' in item ? String(item.id) : `packs[${index}]`;
    const parsed = packSchema.safeParse(item);
    if (!parsed.success) {
      problems.push(...schemaProblems(CATALOG_FILE, label, parsed.error, item));
      rejected.add(label);
      return;
    }
    if (packs.some((p) => p.id === parsed.data.id)) {
      problems.push(new ContentError(CATALOG_FILE, parsed.data.id, 'id', 'is listed more than once under packs:'));
      return;
    }
    if (index === 0 && parsed.data.optional) {
      problems.push(new ContentError(CATALOG_FILE, parsed.data.id, 'optional', "the first pack is the clinic's own content and cannot be optional"));
    }
    if (!parsed.data.optional && !parsed.data.enabled) {
      problems.push(new ContentError(CATALOG_FILE, parsed.data.id, 'enabled', 'a pack that is not optional is always on; set optional: true to let a clinic turn it off'));
    }
    packs.push(parsed.data);
  });
  return packs.length > 0 ? packs : [DEFAULT_PACK];
}

/**
 * A topic is a promise the welcome, the demo page, the help answer and the Teams commands make. Each must be
 * answered by intents that are on whenever its pack is: its own pack's or the always-on packs'.
 */
function checkTopics(packs: readonly ContentPack[], catalog: readonly CatalogIntent[], rejected: ReadonlySet<string>, problems: ContentError[]): void {
  const packOf = new Map(catalog.map((intent) => [intent.id, intent.pack]));
  const alwaysOn = new Set(packs.filter((p) => !p.optional).map((p) => p.id));
  for (const pack of packs) {
    pack.topics.forEach((topic, index) => {
      for (const intent of topic.intents) {
        if (rejected.has(intent)) continue;
        const owner = packOf.get(intent);
        if (owner === undefined) {
          problems.push(new ContentError(CATALOG_FILE, pack.id, `topics[${index}].intents`, `"${intent}" is not an intent in this catalog`));
        } else if (owner !== pack.id && !alwaysOn.has(owner)) {
          problems.push(
            new ContentError(CATALOG_FILE, pack.id, `topics[${index}].intents`, `"${intent}" belongs to the optional pack "${owner}", which may be off when this topic is promised`),
          );
        }
      }
    });
  }
}

/**
 * The dermatologist rule answers an unsure, worrying question with this entry (core/answer.ts). Without it that
 * rule would stop without a word, so a catalog that drops it, or makes it an uncited conversation line, is refused.
 */
function requireVisitAdvice(catalog: readonly CatalogIntent[], rejected: ReadonlySet<string>, problems: ContentError[], packs: readonly ContentPack[]): void {
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
  } else if (packs.find((p) => p.id === line.pack)?.optional) {
    problems.push(new ContentError(CATALOG_FILE, SEE_A_DERMATOLOGIST, 'pack', 'must be in a pack that is always on: the dermatologist rule needs this answer in every clinic'));
  }
}
