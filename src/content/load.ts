import type { Content } from '../core/types.js';
import { projectRoot } from '../paths.js';
import { readCatalog } from './catalog.js';
import { checkEntries } from './checks.js';
import { latestDateOnEarth } from './dates.js';
import { type ContentError, ContentErrors } from './errors.js';
import { readEntries } from './entries.js';
import { trainingHash } from './hash.js';
import { enabledPacks, selectPacks } from './packs.js';
import { readSources } from './sources.js';
import { readUtterances } from './utterances.js';

export interface LoadOptions {
  /** The date reviews may not be later than (YYYY-MM-DD); defaults to the latest date on Earth now. */
  today?: string;
  /**
   * The optional packs to turn on (CONTENT_PACKS, split on commas; ['none'] for none). Undefined: each pack's
   * `enabled` in data/catalog.yaml. Every pack is validated either way; only the packs that are on are returned.
   */
  packs?: readonly string[] | undefined;
}

/**
 * Read and validate the catalog, knowledge base, source registry and utterances under `root`. Runs at every
 * start-up, so it is synchronous and reads each file once. Every problem found is collected and thrown together
 * as one ContentErrors, each naming its file, entry and field.
 */
export function loadContent(root: string = projectRoot, options: LoadOptions = {}): Content {
  const problems: ContentError[] = [];
  const catalog = readCatalog(root, problems);
  const sources = readSources(root, problems);
  const entries = readEntries(root, catalog, problems);
  const { training, heldOut, whenOff, heldOutWhenOff } = readUtterances(root, catalog, problems);
  checkEntries(catalog, entries, sources, options.today ?? latestDateOnEarth(), problems);
  const on = enabledPacks(catalog.packs, options.packs, problems);
  if (problems.length > 0) throw new ContentErrors(problems);
  const selected = selectPacks({ catalog: catalog.intents, packs: catalog.packs, entries, training, heldOut, whenOff, heldOutWhenOff }, on);
  return { ...selected, sources: sources.sources, trainingHash: trainingHash(selected.training) };
}

/**
 * Only the clinician-approved part: catalog, knowledge base and sources, checked against each other. For tools
 * and tests that look at answers without needing the training utterances.
 */
export function loadKnowledgeBase(
  root: string = projectRoot,
  options: LoadOptions = {},
): Pick<Content, 'catalog' | 'entries' | 'sources' | 'packs' | 'topics'> {
  const problems: ContentError[] = [];
  const catalog = readCatalog(root, problems);
  const sources = readSources(root, problems);
  const entries = readEntries(root, catalog, problems);
  checkEntries(catalog, entries, sources, options.today ?? latestDateOnEarth(), problems);
  const on = enabledPacks(catalog.packs, options.packs, problems);
  if (problems.length > 0) throw new ContentErrors(problems);
  const selected = selectPacks({ catalog: catalog.intents, packs: catalog.packs, entries, training: new Map(), heldOut: new Map(), whenOff: new Map() }, on);
  return { catalog: selected.catalog, entries: selected.entries, sources: sources.sources, packs: selected.packs, topics: selected.topics };
}
