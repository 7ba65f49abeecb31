/** One feed per tag: the tag's latest articles. */
import rss from "@astrojs/rss";
import type { APIContext, GetStaticPaths } from "astro";
import { SITE } from "../../../site.config.ts";
import { getCatalog, tagPath } from "../../../lib/articles.ts";
import { feedItems } from "../../../lib/feed.ts";

export const getStaticPaths = (async () => {
  const { byTag } = await getCatalog();
  return [...byTag.keys()].map((tag) => ({ params: { tag } }));
}) satisfies GetStaticPaths;

export async function GET(context: APIContext): Promise<Response> {
  const tag = context.params.tag ?? "";
  const { byTag } = await getCatalog();
  return rss({
    title: `${SITE.name}: #${tag}`,
    description: `Articles tagged ${tag} on ${SITE.name}.`,
    site: new URL(tagPath(tag), context.site ?? SITE.url).href,
    items: feedItems(byTag.get(tag) ?? [], SITE.feedSize),
    customData: `<language>en</language>`,
    trailingSlash: true,
  });
}
