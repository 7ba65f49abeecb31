// Astro configuration: static output, sitemap, and Markdown bodies sanitised (editors' notes
// can arrive from outside pull requests, so raw HTML in them is cleaned, not trusted).
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import sitemap from "@astrojs/sitemap";
import { unified } from "@astrojs/markdown-remark";
import rehypeSanitize from "rehype-sanitize";
import { fileURLToPath } from "node:url";
import { SITE } from "./src/site.config.ts";
import { readArticleLastmods } from "./src/lib/sitemap-lastmod.ts";

/** Article pages' lastmod, read from the built pages by the integration below before the sitemap is written. */
let lastmods = new Map();
const articleLastmods = {
  name: "themata-article-lastmods",
  hooks: {
    "astro:build:done": async ({ dir }) => {
      lastmods = await readArticleLastmods(fileURLToPath(dir));
    },
  },
};
import { cacheDirFromEnv } from "./src/build/page-cache.ts";

export default defineConfig({
  site: SITE.url,
  output: "static",
  // Tests and benchmarks build into their own folders so parallel builds never collide.
  outDir: process.env.THEMATA_OUT_DIR ?? "./dist",
  // The build cache (content store, cached pages): outside node_modules, which `npm ci` wipes.
  cacheDir: cacheDirFromEnv(),
  trailingSlash: "always",
  // Four pages render at once: page writes overlap rendering (see docs/scale.md for cold and warm
  // builds at 1, 2, 4 and 8). THEMATA_BUILD_CONCURRENCY overrides it, for that benchmark.
  build: { format: "directory", concurrency: Number(process.env.THEMATA_BUILD_CONCURRENCY) || 4 },
  // A sitemap file holds at most 50,000 URLs (sitemaps.org); past that the index lists several.
  // lastmod comes from each article's own dates (see src/lib/sitemap-lastmod.ts); other pages carry none.
  integrations: [
    mdx(),
    articleLastmods,
    sitemap({
      entryLimit: 50_000,
      serialize(item) {
        const lastmod = lastmods.get(new URL(item.url).pathname);
        return lastmod ? { ...item, lastmod: lastmod.toISOString() } : item;
      },
    }),
  ],
  markdown: { processor: unified({ rehypePlugins: [rehypeSanitize] }) },
  // Pages whose cache key (src/lib/cache-keys.ts) and code are unchanged are copied from the
  // previous build; scripts/build-site.ts verifies each copy before Astro may reuse it.
  experimental: { incrementalBuild: true },
  // scripts/build-site.ts empties dist/ itself and puts the verified cached pages there first.
  vite: { build: { emptyOutDir: process.env.THEMATA_KEEP_OUT_DIR !== "1" } },
  devToolbar: { enabled: false },
});
