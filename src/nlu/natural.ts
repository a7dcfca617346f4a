/**
 * The parts of `natural` the model uses, imported file by file (see natural-deep.d.ts for why). natural is
 * CommonJS: under NodeNext a default import gives `module.exports`, which we then destructure; named imports
 * would type-check but fail at run time.
 */
import porterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer.js';
import distances from 'natural/lib/natural/distance/levenshtein_distance.js';
import ngramsModule from 'natural/lib/natural/ngrams/ngrams.js';

const { DamerauLevenshteinDistance } = distances;

const tokenizer = new AggressiveTokenizer();

/** Splits on anything that is not a letter, digit, hyphen, apostrophe or slash. */
export function tokenize(text: string): string[] {
  return tokenizer.tokenize(text);
}

export function stem(token: string): string {
  return porterStemmer.stem(token);
}

/** Edit distance where swapping two neighbouring letters (a common typing slip) costs one edit. */
export function editDistance(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b, { restricted: true });
}

/** Consecutive n-token windows of a token list, no padding. */
export function ngrams(tokens: readonly string[], n: number): string[][] {
  return ngramsModule.ngrams([...tokens], n);
}
