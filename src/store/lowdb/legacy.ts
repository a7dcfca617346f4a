import { CONVERSATION_STATE_PREFIX } from '../contract.js';

/**
 * The version-1 database: one lowdb JSON file holding every conversation's state and every record, rewritten
 * whole on each save. Read once, on the first start with the journal, and carried over entry by entry.
 */

/** The kinds the version-1 file had. */
const V1_KINDS = ['feedback', 'unanswered', 'escalations', 'handoffs'] as const;

export interface CarriedDocument {
  key: string;
  eTag: string;
  /** When it was last written (ms). */
  writtenAt: number;
  value: Record<string, unknown>;
}

export interface CarriedRecord {
  kind: (typeof V1_KINDS)[number];
  at: string;
  fields: Record<string, unknown>;
}

export interface CarriedOver {
  documents: CarriedDocument[];
  records: CarriedRecord[];
  /** Entries that were not objects of the expected shape (they stay in the backup). */
  dropped: number;
  /** Records and states whose date could not be read: kept, dated to the carry-over, and reported. */
  undated: number;
  /** Record kinds this version does not know, kept only in the backup. */
  unknownKinds: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the parsed file says it is a version-1 database (its content may still be damaged). */
export function looksLikeVersion1(parsed: unknown): boolean {
  return isObject(parsed) && parsed.version === 1 && ('state' in parsed || 'records' in parsed);
}

/**
 * The entries of a version-1 file, or the reason the file as a whole cannot be read as one (then it is moved
 * aside like any other unreadable file). `now` dates the entries whose own date is unreadable.
 */
export function readVersion1(parsed: unknown, now: Date): { ok: true; data: CarriedOver } | { ok: false; problem: string } {
  if (!isObject(parsed) || parsed.version !== 1) return { ok: false, problem: 'not a database written by this bot' };
  if (!isObject(parsed.state)) return { ok: false, problem: `"state" is ${describe(parsed.state)}, not an object of conversations` };
  if (!isObject(parsed.records)) return { ok: false, problem: `"records" is ${describe(parsed.records)}, not an object of record lists` };
  const records = parsed.records;
  for (const kind of V1_KINDS) {
    if (!Array.isArray(records[kind])) return { ok: false, problem: `"records.${kind}" is ${describe(records[kind])}, not a list` };
  }
  const data: CarriedOver = { documents: [], records: [], dropped: 0, undated: 0, unknownKinds: Object.keys(records).filter((k) => !(V1_KINDS as readonly string[]).includes(k)) };

  for (const [key, entry] of Object.entries(parsed.state)) {
    if (!isObject(entry) || !isObject(entry.data) || typeof entry.eTag !== 'string') {
      data.dropped += 1;
      continue;
    }
    let writtenAt = typeof entry.updatedAt === 'string' ? Date.parse(entry.updatedAt) : Number.NaN;
    if (Number.isNaN(writtenAt)) {
      writtenAt = now.getTime();
      data.undated += 1;
    }
    data.documents.push({ key: CONVERSATION_STATE_PREFIX + key, eTag: entry.eTag, writtenAt, value: entry.data });
  }
  for (const kind of V1_KINDS) {
    for (const entry of records[kind] as unknown[]) {
      if (!isObject(entry)) {
        data.dropped += 1;
        continue;
      }
      const { at, ...fields } = entry;
      const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
      if (Number.isNaN(time)) {
        // Kept, not deleted as past retention: dated to today, with what the file said beside it.
        data.undated += 1;
        data.records.push({ kind, at: now.toISOString(), fields: { ...fields, unreadableAt: at === undefined ? null : String(at) } });
      } else data.records.push({ kind, at: new Date(time).toISOString(), fields });
    }
  }
  // Oldest first, so the journal holds them in time order, as if they had been written as they happened.
  data.documents.sort((a, b) => a.writtenAt - b.writtenAt);
  data.records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { ok: true, data };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
