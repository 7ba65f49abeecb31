/**
 * Sitemap `lastmod` for article pages, from the article's own dates (its frontmatter, as the page
 * prints them in `article:modified_time`), never file times or git, which differ per clone.
 * Read from the built pages once the build is done, since the sitemap is written after them.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

const MODIFIED = /<meta property="article:modified_time" content="([^"]+)"/;

/** The article's last change as its page states it, or undefined. */
export function pageLastmod(html: string): Date | undefined {
  const match = MODIFIED.exec(html);
  const date = match ? new Date(match[1]) : undefined;
  return date && !Number.isNaN(date.valueOf()) ? date : undefined;
}

/**
 * Each built article page's lastmod, by its path (`/articles/<slug>/`). Pages are read
 * synchronously, as the build's small files are (see fileHash in src/build/files.ts).
 */
export async function readArticleLastmods(outDir: string): Promise<Map<string, Date>> {
  const articlesDir = join(outDir, "articles");
  const slugs = await readdir(articlesDir).catch(() => [] as string[]);
  const lastmods = new Map<string, Date>();
  for (const slug of slugs) {
    const html = readPage(join(articlesDir, slug, "index.html"));
    const date = html === null ? undefined : pageLastmod(html);
    if (date) lastmods.set(`/articles/${slug}/`, date);
  }
  return lastmods;
}

/** A built page's text, or null when there is none (a folder without a page). */
function readPage(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
