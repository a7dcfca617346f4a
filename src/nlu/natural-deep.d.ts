// natural's own declarations cover only its folder index files, and those indexes load every language (the
// stemmers index alone takes ~80 ms, the package root ~0.6 s with database clients and dotenv). We import the
// single files we use, so we describe them here, re-using natural's own types where they exist.

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  import type { Stemmer } from 'natural/lib/natural/stemmers/index.js';
  const PorterStemmer: Stemmer;
  export = PorterStemmer;
}

declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer.js' {
  class AggressiveTokenizer {
    tokenize(text: string): string[];
  }
  export = AggressiveTokenizer;
}

declare module 'natural/lib/natural/distance/levenshtein_distance.js' {
  import type { DamerauLevenshteinDistance, LevenshteinDistance } from 'natural/lib/natural/distance/index.js';
  const distances: {
    LevenshteinDistance: typeof LevenshteinDistance;
    DamerauLevenshteinDistance: typeof DamerauLevenshteinDistance;
  };
  export = distances;
}

declare module 'natural/lib/natural/ngrams/ngrams.js' {
  import type { NGrams } from 'natural/lib/natural/ngrams/index.js';
  const ngrams: typeof NGrams;
  export = ngrams;
}
