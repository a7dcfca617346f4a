import { Activity } from '@microsoft/agents-activity';

/**
 * An activity from the wire as the Agents SDK's Activity. Its schema refuses empty strings where the Bot Framework
 * protocol (and botbuilder) allow them: Web Chat and the Emulator send `name: ""` for accounts and conversations,
 * and an empty text with a card submit. An empty string carries nothing, so it is dropped before the SDK sees it.
 */
export function wireToActivity(wire: object): Activity {
  return Activity.fromObject(withoutEmptyStrings(wire) as object);
}

export function withoutEmptyStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyStrings);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === '') continue;
    out[key] = withoutEmptyStrings(field);
  }
  return out;
}
