/**
 * The value at a schema issue's path inside the input that was validated, or undefined when the path leads
 * nowhere. zod does not keep the input on an issue; this tells "missing" apart from "wrong".
 */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
