/** Builds the Pagefind search index over the article pages of the built site (run after `astro build`). */
import { ARTICLES_DIR } from "../src/article/schema.ts";
import { countArticleFiles, indexSite, outDirFromEnv } from "../src/search/index-site.ts";

// The out dir: an argument, else THEMATA_OUT_DIR (as astro.config.mjs reads it), else dist.
const outDir = process.argv[2] ?? outDirFromEnv();
const expectedArticles = await countArticleFiles(ARTICLES_DIR);
const result = await indexSite(outDir, { expectedArticles });
if (!result.ok) {
  console.error(`search index: ${result.reason}`);
  process.exit(1);
}
const { pages, articlePages, bundleDir, shards, ms } = result.value;
console.log(
  `search index: ${pages} of ${articlePages} article pages indexed in ${ms} ms → ${bundleDir} (${shards} ${shards === 1 ? "shard" : "shards"})`,
);
