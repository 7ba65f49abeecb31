/**
 * Related articles, for every article at once: scored by shared tags weighted by rarity plus
 * shared title words. Candidates are the articles nearest in date on each of an article's tag
 * lists (at most `candidatesPerTag` per tag), so the work grows linearly with the number of
 * articles, never pairwise over all of them.
 */

import { groupByTag, newestFirst } from "./articles.ts";

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

/** Words too common to say two titles are about the same thing. */
const STOP_WORDS = new Set(
  ("the and for are but not you all any can had her was one our out has his how its may new now " +
    "see way who did get him let say she too use with from that this what when will your into " +
    "than then them they were been have more most much some such only over just about after " +
    "why where which while would could should their there these those being because does doing " +
    "here make makes made like also want isn aren don doesn didn won via")
    .split(" "),
);

/** The distinct meaningful words of a title: lowercase, three letters or more, no stop words. */
export function titleWords(title: string): Set<string> {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/);
  return new Set(words.filter((word) => word.length >= 3 && !STOP_WORDS.has(word)));
}

/**
 * Related articles of every article, by id, best first. `byTag` may be passed when the caller
 * already holds each tag's articles sorted newest first; otherwise it is built here.
 */
export function relatedArticles<T extends RelatableArticle>(
  articles: readonly T[],
  options: Partial<RelatedOptions> = {},
  byTag: ReadonlyMap<string, readonly T[]> = groupByTag(articles),
): Map<string, T[]> {
  const { count, candidatesPerTag, titleWordWeight } = { ...DEFAULT_RELATED_OPTIONS, ...options };
  const total = articles.length;
  const tagWeight = new Map<string, number>();
  const position = new Map<string, Map<string, number>>(); // tag → article id → index in its list
  for (const [tag, list] of byTag) {
    tagWeight.set(tag, Math.log1p(total / list.length));
    position.set(tag, new Map(list.map((article, index) => [article.id, index])));
  }
  const words = new Map(articles.map((article) => [article.id, titleWords(article.data.title)]));

  const related = new Map<string, T[]>();
  for (const article of articles) {
    const scores = new Map<T, number>();
    for (const tag of new Set(article.data.tags)) {
      const list = byTag.get(tag);
      const index = position.get(tag)?.get(article.id);
      if (!list || index === undefined) continue;
      const start = Math.max(0, Math.min(index - Math.floor(candidatesPerTag / 2), list.length - candidatesPerTag - 1));
      const end = Math.min(list.length, start + candidatesPerTag + 1); // +1: the article itself is in the window
      const weight = tagWeight.get(tag) ?? 0;
      for (let i = start; i < end; i++) {
        const candidate = list[i];
        if (candidate.id !== article.id) scores.set(candidate, (scores.get(candidate) ?? 0) + weight);
      }
    }
    const own = words.get(article.id) ?? new Set<string>();
    const ranked = [...scores].map(([candidate, score]) => {
      let shared = 0;
      for (const word of words.get(candidate.id) ?? []) if (own.has(word)) shared++;
      return { candidate, score: score + shared * titleWordWeight };
    });
    ranked.sort((a, b) => b.score - a.score || newestFirst(a.candidate, b.candidate));
    related.set(article.id, ranked.slice(0, count).map(({ candidate }) => candidate));
  }
  return related;
}
