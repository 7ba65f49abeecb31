/**
 * Sitemap `lastmod` for article pages, from the article's own dates (its frontmatter, as the page
 * prints them in `article:modified_time`), never file times or git, which differ per clone.
 * Read from the built pages once the build is done, since the sitemap is written after them.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

const MODIFIED = /<meta property="article:modified_time" content="([^"]+)"/;

/** The article's last change as its page states it, or undefined. */
export function pageLastmod(html: string): Date | undefined {
  const match = MODIFIED.exec(html);
  const date = match ? new Date(match[1]) : undefined;
  return date && !Number.isNaN(date.valueOf()) ? date : undefined;
}

/** How many pages are read at once. */
const READ_CONCURRENCY = 32;

/** Each built article page's lastmod, by its path (`/articles/<slug>/`). */
export async function readArticleLastmods(outDir: string): Promise<Map<string, Date>> {
  const articlesDir = join(outDir, "articles");
  const slugs = await readdir(articlesDir).catch(() => [] as string[]);
  const lastmods = new Map<string, Date>();
  let next = 0;
  const lane = async () => {
    while (next < slugs.length) {
      const slug = slugs[next++];
      const html = await readFile(join(articlesDir, slug, "index.html"), "utf8").catch(() => "");
      const date = pageLastmod(html);
      if (date) lastmods.set(`/articles/${slug}/`, date);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, slugs.length) }, lane));
  return lastmods;
}
