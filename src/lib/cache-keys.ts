/**
 * Incremental-build keys: each generated page's `cacheKey` is a hash of everything the page
 * shows, so Astro reuses the previous build's copy only when the page would come out the same.
 * Astro's own check covers the page's code (its module graph) and astro.config; these keys add
 * the data, and the site settings read from the environment (THEMATA_SITE_URL, THEMATA_REPO_URL,
 * THEMATA_NEWSLETTER_ENDPOINT, THEMATA_PAGE_SIZE), which no module's code shows.
 *
 * The rail's popular tags are left out on purpose: they sit on every page and can change any
 * night, so a post-build step swaps the current block into every page instead (see
 * src/build/rail.ts); keying them would re-render the whole archive whenever they move.
 */
import { createHash } from "node:crypto";
import { SITE } from "../site.config.ts";
import { articlePath } from "./articles.ts";

/** What a key needs of an article: everything an article's own page or card can show. */
export interface KeyedArticle {
  id: string;
  data: Record<string, unknown> & { title: string; published: Date; originalTitle?: string };
  body?: string;
  rendered?: { html: string };
}

/** A stable hash of any JSON-able value (Dates as ISO strings, undefined fields dropped). */
export function hashKey(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

/** The site-wide part of every key: every site setting (environment-driven ones included). */
export function siteSettingsKey(settings: object = SITE): string {
  return hashKey(settings);
}

const articleHashes = new WeakMap<KeyedArticle, string>();

/** An article as it shows on its own page and on cards (its data, Markdown and rendered body), hashed once per build. */
export function articleContent(article: KeyedArticle): string {
  let hash = articleHashes.get(article);
  if (hash === undefined) {
    hash = hashKey({ id: article.id, data: article.data, body: article.body ?? "", html: article.rendered?.html ?? "" });
    articleHashes.set(article, hash);
  }
  return hash;
}

/** What a related-articles list shows of each article: link, title, original title, date. */
export function relatedContent(related: readonly KeyedArticle[]): unknown {
  return related.map((other) => [articlePath(other.id), other.data.title, other.data.originalTitle ?? "", other.data.published]);
}

/**
 * An article page's key: its own data, its related articles' titles and dates, the newest year
 * (the footer's copyright), the site settings, and `extra` (whatever else it shows: whether it has
 * a social card).
 */
export function articlePageKey(
  article: KeyedArticle,
  related: readonly KeyedArticle[],
  footerYear: number,
  extra: unknown = null,
  settings = siteSettingsKey(),
): string {
  return hashKey(["article", settings, footerYear, articleContent(article), relatedContent(related), extra]);
}

/** A list page's key (home, tag pages, feeds): the articles it lists, in order, and whatever else it shows. */
export function listPageKey(
  kind: string,
  articles: readonly KeyedArticle[],
  extra: unknown,
  footerYear: number,
  settings = siteSettingsKey(),
): string {
  return hashKey([kind, settings, footerYear, extra, articles.map(articleContent)]);
}

/** The year the footer shows: the newest article's (never the build clock). */
export function footerYear(newest: { data: { published: Date } } | undefined): number {
  return newest?.data.published.getUTCFullYear() ?? 2026;
}
