/**
 * Close matches for misspelt query words, from the index's own vocabulary (every word of the
 * indexed articles with how many articles hold it). The page loads the vocabulary only when a
 * query finds nothing, so the first search downloads nothing more.
 */

/** `/search-vocabulary.json`: the words, most common first, and their article counts. */
export const VOCABULARY_PATH = "/search-vocabulary.json";

export interface Vocabulary {
  words: string[];
  counts: number[];
}

/** Optimal string alignment distance (edits: insert, delete, substitute, swap two neighbours), stopping past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** How far a word may be from its match: one edit for short words, two from eight letters. */
export function allowedEdits(word: string): number {
  return word.length < 4 ? 0 : word.length < 8 ? 1 : 2;
}

/** The closest vocabulary word to a word missing from it: fewest edits, then most common (the list's order); null when none is close. */
export function closestWord(word: string, vocabulary: Vocabulary): string | null {
  let best: string | null = null;
  let bestDistance = allowedEdits(word) + 1;
  for (const candidate of vocabulary.words) {
    const distance = editDistance(word, candidate, bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 1) break; // nothing closer than one edit, and earlier words are more common
    }
  }
  return best;
}

/** The query with each word the vocabulary lacks replaced by its closest match; null when nothing changes. */
export function suggestQuery(query: string, vocabulary: Vocabulary): string | null {
  const known = new Set(vocabulary.words);
  let changed = false;
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      if (known.has(word) || !/^[\p{L}\p{N}-]+$/u.test(word)) return word;
      const match = closestWord(word, vocabulary);
      if (match && match !== word) changed = true;
      return match ?? word;
    });
  return changed ? words.join(" ") : null;
}

/** Words of a text as the vocabulary keeps them: lowercase letters and digits, two or more. */
export function textWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/** The vocabulary of texts grouped by article: each word with the number of articles holding it, most common first, at most `limit`. */
export function buildVocabulary(articles: Iterable<readonly string[]>, limit: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const texts of articles) {
    for (const word of new Set(texts.flatMap(textWords))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  return { words: sorted.map(([word]) => word), counts: sorted.map(([, count]) => count) };
}
