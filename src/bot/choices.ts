/**
 * What a button press carries. Adaptive Card Action.Submit (Web Chat, Teams) arrives as a message with this as
 * `value` and no text; in plain-text channels the patient types the choice's number instead.
 */
export type Choice =
  | { action: 'ask'; intent: string }
  | { action: 'choose'; intent: string }
  | { action: 'none' }
  | { action: 'feedback'; intent: string; helpful: boolean };

export function parseChoice(value: unknown): Choice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const intent = typeof v.intent === 'string' && /^[a-z0-9-]{1,64}$/.test(v.intent) ? v.intent : undefined;
  switch (v.action) {
    case 'ask':
    case 'choose':
      return intent ? { action: v.action, intent } : undefined;
    case 'none':
      return { action: 'none' };
    case 'feedback':
      return intent && typeof v.helpful === 'boolean' ? { action: 'feedback', intent, helpful: v.helpful } : undefined;
    default:
      return undefined;
  }
}
