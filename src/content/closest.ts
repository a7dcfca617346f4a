import { editDistance } from '../nlu/natural.js';

/**
 * The id a typo was probably meant to be, if one is close enough: a misspelt file name silently trains nothing,
 * and a misspelt source or follow-up id is easier to fix when the message names the one that exists.
 */
export function closest(name: string, ids: Iterable<string>): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of ids) {
    const distance = editDistance(name, id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.id : undefined;
}
