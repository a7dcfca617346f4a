/**
 * The parts of the "see a dermatologist" rule that are not phrase lists: deciding whether an unanswered
 * message was about the patient's own skin. Phrase cues (severity, prescription decisions) are data, in
 * data/dermatologist-cues.yaml, matched by src/triage/dermatologist.ts.
 */
const PERSONAL = /\b(i|i'm|im|i've|ive|my|me|mine|our|we|we're|us)\b/i;
const SKIN = /\b(skin|rash\w*|eczema|ecz\w*|exzema|itch\w*|spots?|patch\w*|bumps?|red|redness|dry|crack\w*|flak\w*|peel\w*|sores?|blister\w*|lesions?|hives|scal\w*|bleed\w*|ooz\w*|swell\w*|swollen|lumps?|face|hands?|legs?|arms?|scalp)\b/i;

export function isAboutOwnSkin(text: string): boolean {
  return PERSONAL.test(text) && SKIN.test(text);
}
