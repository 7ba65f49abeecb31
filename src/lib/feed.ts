/** RSS for the site feed, the tag feeds and the digest feed: items, and the channel's self link and build date. */
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

/** The Atom namespace, for the channel's `atom:link rel="self"`. */
export const FEED_XMLNS = { atom: "http://www.w3.org/2005/Atom" } as const;

/** Text safe inside an XML or HTML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The channel's extra elements: its language, `atom:link rel="self"` (the feed's own URL, as
 * feed validators ask) and `lastBuildDate` from the newest item's date, never the clock, so
 * the same content builds the same feed.
 */
export function channelData(selfUrl: string, items: readonly { pubDate?: Date }[]): string {
  const newest = items.reduce<Date | undefined>(
    (max, item) => (item.pubDate && (!max || item.pubDate > max) ? item.pubDate : max),
    undefined,
  );
  return [
    `<language>en</language>`,
    `<atom:link href="${escapeXml(selfUrl)}" rel="self" type="application/rss+xml"/>`,
    newest ? `<lastBuildDate>${newest.toUTCString()}</lastBuildDate>` : "",
  ].join("");
}
