/** One feed per tag: the tag's latest articles. */
import rss from "@astrojs/rss";
import type { APIContext, GetStaticPaths } from "astro";
import { SITE } from "../../../site.config.ts";
import { getCatalog, tagFeedPath, tagPath } from "../../../lib/articles.ts";
import { FEED_XMLNS, channelData, feedItems } from "../../../lib/feed.ts";

export const getStaticPaths = (async () => {
  const { byTag } = await getCatalog();
  return [...byTag.keys()].map((tag) => ({ params: { tag } }));
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
