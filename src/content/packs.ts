import type { CatalogIntent, ContentPack, KbEntry, Topic } from '../core/types.js';
import { OUT_OF_SCOPE } from '../core/types.js';
import { CATALOG_FILE } from './catalog.js';
import { ContentError } from './errors.js';
import { FAQ_FOLLOW_UPS, MAX_CONVERSATION_FOLLOW_UPS } from './limits.js';

/**
 * Content packs: the clinic's own content is always on; an optional pack (everyday care, written from public
 * patient guidance) is on unless the clinic turns it off, with CONTENT_PACKS or `enabled` in data/catalog.yaml.
 * Everything past loading sees only the packs that are on: the answers, the model's training, the follow-ups
 * offered and the topics promised. So a pack that is off leaves no trace, and the bot answers as it did before.
 */

/** The CONTENT_PACKS value that turns every optional pack off. */
export const NO_OPTIONAL_PACKS = 'none';

/**
 * Which packs are on. `requested` is CONTENT_PACKS split on commas: the optional packs to turn on (`none`: no
 * optional pack), or undefined to take each pack's `enabled` in the catalog. Always-on packs are on either way.
 */
export function enabledPacks(packs: readonly ContentPack[], requested: readonly string[] | undefined, problems: ContentError[]): Set<string> {
  const on = new Set(packs.filter((p) => !p.optional).map((p) => p.id));
  if (requested === undefined) {
    for (const pack of packs) if (pack.enabled) on.add(pack.id);
    return on;
  }
  const names = requested.map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 1 && names[0] === NO_OPTIONAL_PACKS) return on;
  for (const name of names) {
    if (packs.some((p) => p.id === name)) on.add(name);
    else {
      const listed = packs.filter((p) => p.optional).map((p) => p.id);
      problems.push(
        new ContentError(
          CATALOG_FILE,
          name,
          'CONTENT_PACKS',
          `names "${name}", which is not a pack in this catalog; use ${[...listed, NO_OPTIONAL_PACKS].map((p) => `"${p}"`).join(' or ')}`,
        ),
      );
    }
  }
  return on;
}

export interface PackSelection {
  catalog: CatalogIntent[];
  packs: ContentPack[];
  topics: Topic[];
  entries: Map<string, KbEntry>;
  training: Map<string, string[]>;
  heldOut: Map<string, string[]>;
}

/**
 * The content with only the packs in `on`: their intents, answers, utterances and topics. Follow-ups into a pack
 * that is off are dropped (the entry lists them in front of its own, so with the pack off it offers what it
 * offered before), at most three are kept, and the when-off lines (training and held-out) of every pack that is off go
 * back to their intents.
 */
export function selectPacks(
  input: {
    catalog: readonly CatalogIntent[];
    packs: readonly ContentPack[];
    entries: ReadonlyMap<string, KbEntry>;
    training: ReadonlyMap<string, readonly string[]>;
    heldOut: ReadonlyMap<string, readonly string[]>;
    whenOff: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
    /** Held-out lines measured against an always-on intent only while their pack is off; none when absent. */
    heldOutWhenOff?: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  },
  on: ReadonlySet<string>,
): PackSelection {
  const catalog = input.catalog.filter((intent) => on.has(intent.pack));
  const kept = new Set([...catalog.map((intent) => intent.id), OUT_OF_SCOPE]);
  const packs = input.packs.map((pack) => ({ ...pack, enabled: on.has(pack.id) }));
  const topics = packs.filter((pack) => pack.enabled).flatMap((pack) => pack.topics);

  const entries = new Map<string, KbEntry>();
  for (const [id, entry] of input.entries) {
    if (!kept.has(id)) continue;
    const max = entry.kind === 'faq' ? FAQ_FOLLOW_UPS.max : MAX_CONVERSATION_FOLLOW_UPS;
    const followUps = entry.followUps.filter((f) => kept.has(f)).slice(0, max);
    entries.set(id, { ...entry, followUps, answer: fillTopics(entry.answer, topics) });
  }

  const training = new Map<string, string[]>();
  for (const [id, texts] of input.training) if (kept.has(id)) training.set(id, [...texts]);
  for (const [pack, byIntent] of input.whenOff) {
    if (on.has(pack)) continue;
    for (const [id, texts] of byIntent) training.get(id)?.push(...texts);
  }
  const heldOut = new Map<string, string[]>();
  for (const [id, texts] of input.heldOut) if (kept.has(id)) heldOut.set(id, [...texts]);
  for (const [pack, byIntent] of input.heldOutWhenOff ?? []) {
    if (on.has(pack)) continue;
    for (const [id, texts] of byIntent) {
      if (!kept.has(id)) continue;
      heldOut.set(id, [...(heldOut.get(id) ?? []), ...texts]);
    }
  }
  return { catalog, packs, topics, entries, training, heldOut };
}

/** `{topics}` in a conversation answer becomes the list of what the packs that are on cover, one line each. */
export function fillTopics(answer: string, topics: readonly Topic[]): string {
  if (!answer.includes('{topics}')) return answer;
  return answer.replaceAll('{topics}', topics.map((t) => `- ${t.label}`).join('\n'));
}

/** CONTENT_PACKS as the loader takes it: undefined when unset or empty, else the comma-separated names. */
export function parseContentPacks(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}
