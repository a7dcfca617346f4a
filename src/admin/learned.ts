import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { utteranceKey } from '../content/text.js';
import { INTENTS_DIR } from '../content/utterances.js';
import type { DocumentStore } from '../store/contract.js';

/**
 * Utterances staff taught in the console, as documents (`learned/<hash of the wording>`): they are trained on at
 * start-up and after each accepted change, on top of intents/. They never rewrite intents/ by themselves; an
 * operator copies them there with `npm run staff -- export-learned`, and once a wording is in intents/ the store's
 * copy is simply not trained twice (src/core/loadCore.ts mergeTraining).
 */

export const LEARNED_PREFIX = 'learned/';

export interface LearnedUtterance {
  text: string;
  intent: string;
  /** The staff account that taught it. */
  by: string;
  at: string;
  /** The inbox record it came from, if any. */
  recordId?: string;
}

export function learnedKey(text: string): string {
  return LEARNED_PREFIX + createHash('sha256').update(utteranceKey(text)).digest('base64url');
}

export class LearnedUtterances {
  constructor(private readonly documents: DocumentStore) {}

  async all(): Promise<LearnedUtterance[]> {
    const out: LearnedUtterance[] = [];
    let after: string | undefined;
    for (;;) {
      const keys = await this.documents.list(LEARNED_PREFIX, { limit: 500, ...(after ? { after } : {}) });
      if (keys.length === 0) break;
      const items = await this.documents.read(keys);
      for (const key of keys) {
        const item = items[key];
        if (item && typeof item.text === 'string' && typeof item.intent === 'string') {
          out.push({
            text: item.text,
            intent: item.intent,
            by: String(item.by ?? ''),
            at: String(item.at ?? ''),
            ...(typeof item.recordId === 'string' ? { recordId: item.recordId } : {}),
          });
        }
      }
      after = keys[keys.length - 1];
      if (keys.length < 500) break;
    }
    return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  async add(utterance: LearnedUtterance): Promise<void> {
    await this.documents.write({ [learnedKey(utterance.text)]: { ...utterance } });
  }

  async remove(text: string): Promise<boolean> {
    const key = learnedKey(text);
    if (!(await this.documents.read([key]))[key]) return false;
    await this.documents.delete([key]);
    return true;
  }
}

/** Per intent, as the model is trained on it. */
export function asTraining(learned: readonly LearnedUtterance[]): Map<string, string[]> {
  const byIntent = new Map<string, string[]>();
  for (const u of learned) byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), u.text]);
  return byIntent;
}

/**
 * Appends the learned utterances that intents/ lacks to intents/<intent>.txt, under a dated comment saying where
 * they came from. Returns what was written per file. Wordings intents/ already has (in any intent) are skipped.
 */
export function exportToIntents(root: string, learned: readonly LearnedUtterance[], today: string): { file: string; lines: number }[] {
  const dir = join(root, INTENTS_DIR);
  // Every wording in intents/, whatever its intent: one wording may teach only one intent (the content check).
  const present = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      const t = line.trim();
      if (t && !t.startsWith('#')) present.add(utteranceKey(t));
    }
  }
  const files = new Map(learned.map((u) => [u.intent, join(dir, `${u.intent}.txt`)] as const).filter(([, file]) => existsSync(file)));
  const written: { file: string; lines: number }[] = [];
  const byIntent = new Map<string, string[]>();
  for (const u of learned) {
    const key = utteranceKey(u.text);
    if (present.has(key) || !files.has(u.intent)) continue;
    present.add(key);
    byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), u.text.replace(/\s+/g, ' ').trim()]);
  }
  for (const [intent, lines] of byIntent) {
    const file = files.get(intent)!;
    const text = readFileSync(file, 'utf8');
    const lead = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    appendFileSync(file, `${lead}# taught in the staff console, exported ${today}\n${lines.join('\n')}\n`);
    written.push({ file: `${INTENTS_DIR}/${intent}.txt`, lines: lines.length });
  }
  return written;
}
