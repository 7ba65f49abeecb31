/** The order every list of articles shares: newest first, and each tag's articles grouped. */

/** What sorting and grouping need of an article. */
export interface ListedArticle {
  id: string;
  data: { title: string; published: Date; tags: readonly string[] };
}

/** Newest first, then by id so equal dates keep one order in every build. */
export function newestFirst(a: ListedArticle, b: ListedArticle): number {
  return b.data.published.valueOf() - a.data.published.valueOf() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Each tag's articles, newest first. */
export function groupByTag<T extends ListedArticle>(articles: readonly T[]): Map<string, T[]> {
  const byTag = new Map<string, T[]>();
  for (const article of [...articles].sort(newestFirst)) {
    for (const tag of new Set(article.data.tags)) {
      const list = byTag.get(tag);
      if (list) list.push(article);
      else byTag.set(tag, [article]);
    }
  }
  return byTag;
}
