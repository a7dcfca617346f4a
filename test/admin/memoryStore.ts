import { ETagConflictError, type BotStore, type RecordKind, type RecordQuery, type StoreItems, type StoredRecord } from '../../src/store/contract.js';

/**
 * The storage contract in memory, for the console's unit tests: plain semantics, no durability. The console is
 * also tested on the real embedded store (see console.test.ts); this one only keeps the unit tests fast.
 */
export function memoryStore(now: () => Date = () => new Date()): BotStore & { records: { all(): StoredRecord[] } } {
  const docs = new Map<string, { value: Record<string, unknown>; eTag: string; written: number }>();
  const records: StoredRecord[] = [];
  let tag = 0;
  let seq = 0;
  const inRange = (r: StoredRecord, from?: Date, to?: Date) => (!from || r.at >= from.toISOString()) && (!to || r.at < to.toISOString());
  const newestFirst = () => [...records].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id.localeCompare(a.id)));
  return {
    backend: 'lowdb',
    healthy: () => true,
    close: async () => undefined,
    documents: {
      async read(keys) {
        const out: StoreItems = {};
        for (const key of keys) {
          const doc = docs.get(key);
          if (doc) out[key] = { ...structuredClone(doc.value), eTag: doc.eTag };
        }
        return out;
      },
      async write(changes) {
        for (const [key, item] of Object.entries(changes)) {
          const current = docs.get(key);
          if (current && item.eTag && item.eTag !== '*' && item.eTag !== current.eTag) throw new ETagConflictError(key);
        }
        for (const [key, item] of Object.entries(changes)) {
          const { eTag: _e, ...value } = item;
          docs.set(key, { value: structuredClone(value), eTag: String(++tag), written: now().getTime() });
        }
      },
      async delete(keys) {
        for (const key of keys) docs.delete(key);
      },
      async list(prefix, options = {}) {
        return [...docs.keys()]
          .filter((k) => k.startsWith(prefix) && (!options.after || k > options.after))
          .sort()
          .slice(0, options.limit ?? 1000);
      },
      async purgeBefore(prefix, cutoff, budget) {
        const old = [...docs.entries()].filter(([k, d]) => k.startsWith(prefix) && d.written < cutoff.getTime());
        for (const [k] of old.slice(0, budget)) docs.delete(k);
        return { removed: Math.min(budget, old.length), more: old.length > budget };
      },
    },
    records: {
      all: () => newestFirst(),
      async append(kind: RecordKind, fields) {
        const record: StoredRecord = { ...structuredClone(fields), id: `r${(++seq).toString().padStart(8, '0')}`, kind, at: fields.at ?? now().toISOString() };
        records.push(record);
        return structuredClone(record);
      },
      async query(q: RecordQuery) {
        const limit = q.limit ?? 100;
        let list = newestFirst().filter(
          (r) => (!q.kinds || q.kinds.includes(r.kind)) && inRange(r, q.from, q.to) && Object.entries(q.where ?? {}).every(([f, v]) => r[f] === v),
        );
        // As the real stores do: a cursor this store did not give is a TypeError.
        if (q.cursor !== undefined && !/^\d+$/.test(q.cursor)) throw new TypeError('not a cursor this store gave');
        if (q.cursor) list = list.slice(Number(q.cursor));
        const offset = q.cursor ? Number(q.cursor) : 0;
        const items = list.slice(0, limit).map((r) => structuredClone(r));
        return list.length > limit ? { items, next: String(offset + limit) } : { items };
      },
      async get(id) {
        const found = records.find((r) => r.id === id);
        return found ? structuredClone(found) : undefined;
      },
      async tally(q) {
        const groups = new Map<string, { key: Record<string, unknown>; count: number }>();
        for (const r of records) {
          if ((q.kinds && !q.kinds.includes(r.kind)) || !inRange(r, q.from, q.to)) continue;
          const key: Record<string, unknown> = {};
          for (const f of q.by) key[f] = f === 'day' ? r.at.slice(0, 10) : (r[f] ?? null);
          const id = JSON.stringify(q.by.map((f) => key[f]));
          const g = groups.get(id) ?? { key, count: 0 };
          g.count += 1;
          groups.set(id, g);
        }
        return [...groups.values()].sort((a, b) => b.count - a.count);
      },
      async amend(id, patch) {
        const found = records.find((r) => r.id === id);
        if (!found) return false;
        Object.assign(found, structuredClone(patch));
        return true;
      },
      async purgeBefore(cutoff, budget) {
        const old = records.filter((r) => r.at < cutoff.toISOString());
        for (const r of old.slice(0, budget)) records.splice(records.indexOf(r), 1);
        return { removed: Math.min(budget, old.length), more: old.length > budget };
      },
    },
  };
}
