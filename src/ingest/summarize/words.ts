/** Words of plain text for matching: lowercase tokens, content words (no stopwords), overlap between word sets. */
import { SUMMARY_STOP_WORDS } from "../../article/stop-words.ts";

/** Lowercase words (letters, digits, inner apostrophes and hyphens). */
export function tokens(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** The words that carry meaning: no stopwords, no single letters. */
export function contentWords(text: string): string[] {
  return tokens(text).filter((w) => w.length > 1 && !SUMMARY_STOP_WORDS.has(w));
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
