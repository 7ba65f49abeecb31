/** robots.txt: everything may be crawled; the sitemap index says where the pages are. */
import type { APIContext } from "astro";
import { SITE } from "../site.config.ts";

export function GET(context: APIContext): Response {
  const sitemap = new URL("/sitemap-index.xml", context.site ?? SITE.url).href;
  return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${sitemap}\n`, {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
