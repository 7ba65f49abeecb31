/**
 * Popular tags: the most used tags in the days before the newest article's week (never the clock,
 * so the block never empties). Counted to the week's start, they move at most once a week: the
 * block sits on every page, and a move rewrites every page (src/build/rail.ts) and re-uploads it.
 */

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

/** Monday 00:00 UTC of the ISO week `ms` falls in. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS; // day 0 (1970-01-01) was a Thursday
}

/**
 * The `limit` most used tags among articles published in the `windowDays` days before the
 * newest article's week (Monday 00:00 UTC). An archive with no article before that week counts
 * the `windowDays` days up to the newest article instead.
 */
export function popularTags(articles: readonly TaggedArticle[], { limit, windowDays }: { limit: number; windowDays: number }): TagCount[] {
  let newest = -Infinity;
  for (const article of articles) newest = Math.max(newest, article.data.published.valueOf());
  if (!Number.isFinite(newest)) return [];
  const to = weekStart(newest);
  const inWindow = (from: number, until: number) =>
    articles.filter((article) => article.data.published.valueOf() >= from && article.data.published.valueOf() < until);
  const before = inWindow(to - windowDays * DAY_MS, to);
  const counted = before.length > 0 ? before : inWindow(newest - windowDays * DAY_MS, newest + 1);
  return countTags(counted).slice(0, limit);
}
