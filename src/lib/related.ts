/**
 * Related articles, for every article at once: scored by shared tags weighted by rarity plus
 * shared title words. Candidates are the articles nearest in date on each of an article's tag
 * lists (at most `candidatesPerTag` per tag), so the work grows linearly with the number of
 * articles, never pairwise over all of them.
 */

import { groupByTag, newestFirst } from "./order.ts";
import { TITLE_STOP_WORDS } from "../article/stop-words.ts";

/** What scoring needs of an article. */
export interface RelatableArticle {
  id: string;
  data: { title: string; published: Date; tags: readonly string[] };
}

export interface RelatedOptions {
  /** How many related articles to keep per article. */
  count: number;
  /** Candidates taken from each of the article's tags: the ones nearest in date. */
  candidatesPerTag: number;
  /** Score of one shared title word (a shared tag scores its idf, ln(1 + N / articles with the tag)). */
  titleWordWeight: number;
}

export const DEFAULT_RELATED_OPTIONS: RelatedOptions = { count: 5, candidatesPerTag: 50, titleWordWeight: 0.5 };

/** The distinct meaningful words of a title: lowercase, three letters or more, no stop words. */
export function titleWords(title: string): Set<string> {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/);
  return new Set(words.filter((word) => word.length >= 3 && !TITLE_STOP_WORDS.has(word)));
}

/**
 * Related articles of every article, by id, best first. `byTag` may be passed when the caller
 * already holds each tag's articles sorted newest first; otherwise it is built here.
 *
 * Written for 100,000 articles: articles are numbered by their newest-first rank (so ties
 * break by comparing numbers), title words are interned as numbers, scores accumulate in
 * one reused array, and only the best `count` are kept (no sort of every candidate).
 */
export function relatedArticles<T extends RelatableArticle>(
  articles: readonly T[],
  options: Partial<RelatedOptions> = {},
  byTag: ReadonlyMap<string, readonly T[]> = groupByTag(articles),
): Map<string, T[]> {
  const { count, candidatesPerTag, titleWordWeight } = { ...DEFAULT_RELATED_OPTIONS, ...options };
  const ranked = [...articles].sort(newestFirst); // rank = index: lower is newer
  const rankOf = new Map<T, number>(ranked.map((article, rank) => [article, rank]));
  const total = ranked.length;

  // Each tag's list as ranks, and its weight; each article's place in each of its tags' lists.
  const tagLists: Int32Array[] = [];
  const tagWeights: number[] = [];
  const tagIndex = new Map<string, number>();
  const placesOf: { tag: number; index: number }[][] = Array.from({ length: total }, () => []);
  for (const [tag, list] of byTag) {
    const id = tagLists.length;
    tagIndex.set(tag, id);
    tagWeights.push(Math.log1p(total / list.length));
    const ranks = new Int32Array(list.length);
    list.forEach((article, index) => {
      const rank = rankOf.get(article) ?? -1;
      ranks[index] = rank;
      if (rank >= 0) placesOf[rank].push({ tag: id, index });
    });
    tagLists.push(ranks);
  }

  // Title words interned as numbers, each article's sorted ascending for a merge-count.
  const wordIds = new Map<string, number>();
  const words = ranked.map((article) => {
    const ids = [...titleWords(article.data.title)].map((word) => wordIds.get(word) ?? wordIds.set(word, wordIds.size).get(word)!);
    return Int32Array.from(ids).sort();
  });

  // Each article's distinct tags as ids, in its own order (scores add up in that order).
  const tagIdsOf = ranked.map((article) => Int32Array.from([...new Set(article.data.tags)].map((tag) => tagIndex.get(tag) ?? -1)));

  const seen = new Uint8Array(total);
  const touched: number[] = [];
  const ownStamp = new Int32Array(tagLists.length); // rank + 1 on the current article's tags
  const ownSlot = new Uint8Array(tagLists.length); // a tag's place among the current article's tags
  const bestRank = new Int32Array(count);
  const bestScore = new Float64Array(count);
  const related = new Map<string, T[]>();
  for (let rank = 0; rank < total; rank++) {
    const article = ranked[rank];
    // Candidates: the articles nearest in date on each of the article's tag lists.
    for (const { tag, index } of placesOf[rank]) {
      const list = tagLists[tag];
      const start = Math.max(0, Math.min(index - Math.floor(candidatesPerTag / 2), list.length - candidatesPerTag - 1));
      const end = Math.min(list.length, start + candidatesPerTag + 1); // +1: the article itself is in the window
      for (let i = start; i < end; i++) {
        const other = list[i];
        if (other === rank || other < 0 || seen[other]) continue;
        seen[other] = 1;
        touched.push(other);
      }
    }
    const ownTags = tagIdsOf[rank];
    const ownWeights = Array.from(ownTags, (tag) => (tag >= 0 ? tagWeights[tag] : 0));
    ownTags.forEach((tag, slot) => {
      if (tag < 0 || slot > 30) return;
      ownStamp[tag] = rank + 1;
      ownSlot[tag] = slot;
    });
    const ownWords = words[rank];
    let kept = 0;
    for (const other of touched) {
      seen[other] = 0;
      // Every shared tag counts, whichever tag's window found the candidate, added in the
      // article's own tag order (so equal tag sets give bit-equal scores and ties go by date).
      let shared = 0;
      for (const tag of tagIdsOf[other]) if (tag >= 0 && ownStamp[tag] === rank + 1) shared |= 1 << ownSlot[tag];
      let score = 0;
      for (let slot = 0; shared !== 0; slot++, shared >>>= 1) if (shared & 1) score += ownWeights[slot];
      score += sharedCount(ownWords, words[other]) * titleWordWeight;
      // Keep the best `count`, ordered by score, then newest (lower rank) first.
      if (kept === count && !(score > bestScore[count - 1] || (score === bestScore[count - 1] && other < bestRank[count - 1]))) continue;
      let at = kept < count ? kept++ : count - 1;
      while (at > 0 && (score > bestScore[at - 1] || (score === bestScore[at - 1] && other < bestRank[at - 1]))) {
        bestScore[at] = bestScore[at - 1];
        bestRank[at] = bestRank[at - 1];
        at--;
      }
      bestScore[at] = score;
      bestRank[at] = other;
    }
    touched.length = 0;
    related.set(
      article.id,
      Array.from(bestRank.subarray(0, kept), (other) => ranked[other]),
    );
  }
  return related;
}

/** How many numbers two ascending arrays share. */
function sharedCount(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}
