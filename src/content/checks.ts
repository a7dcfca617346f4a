import type { KbEntry } from '../core/types.js';
import type { Catalog } from './catalog.js';
import { closest } from './closest.js';
import { isCalendarDate } from './dates.js';
import { ContentError } from './errors.js';
import { FAQ_FOLLOW_UPS, MAX_ANSWER_WORDS, MAX_CONVERSATION_FOLLOW_UPS } from './limits.js';
import { isPlaceholder, PLACEHOLDERS, placeholdersIn } from './placeholders.js';
import { isReallyAbsent } from './registry.js';
import type { SourceRegistry } from './sources.js';
import { wordCount } from './text.js';

/** Checks that need more than one file: sources exist, follow-ups point somewhere, dates and lengths are sane. */
export function checkEntries(
  catalog: Catalog,
  entries: ReadonlyMap<string, KbEntry>,
  registry: SourceRegistry,
  today: string,
  problems: ContentError[],
): void {
  const known = new Set(catalog.intents.map((intent) => intent.id));
  const packOf = new Map(catalog.intents.map((intent) => [intent.id, intent.pack]));
  const alwaysOn = new Set(catalog.packs.filter((p) => !p.optional).map((p) => p.id));
  for (const [fileIntent, entry] of entries) {
    const problem = (field: string, text: string): void => {
      problems.push(new ContentError(entry.file, fileIntent, field, text));
    };

    if (entry.intent !== fileIntent) {
      problem('intent', `says "${entry.intent}" but the file is named ${fileIntent}.md; the two must match`);
    }

    if (entry.kind === 'faq' && entry.sources.length === 0) {
      problem('sources', 'a FAQ answer needs at least one source from data/sources.yaml');
    }
    for (const id of entry.sources) {
      if (!registry.sources.has(id) && isReallyAbsent(registry, id)) problem('sources', `"${id}" is not in data/sources.yaml${didYouMean(id, registry.sources.keys())}`);
    }
    if (new Set(entry.sources).size !== entry.sources.length) problem('sources', 'lists a source twice');
    if (entry.origin === 'public-guidance') {
      for (const id of entry.sources) {
        const source = registry.sources.get(id);
        if (!source) continue;
        if (id.startsWith('article-')) problem('sources', `"${id}" is a section of the clinic's article; public-guidance answers cite the public pages they were written from`);
        else if (source.url === undefined) problem('sources', `"${id}" has no url in data/sources.yaml; public-guidance answers cite pages a clinician can open and check`);
      }
    }

    for (const id of entry.followUps) {
      if (id === fileIntent) problem('followUps', 'an entry cannot offer itself as a follow-up');
      else if (!known.has(id) && isReallyAbsent(catalog, id)) problem('followUps', `"${id}" is not an intent in data/catalog.yaml${didYouMean(id, known)}`);
    }
    if (new Set(entry.followUps).size !== entry.followUps.length) problem('followUps', 'lists an intent twice');
    // Follow-ups into another optional pack are extra: shown only while that pack is on, so the entry must offer
    // enough without them. The ones counted are those on whenever the entry itself is.
    const ownPack = packOf.get(fileIntent);
    const steady = entry.followUps.filter((id) => !known.has(id) || packOf.get(id) === ownPack || alwaysOn.has(packOf.get(id) ?? ''));
    const n = steady.length;
    if (entry.kind === 'faq' && (n < FAQ_FOLLOW_UPS.min || n > FAQ_FOLLOW_UPS.max)) {
      problem('followUps', `has ${n}; a FAQ answer offers ${FAQ_FOLLOW_UPS.min} to ${FAQ_FOLLOW_UPS.max} follow-up questions`);
    }
    if (entry.kind === 'conversation' && n > MAX_CONVERSATION_FOLLOW_UPS) {
      problem('followUps', `has ${n}; offer at most ${MAX_CONVERSATION_FOLLOW_UPS}`);
    }
    if (entry.followUps.length > 2 * FAQ_FOLLOW_UPS.max) {
      problem('followUps', `lists ${entry.followUps.length}; at most ${FAQ_FOLLOW_UPS.max} are shown, so list no more than ${2 * FAQ_FOLLOW_UPS.max} with those of optional packs`);
    }

    if (!isCalendarDate(entry.reviewed)) problem('reviewed', `${entry.reviewed} is not a real calendar date`);
    else if (entry.reviewed > today) problem('reviewed', `${entry.reviewed} is in the future`);

    const unfinished = unfinishedMarker(`${entry.title}\n${entry.answer}`);
    if (unfinished) problem('answer', `contains "${unfinished}", which looks like a note for the writer; patients would read it as written`);

    const words = wordCount(entry.answer);
    if (words === 0) problem('answer', 'is empty: write the answer below the closing "---"');
    else if (words > MAX_ANSWER_WORDS) problem('answer', `has ${words} words; the limit is ${MAX_ANSWER_WORDS}`);

    const used = placeholdersIn(`${entry.title}\n${entry.answer}`);
    if (entry.kind === 'faq' && used.length > 0) {
      problem('answer', `{${used[0]}}: placeholders are only for conversation answers`);
    }
    for (const name of used.filter((p) => !isPlaceholder(p))) {
      problem('answer', `{${name}} is not a known placeholder (use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
    }
  }
}

/** Notes writers leave in a draft ("TODO", "TBD", lorem ipsum), which would otherwise be shown to patients. */
function unfinishedMarker(text: string): string | undefined {
  return /\b(?:TODO|TBD|FIXME|XXX)\b|\blorem ipsum\b/i.exec(text)?.[0];
}

function didYouMean(id: string, ids: Iterable<string>): string {
  const guess = closest(id, ids);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
