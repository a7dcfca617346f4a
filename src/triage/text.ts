/**
 * Splits patient text into lower-case words, remembering which sentence and which clause each word sits in.
 * Sentences decide what "general question" and "about me" mean; clauses stop a negation from reaching across a
 * comma ("no fever, pus on his arm" still flags the pus).
 */

export interface Words {
  words: string[];
  /** Sentence number of each word. */
  sentence: number[];
  /** Clause number of each word (punctuation-based; terminator words such as "but" are added later). */
  clause: number[];
}

// Curly quotes and backticks are how phones type apostrophes.
const APOSTROPHES = /[\u2018\u2019\u02bc`´]/g;
const SENTENCE_END = /[.!?;\n\r]+/;
// A dash with spaces around it separates thoughts; a hyphen inside a word ("15-month-old") does not.
const SPACED_DASH = /\s[-\u2013\u2014]+\s|[\u2013\u2014]/g;
const CLAUSE_PUNCT = /[,:()[\]"{}]/;
// Words keep inner apostrophes ("can't", "don't"); everything else that is not a letter or digit separates.
const TOKEN = /[a-z0-9]+(?:'[a-z]+)*|[,:()[\]"{}]/g;

/**
 * The red flags, the danger topics and the dermatologist cues each read the same message in turn; the last split
 * is kept so it is made once. Callers only read a Words, never change it.
 */
let last: { text: string; words: Words } | undefined;

export function splitWords(text: string): Words {
  if (last?.text === text) return last.words;
  const words = split(text);
  last = { text, words };
  return words;
}

function split(text: string): Words {
  const out: Words = { words: [], sentence: [], clause: [] };
  const normal = text.toLowerCase().replace(APOSTROPHES, "'").replace(SPACED_DASH, ' , ').replace(/[-_/]/g, ' ');
  let sentence = 0;
  let clause = 0;
  for (const part of normal.split(SENTENCE_END)) {
    let sawWord = false;
    for (const match of part.matchAll(TOKEN)) {
      const token = match[0];
      if (CLAUSE_PUNCT.test(token)) {
        if (sawWord) clause += 1;
        sawWord = false;
        continue;
      }
      // Possessive "'s" carries nothing the rules need ("son's" is about the son; "it's" reads as "it").
      const word = token.endsWith("'s") ? token.slice(0, -2) : token;
      out.words.push(word);
      out.sentence.push(sentence);
      out.clause.push(clause);
      sawWord = true;
    }
    if (sawWord) {
      sentence += 1;
      clause += 1;
    }
  }
  return out;
}

/** Turns a phrase from a rule file into the words the matcher compares, with the same rules as patient text. */
export function phraseWords(phrase: string): string[] {
  return splitWords(phrase).words;
}
