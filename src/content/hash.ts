import { createHash } from 'node:crypto';

/**
 * Fingerprint of what the model learns from: intent ids and their training utterances. Line order, comments and
 * blank lines do not change what naive Bayes learns, so they do not change the hash either.
 */
export function trainingHash(training: ReadonlyMap<string, readonly string[]>): string {
  const canonical = [...training.keys()]
    .sort()
    .map((id) => [id, [...(training.get(id) ?? [])].sort()]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
