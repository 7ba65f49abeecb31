/** The site feed: the latest articles with their summaries and tags. */
import rss from "@astrojs/rss";
import type { APIContext } from "astro";
import { SITE } from "../site.config.ts";
import { getCatalog } from "../lib/articles.ts";
import { feedItems } from "../lib/feed.ts";

export async function GET(context: APIContext): Promise<Response> {
  const { articles } = await getCatalog();
  return rss({
    title: SITE.name,
    description: SITE.description,
    site: context.site ?? SITE.url,
    items: feedItems(articles, SITE.feedSize),
    customData: `<language>en</language>`,
    trailingSlash: true,
  });
}
