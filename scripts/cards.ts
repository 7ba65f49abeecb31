/** `npm run cards`: checks every article's social card against what it shows and remakes the stale or missing ones (the nightly job runs it). */
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { CONTENT_DIR } from "../src/article/schema.ts";
import { summarizeCards, syncAllCards } from "../src/ingest/cards/cards.ts";
import { SITE } from "../src/site.config.ts";

const { values } = parseArgs({ options: { "content-dir": { type: "string" } }, strict: true });
const articlesDir = join(values["content-dir"] ?? CONTENT_DIR, "articles");
const results = await syncAllCards(articlesDir, SITE.name);
for (const result of results) {
  if (result.outcome === "made" || result.outcome === "removed" || result.outcome === "failed") {
    console.log(`${result.outcome.padEnd(8)} ${relative(process.cwd(), result.path)}${result.reason ? ` — ${result.reason}` : ""}`);
  }
}
console.log(`Social cards: ${summarizeCards(results)}`);
process.exit(results.some((r) => r.outcome === "failed") ? 1 : 0);
