/**
 * Deterministic stratified k-fold splits: every intent's utterances are shuffled with a fixed seed and dealt
 * round-robin into k folds, so each fold holds about 1/k of every intent and the same content always gives
 * the same folds.
 */

/** mulberry32: a tiny seeded generator; we need repeatable shuffles, not cryptographic randomness. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface Fold {
  train: Map<string, string[]>;
  test: { text: string; intent: string }[];
}

export function stratifiedFolds(data: ReadonlyMap<string, readonly string[]>, k: number, seed = 20240601): Fold[] {
  const folds: Fold[] = Array.from({ length: k }, () => ({ train: new Map(), test: [] }));
  const random = seededRandom(seed);
  // Dealing continues where the previous intent stopped, so small intents do not all land in fold 0.
  let next = 0;
  for (const intent of [...data.keys()].sort()) {
    const utterances = shuffled(data.get(intent) ?? [], random);
    utterances.forEach((text, i) => {
      const target = (next + i) % k;
      folds.forEach((fold, f) => {
        if (f === target) fold.test.push({ text, intent });
        else {
          const list = fold.train.get(intent) ?? [];
          list.push(text);
          fold.train.set(intent, list);
        }
      });
    });
    next = (next + utterances.length) % k;
  }
  return folds;
}
