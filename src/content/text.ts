/**
 * Text rules shared by the validator and the content tests, so "a word", "a mention of a term" and "the same
 * utterance" mean one thing everywhere.
 */

// Typographic dashes and minus signs: "IL‑4", "30–50%" and "IL-4", "30-50%" must compare equal.
const DASHES = /[\u2010-\u2015\u2212\u2043\uFE58\uFE63\uFF0D-]/g;
const APOSTROPHES = /[\u2018\u2019\u02BC']/g;

/**
 * Lower case, Unicode-compatible forms, every dash turned into a space, whitespace collapsed. Used for term
 * matching: writers spell "T-cell", "T cell" or "moderate to severe" interchangeably.
 */
export function normaliseForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(DASHES, ' ').replace(/\s+/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Plural forms a term also covers: registry terms are written in the singular ("JAK inhibitor", "food allergy")
 * and should still be found in "JAK inhibitors" or "food allergies". Figures ("30%") take no suffix.
 */
function termPattern(term: string): RegExp {
  const norm = normaliseForMatch(term);
  let body = escapeRegExp(norm);
  if (/[a-z]$/.test(norm)) {
    body = norm.endsWith('y') ? `(?:${body}|${escapeRegExp(norm.slice(0, -1))}ies)` : body;
    body = `${body}(?:s|es)?`;
  }
  // Word boundaries by hand: \b does not work around "%" or after a digit inside "IL 4".
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

const patternCache = new Map<string, RegExp>();

/** Whether `text` mentions `term` (case-insensitive, whole words, dashes and plurals forgiven). */
export function mentionsTerm(text: string, term: string): boolean {
  let pattern = patternCache.get(term);
  if (!pattern) {
    pattern = termPattern(term);
    patternCache.set(term, pattern);
  }
  return pattern.test(normaliseForMatch(text));
}

/**
 * The words of a Markdown answer, as a reader would count them: list markers, emphasis marks and lone
 * punctuation are not words; "IL-4", "30%" and a placeholder such as "{clinicPhone}" each count once.
 */
export function words(markdown: string): string[] {
  return markdown
    .split(/\s+/)
    .filter((token) => /[\p{L}\p{N}]/u.test(token) && !/^\d+[.)]$/.test(token));
}

export function wordCount(markdown: string): number {
  return words(markdown).length;
}

/**
 * Word tokens for comparing running text (copy detection): lower case, dashes split words, apostrophes and other
 * punctuation dropped.
 */
export function comparableWords(text: string): string[] {
  return normaliseForMatch(text)
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{N}%]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The form two utterances are compared in when looking for duplicates. Case, spacing and punctuation are
 * ignored because the classifier's tokenizer ignores them too: "Is eczema contagious?" and "is eczema
 * contagious" are the same training example.
 */
export function utteranceKey(utterance: string): string {
  const key = comparableWords(utterance).join(' ');
  // A line of only punctuation or emoji (":)") still needs a key of its own.
  return key.length > 0 ? key : utterance.normalize('NFKC').replace(/\s+/g, '');
}
