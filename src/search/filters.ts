/** The search page's filter menus: every tag, sentiment label and source with its number of articles, by name. */

/** What the menus need of an article. */
export interface FilterableArticle {
  data: { tags: readonly string[]; source: string; sentiment?: { label: string } | undefined };
}

export interface FilterValue {
  value: string;
  count: number;
}

/** The search filters the article pages carry (`data-pagefind-filter`), by name. */
export type SearchFilter = "tag" | "sentiment" | "source";

function sortedCounts(counts: Map<string, number>): FilterValue[] {
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value, "en"));
}

function add(counts: Map<string, number>, value: string): void {
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** Each filter's values with how many articles carry them, sorted by value: the same counts the search index holds. */
export function filterValues(articles: Iterable<FilterableArticle>): Record<SearchFilter, FilterValue[]> {
  const tag = new Map<string, number>();
  const sentiment = new Map<string, number>();
  const source = new Map<string, number>();
  for (const { data } of articles) {
    for (const value of new Set(data.tags)) add(tag, value);
    if (data.sentiment) add(sentiment, data.sentiment.label);
    add(source, data.source);
  }
  return { tag: sortedCounts(tag), sentiment: sortedCounts(sentiment), source: sortedCounts(source) };
}
