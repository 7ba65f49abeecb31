/** `npm run check`: validates every article (THEMATA_CONTENT_DIR, default content/) and static page; exit 1 on any problem. */
import { ARTICLES_DIR, PAGES_DIR } from "../src/article/schema.ts";
import { checkContent, checkSummary } from "../src/article/check.ts";

const report = await checkContent({ articlesDir: ARTICLES_DIR, pagesDir: PAGES_DIR });
for (const problem of report.problems) console.error(problem);
console.log(checkSummary(report));
process.exitCode = report.problems.length > 0 ? 1 : 0;
