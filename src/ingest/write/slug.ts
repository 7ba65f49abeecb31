/** Article slugs and file paths: `<YYYY>/<YYYY-MM-DD>-<title-slug>.md`, fixed at first write. */
import { join } from "node:path";
import { slugifyTag } from "../../article/tags.ts";

/** Longest title part of a slug, in characters; cut at a word boundary. */
export const MAX_TITLE_SLUG = 60;

/**
 * Lowercase ASCII words joined by hyphens: "LeCun's Open-Source AI!" → "lecuns-open-source-ai".
 * Apostrophes vanish rather than split a word; a title with no Latin letters or digits
 * gives "article" so a slug is never empty.
 */
export function slugify(title: string, maxLength = MAX_TITLE_SLUG): string {
  const slug = slugifyTag(title.replace(/['’‘`]/g, ""));
  if (!slug) return "article";
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const lastHyphen = cut.lastIndexOf("-");
  // Cut at the last whole word; a single overlong word is simply truncated.
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut.slice(0, maxLength)).replace(/-+$/, "");
}

/** `2026-06-24-for-most-of-the-world-open-source-ai-is-the-only-way-forward` (date in UTC). */
export function newArticleSlug(published: Date, title: string): string {
  return `${published.toISOString().slice(0, 10)}-${slugify(title)}`;
}

/** The slug with a collision suffix: n = 1 → the slug itself, n = 2 → `<slug>-2`, … */
export function suffixedSlug(slug: string, n: number): string {
  return n <= 1 ? slug : `${slug}-${n}`;
}

/** `<articlesDir>/<YYYY>/<slug>.md`: year folders keep directories small. */
export function articleFilePath(articlesDir: string, slug: string): string {
  return join(articlesDir, slug.slice(0, 4), `${slug}.md`);
}

/** `<articlesDir>/<YYYY>/images/<slug>.webp`, and the same path as the article's frontmatter writes it. */
export function articleImagePath(articlesDir: string, slug: string): string {
  return join(articlesDir, slug.slice(0, 4), "images", `${slug}.webp`);
}
export function articleImageSrc(slug: string): string {
  return `./images/${slug}.webp`;
}
