/** Builds the Pagefind search index over the article pages in dist/ (run after `astro build`). */
import { indexSite } from "../src/lib/search-index.ts";

const dist = process.argv[2] ?? "dist";
const result = await indexSite(dist);
if (!result.ok) {
  console.error(`search index: ${result.reason}`);
  process.exit(1);
}
console.log(`search index: ${result.value.pages} pages in ${result.value.ms} ms`);
