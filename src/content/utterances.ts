import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CatalogIntent, OUT_OF_SCOPE } from '../core/types.js';
import type { Catalog } from './catalog.js';
import { closest } from './closest.js';
import { ContentError, WHOLE_FILE } from './errors.js';
import { MIN_TRAINING_UTTERANCES } from './limits.js';
import { isReallyAbsent, type Registry } from './registry.js';
import { utteranceKey } from './text.js';
import { readTextFile } from './textFile.js';

export const INTENTS_DIR = 'intents';
export const HELD_OUT_DIR = 'intents/held-out';
/**
 * `intents/when-off/<pack>/<intent>.txt`: wordings that teach `<intent>` only while the optional `<pack>` is off.
 * A pack takes over questions the clinic's article used to decline or answer loosely; with the pack off they go
 * back where they were, so the bot answers exactly as it did before the pack existed.
 */
export const WHEN_OFF_DIR = 'intents/when-off';
/**
 * `intents/held-out/when-off/<pack>/<intent>.txt`: held-out wordings measured against `<intent>` only while `<pack>`
 * is off (with it on they ask what the pack answers, and are measured in the pack's own held-out files).
 */
export const HELD_OUT_WHEN_OFF_DIR = 'intents/held-out/when-off';

export interface Utterance {
  text: string;
  /** 1-based line in its file, for error messages. */
  line: number;
}

/**
 * One utterance per line; blank lines and `#` comments are for the writers, not the model. `text` comes from
 * readTextFile, which has already dropped a byte order mark and Windows line endings.
 */
export function parseUtterances(text: string): Utterance[] {
  const out: Utterance[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    out.push({ text: line, line: index + 1 });
  });
  return out;
}

/** Reads `dir`'s utterance files; ids whose file could not be read (reported already) are added to `unreadable`. */
function readFolder(
  root: string,
  dir: string,
  ids: readonly string[],
  catalog: Registry,
  problems: ContentError[],
  unreadable: Set<string>,
): Map<string, Utterance[]> {
  const found = new Map<string, Utterance[]>();
  const path = join(root, dir);
  if (!existsSync(path)) return found;
  const known = new Set(ids);
  for (const name of readdirSync(path).filter((n) => n.endsWith('.txt')).sort()) {
    const id = name.slice(0, -'.txt'.length);
    if (!known.has(id)) {
      if (!isReallyAbsent(catalog, id)) continue;
      const guess = closest(id, ids);
      const hint = guess ? ` (did you mean "${guess}.txt"?)` : '';
      problems.push(new ContentError(`${dir}/${name}`, id, WHOLE_FILE, `no intent "${id}" in data/catalog.yaml${hint}`));
      continue;
    }
    const text = readTextFile(join(path, name), `${dir}/${name}`, id, problems);
    if (text !== undefined) found.set(id, parseUtterances(text));
    else unreadable.add(id);
  }
  return found;
}

interface Seen {
  intent: string;
  file: string;
  line: number;
  heldOut: boolean;
}

/**
 * An utterance may teach only one intent, and a held-out line must be new to the model, or the evaluation
 * measures memory instead of understanding.
 */
function checkDuplicates(
  training: Map<string, Utterance[]>,
  heldOut: Map<string, Utterance[]>,
  problems: ContentError[],
): void {
  const seen = new Map<string, Seen>();
  const visit = (intents: Map<string, Utterance[]>, dir: string, isHeldOut: boolean): void => {
    for (const [intent, utterances] of [...intents].sort(([a], [b]) => a.localeCompare(b))) {
      const file = `${dir}/${intent}.txt`;
      for (const { text, line } of utterances) {
        const key = utteranceKey(text);
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { intent, file, line, heldOut: isHeldOut });
          continue;
        }
        let problem: string;
        if (first.file === file) problem = `"${text}" repeats line ${first.line} of the same file`;
        else if (first.intent !== intent) problem = `"${text}" is also an utterance of "${first.intent}" (${first.file} line ${first.line}); one wording can teach only one intent`;
        else problem = `"${text}" is also a training line (${first.file} line ${first.line}); held-out lines must be new to the model`;
        problems.push(new ContentError(file, intent, `line ${line}`, problem));
      }
    }
  };
  visit(training, INTENTS_DIR, false);
  visit(heldOut, HELD_OUT_DIR, true);
}

function minimumFor(id: string, kindOf: ReadonlyMap<string, CatalogIntent['kind']>): { count: number; what: string } {
  if (id === OUT_OF_SCOPE) return { count: MIN_TRAINING_UTTERANCES.outOfScope, what: 'the out-of-scope examples' };
  return kindOf.get(id) === 'faq'
    ? { count: MIN_TRAINING_UTTERANCES.faq, what: 'a FAQ intent' }
    : { count: MIN_TRAINING_UTTERANCES.conversation, what: 'a conversation intent' };
}

/**
 * Training and held-out utterances for every catalog intent plus out-of-scope. Held-out files are optional;
 * training files are required and must meet the minimum counts.
 */
