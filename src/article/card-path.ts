/** Where an article's social card is stored: `<year>/cards/<slug>.png` beside `<year>/<slug>.md`, as pictures sit in `<year>/images/`. */
import { basename, dirname, join } from "node:path";

/** The card of the article file at `articlePath`. */
export function articleCardPath(articlePath: string): string {
  return join(dirname(articlePath), "cards", `${basename(articlePath, ".md")}.png`);
}

/** The card of the article with collection id `2026/2026-06-20-x` under `articlesDir`. */
export function articleCardPathForId(articlesDir: string, id: string): string {
  return articleCardPath(join(articlesDir, `${id}.md`));
}
