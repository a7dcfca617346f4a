/** Rules clinicians and utterance writers work to; docs/CONTENT.md quotes them. */

/** Hard limit on an answer's length: beyond it a chat bubble turns into a wall of text. */
export const MAX_ANSWER_WORDS = 150;
/** What writers aim for; the tests report answers above it but only the hard limit fails. */
export const TARGET_ANSWER_WORDS = 120;

/** Fewer examples than these and naive Bayes cannot learn an intent's vocabulary reliably. */
export const MIN_TRAINING_UTTERANCES = { faq: 25, conversation: 10, outOfScope: 200 } as const;

/** FAQ answers offer this many follow-up questions: enough to keep going, few enough to read on a phone. */
export const FAQ_FOLLOW_UPS = { min: 2, max: 3 } as const;
export const MAX_CONVERSATION_FOLLOW_UPS = 3;

/** Intent and source ids: lower-case words joined by hyphens, because they become file names. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
