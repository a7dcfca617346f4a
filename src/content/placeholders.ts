/**
 * Conversation answers (greeting, help, talk-to-human…) may name the clinic's own details; the bot fills them in
 * from configuration so one knowledge base serves every clinic. FAQ answers are medical content and take none.
 */
export const PLACEHOLDERS = ['clinicName', 'clinicPhone', 'bookingUrl'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER_PATTERN = /\{([^{}\s]*)\}/g;

/** Every `{name}` written in a text, known or not, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1] ?? '');
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** Replace the known placeholders; unknown ones cannot reach here because the loader rejects them. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole));
}
