import type { Content } from '../core/types.js';
import { projectRoot } from '../paths.js';
import { readCatalog } from './catalog.js';
import { checkEntries } from './checks.js';
import { latestDateOnEarth } from './dates.js';
import { type ContentError, ContentErrors } from './errors.js';
import { readEntries } from './entries.js';
import { trainingHash } from './hash.js';
import { readSources } from './sources.js';
import { readUtterances } from './utterances.js';

export interface LoadOptions {
  /** The date reviews may not be later than (YYYY-MM-DD); defaults to the latest date on Earth now. */
  today?: string;
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
  const { training, heldOut } = readUtterances(root, catalog, problems);
  checkEntries(catalog, entries, sources, options.today ?? latestDateOnEarth(), problems);
  if (problems.length > 0) throw new ContentErrors(problems);
  return { catalog: catalog.intents, entries, sources: sources.sources, training, heldOut, trainingHash: trainingHash(training) };
}

/**
 * Only the clinician-approved part: catalog, knowledge base and sources, checked against each other. For tools
 * and tests that look at answers without needing the training utterances.
 */
export function loadKnowledgeBase(root: string = projectRoot, options: LoadOptions = {}): Pick<Content, 'catalog' | 'entries' | 'sources'> {
  const problems: ContentError[] = [];
  const catalog = readCatalog(root, problems);
  const sources = readSources(root, problems);
  const entries = readEntries(root, catalog, problems);
  checkEntries(catalog, entries, sources, options.today ?? latestDateOnEarth(), problems);
  if (problems.length > 0) throw new ContentErrors(problems);
  return { catalog: catalog.intents, entries, sources: sources.sources };
}