export function readUtterances(
  root: string,
  catalog: Catalog,
  problems: ContentError[],
): {
  training: Map<string, string[]>;
  heldOut: Map<string, string[]>;
  whenOff: Map<string, Map<string, string[]>>;
  heldOutWhenOff: Map<string, Map<string, string[]>>;
} {
  const ids = [...catalog.intents.map((intent) => intent.id), OUT_OF_SCOPE];
  const kindOf = new Map(catalog.intents.map((intent) => [intent.id, intent.kind]));
  const unreadable = new Set<string>();
  const training = readFolder(root, INTENTS_DIR, ids, catalog, problems, unreadable);
  const heldOut = readFolder(root, HELD_OUT_DIR, ids, catalog, problems, new Set());

  for (const id of ids) {
    if (unreadable.has(id)) continue;
    const file = `${INTENTS_DIR}/${id}.txt`;
    const lines = training.get(id);
    const { count, what } = minimumFor(id, kindOf);
    if (!lines) {
      problems.push(new ContentError(file, id, WHOLE_FILE, `is missing: ${what} needs at least ${count} training utterances`));
    } else if (lines.length < count) {
      problems.push(new ContentError(file, id, 'utterances', `has ${lines.length} training utterances; ${what} needs at least ${count}`));
    }
  }
  checkDuplicates(training, heldOut, problems);
  const whenOff = readWhenOff(root, WHEN_OFF_DIR, catalog, [...training, ...heldOut], new Map(), problems);
  // Held-out when-off lines are measured while the training when-off lines are learnt, so they must be new to both.
  const heldOutWhenOff = readWhenOff(root, HELD_OUT_WHEN_OFF_DIR, catalog, [...training, ...heldOut], whenOff, problems);

  const texts = (m: Map<string, Utterance[]>): Map<string, string[]> =>
    new Map([...m].map(([id, utterances]) => [id, utterances.map((u) => u.text)]));
  const perPack = (m: Map<string, Map<string, Utterance[]>>): Map<string, Map<string, string[]>> =>
    new Map([...m].map(([pack, byIntent]) => [pack, texts(byIntent)]));
  return { training: texts(training), heldOut: texts(heldOut), whenOff: perPack(whenOff), heldOutWhenOff: perPack(heldOutWhenOff) };
}

/**
 * The when-off folders (`dir` is WHEN_OFF_DIR or HELD_OUT_WHEN_OFF_DIR), per optional pack. Their lines go to
 * intents that stay on when the pack is off (the always-on packs' intents or out-of-scope), and must not repeat a
 * line those intents already learn or are measured on, nor a line of `earlier` (the same pack's training when-off
 * lines, when reading the held-out ones).
 */
function readWhenOff(
  root: string,
  dir: string,
  catalog: Catalog,
  utterances: [string, Utterance[]][],
  earlier: Map<string, Map<string, Utterance[]>>,
  problems: ContentError[],
): Map<string, Map<string, Utterance[]>> {
  const result = new Map<string, Map<string, Utterance[]>>();
  const path = join(root, dir);
  if (!existsSync(path)) return result;
  const optional = new Set(catalog.packs.filter((p) => p.optional).map((p) => p.id));
  const alwaysOn = new Set(catalog.packs.filter((p) => !p.optional).map((p) => p.id));
  const stays = [...catalog.intents.filter((i) => alwaysOn.has(i.pack)).map((i) => i.id), OUT_OF_SCOPE];
  for (const pack of readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const packDir = `${dir}/${pack}`;
    if (!optional.has(pack)) {
      problems.push(new ContentError(packDir, pack, WHOLE_FILE, `no optional pack "${pack}" in data/catalog.yaml: these lines would never be used`));
      continue;
    }
    const found = readFolder(root, packDir, stays, catalog, problems, new Set());
    // The same line may also be in the pack's own files (it moved there): the two are never trained together.
    const seen = new Map<string, string>();
    for (const [intent, lines] of utterances) {
      if (catalog.intents.find((i) => i.id === intent)?.pack === pack) continue;
      for (const { text } of lines) seen.set(utteranceKey(text), intent);
    }
    const before = new Map<string, string>();
    for (const [intent, lines] of earlier.get(pack) ?? []) for (const { text } of lines) before.set(utteranceKey(text), intent);
    for (const [intent, lines] of found) {
      for (const { text, line } of lines) {
        const key = utteranceKey(text);
        const first = seen.get(key);
        const taught = before.get(key);
        if (first !== undefined) {
          problems.push(new ContentError(`${packDir}/${intent}.txt`, intent, `line ${line}`, `"${text}" is already an utterance of "${first}" whether or not the pack is on`));
        } else if (taught !== undefined) {
          problems.push(new ContentError(`${packDir}/${intent}.txt`, intent, `line ${line}`, `"${text}" is also a training line of "${taught}" while the pack is off (${WHEN_OFF_DIR}/${pack}/${taught}.txt); held-out lines must be new to the model`));
        }
        seen.set(key, intent);
      }
    }
    result.set(pack, found);
  }
  return result;
}
