/** One feed per tag: the tag's latest articles. */
import rss from "@astrojs/rss";
import type { APIContext, GetStaticPaths } from "astro";
import { SITE } from "../../../site.config.ts";
import { getCatalog, tagFeedPath, tagPath } from "../../../lib/articles.ts";
import { FEED_XMLNS, channelData, feedItems } from "../../../lib/feed.ts";
import { listPageKey } from "../../../lib/cache-keys.ts";

export const getStaticPaths = (async () => {
  const { byTag } = await getCatalog();
  // A feed shows no footer: the year is no part of its key.
  return [...byTag].map(([tag, articles]) => ({
    params: { tag },
    cacheKey: listPageKey("tag-feed", articles.slice(0, SITE.feedSize), tag, 0),
  }));
}) satisfies GetStaticPaths;

export async function GET(context: APIContext): Promise<Response> {
  const tag = context.params.tag ?? "";
  const { byTag } = await getCatalog();
  const site = context.site ?? new URL(SITE.url);
  const items = feedItems(byTag.get(tag) ?? [], SITE.feedSize);
  return rss({
    title: `${SITE.name}: #${tag}`,
    description: `Articles tagged ${tag} on ${SITE.name}.`,
    site: new URL(tagPath(tag), site).href,
    items,
    xmlns: FEED_XMLNS,
    customData: channelData(new URL(tagFeedPath(tag), site).href, items),
    trailingSlash: true,
  });
}
