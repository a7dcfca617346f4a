/**
 * Conversation answers (greeting, help, talk-to-human…) may name the clinic's own details; the answer layer fills
 * them in from configuration (fillClinicDetails in src/core/answer.ts) so one knowledge base serves every clinic.
 * FAQ answers are medical content and take none. This list must match what that function replaces.
 */
export const CLINIC_PLACEHOLDERS = ['clinicName', 'clinicPhone', 'bookingUrl', 'emergencyNumber'] as const;

/**
 * Filled when the content is loaded (src/content/packs.ts), from the catalog rather than the configuration:
 * `{topics}` lists what the packs that are on cover, so the help answer promises only that.
 */
export const CONTENT_PLACEHOLDERS = ['topics'] as const;

export const PLACEHOLDERS = [...CLINIC_PLACEHOLDERS, ...CONTENT_PLACEHOLDERS] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_PATTERN = /\{([^{}\s]*)\}/g;

/** Every `{name}` written in a text, known or not, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1] ?? '');
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}
