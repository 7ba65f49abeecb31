/** The site feed: the latest articles with their summaries and tags. */
import rss from "@astrojs/rss";
import type { APIContext } from "astro";
import { SITE } from "../site.config.ts";
import { getCatalog } from "../lib/articles.ts";
import { FEED_XMLNS, channelData, feedItems } from "../lib/feed.ts";

export async function GET(context: APIContext): Promise<Response> {
  const { articles } = await getCatalog();
  const site = context.site ?? new URL(SITE.url);
  const items = feedItems(articles, SITE.feedSize);
  return rss({
    title: SITE.name,
    description: SITE.description,
    site,
    items,
    xmlns: FEED_XMLNS,
    customData: channelData(new URL("/rss.xml", site).href, items),
    trailingSlash: true,
  });
}
