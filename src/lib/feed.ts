/** RSS items for the site feed and the tag feeds: the latest articles with title, link, date, summary and tags. */
import type { RSSFeedItem } from "@astrojs/rss";
import { articlePath } from "./articles.ts";
import type { ListedArticle } from "./order.ts";

export interface FeedArticle extends ListedArticle {
  data: ListedArticle["data"] & { summary: string };
}

/** The first `limit` articles (already newest first) as feed items. */
export function feedItems(articles: readonly FeedArticle[], limit: number): RSSFeedItem[] {
  return articles.slice(0, limit).map((article) => ({
    title: article.data.title,
    link: articlePath(article.id),
    pubDate: article.data.published,
    description: article.data.summary,
    categories: [...article.data.tags],
  }));
}
