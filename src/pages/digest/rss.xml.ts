/** The digest feed: one item per completed ISO week, whose content is that week's digest; the current week joins once a later one begins. */
import rss from "@astrojs/rss";
import type { APIContext } from "astro";
import { SITE } from "../../site.config.ts";
import { getDigestWeeks } from "../../lib/articles.ts";
import { completedWeeks, DIGEST_FEED_PATH, digestPath } from "../../lib/digest.ts";
import { digestFeedItems } from "../../lib/digest-feed.ts";
import { FEED_XMLNS, channelData } from "../../lib/feed.ts";

export async function GET(context: APIContext): Promise<Response> {
  const site = context.site ?? new URL(SITE.url);
  const items = digestFeedItems(completedWeeks(await getDigestWeeks(), SITE.digestFeedWeeks), site);
  return rss({
    title: `${SITE.name} weekly digest`,
    description: `The week's AI news on ${SITE.name}, hottest first: one item per week.`,
    site: new URL(digestPath(), site).href,
    items,
    xmlns: FEED_XMLNS,
    customData: channelData(new URL(DIGEST_FEED_PATH, site).href, items),
    trailingSlash: true,
  });
}
