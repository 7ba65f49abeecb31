/** Words of plain text for matching: lowercase tokens, content words (no stopwords), overlap between word sets. */

const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out " +
    "over own same she should so some such than that the their theirs them themselves then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "says said say one two new like get got make made many much may might must us it's i'm i'd don't can't also even still yet"
  ).split(" "),
);

/** Lowercase words (letters, digits, inner apostrophes and hyphens). */
export function tokens(text: string): string[] {
  return text.toLowerCase().replace(/[’‘]/g, "'").match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** The words that carry meaning: no stopwords, no single letters. */
export function contentWords(text: string): string[] {
  return tokens(text).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared;
}

/** Share of words two sentences have in common (Jaccard of their content words). */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = overlap(a, b);
  return shared === 0 ? 0 : shared / (a.size + b.size - shared);
}
