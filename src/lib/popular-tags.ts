/** Popular tags: the most used tags in the days up to the newest article (never the clock, so the block never empties). */

/** What tag counting needs of an article. */
export interface TaggedArticle {
  data: { published: Date; tags: readonly string[] };
}

export interface TagCount {
  tag: string;
  count: number;
}

const DAY_MS = 86_400_000;

/** Tags with their counts, most used first, ties by name (a stable order for pages and tests). */
export function countTags(articles: Iterable<TaggedArticle>): TagCount[] {
  const counts = new Map<string, number>();
  for (const article of articles) {
    for (const tag of new Set(article.data.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return [...counts].map(([tag, count]) => ({ tag, count })).sort(byCountThenName);
}

function byCountThenName(a: TagCount, b: TagCount): number {
  return b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}

/**
 * The `limit` most used tags among articles published in the `windowDays` days up to and
 * including the newest article's date.
 */
export function popularTags(articles: readonly TaggedArticle[], { limit, windowDays }: { limit: number; windowDays: number }): TagCount[] {
  let newest = -Infinity;
  for (const article of articles) newest = Math.max(newest, article.data.published.valueOf());
  if (!Number.isFinite(newest)) return [];
  const from = newest - windowDays * DAY_MS;
  const recent = articles.filter((article) => article.data.published.valueOf() >= from);
  return countTags(recent).slice(0, limit);
}
