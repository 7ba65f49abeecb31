/**
 * The articles of a build, read once: sorted newest first, grouped by tag, counted, with
 * related articles, and the paths pages link to. Every page and feed reads this one catalog
 * (a module-level cache), so a build never re-reads or re-sorts the collection per page.
 */
import type { CollectionEntry } from "astro:content";
import { SITE } from "../site.config.ts";
import { countTags, popularTags, type TagCount } from "./popular-tags.ts";
import { groupByTag, newestFirst, type ListedArticle } from "./order.ts";
import { relatedArticles } from "./related.ts";
import { groupByMonth, type ArchiveMonth } from "./archive.ts";
import { groupByWeek, type DigestWeek } from "./digest.ts";

export type Article = CollectionEntry<"articles">;

/** The page slug of an entry id: its basename (`2026/2026-06-24-x` → `2026-06-24-x`). */
export function pageSlug(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

/** `/articles/<slug>/`. */
export function articlePath(id: string): string {
  return `/articles/${pageSlug(id)}/`;
}

/** The article's Markdown file in the repository (for "Suggest a fix"). */
export function articleSourcePath(id: string): string {
  return `content/articles/${id}.md`;
}

/** `/tags/<tag>/`. */
export function tagPath(tag: string): string {
  return `/tags/${tag}/`;
}

/** `/tags/<tag>/rss.xml`. */
export function tagFeedPath(tag: string): string {
  return `/tags/${tag}/rss.xml`;
}

export interface Catalog<T extends ListedArticle> {
  /** Every article, newest first. */
  articles: T[];
  bySlug: Map<string, T>;
  /** Each tag's articles, newest first. */
  byTag: Map<string, T[]>;
  /** Every tag with its count, most used first. */
  tags: TagCount[];
  /** The home page's popular tags. */
  popular: TagCount[];
  /** Related articles by article id, best first. */
  related: Map<string, T[]>;
}

export interface CatalogOptions {
  popularTags: number;
  popularWindowDays: number;
  relatedCount: number;
}

/** Builds the catalog; two files with the same basename would share one URL, so that throws, naming both. */
export function buildCatalog<T extends ListedArticle>(entries: readonly T[], options: CatalogOptions): Catalog<T> {
  const articles = [...entries].sort(newestFirst);
  const bySlug = new Map<string, T>();
  for (const article of articles) {
    const slug = pageSlug(article.id);
    const other = bySlug.get(slug);
    if (other) {
      throw new Error(
        `content/articles/${other.id}.md and content/articles/${article.id}.md share the URL ${articlePath(slug)}: rename one`,
      );
    }
    bySlug.set(slug, article);
  }
  const byTag = groupByTag(articles);
  return {
    articles,
    bySlug,
    byTag,
    tags: countTags(articles),
    popular: popularTags(articles, { limit: options.popularTags, windowDays: options.popularWindowDays }),
    related: relatedArticles(articles, { count: options.relatedCount }, byTag),
  };
}

let catalog: Promise<Catalog<Article>> | undefined;

/** The build's catalog, read from the `articles` collection on first use and shared by every page after. */
export function getCatalog(): Promise<Catalog<Article>> {
  catalog ??= (async () => {
    // Imported here, not at the top, so the pure helpers above load in plain Node and vitest.
    const { getCollection } = await import("astro:content");
    return buildCatalog(await getCollection("articles"), {
      popularTags: SITE.popularTags,
      popularWindowDays: SITE.popularWindowDays,
      relatedCount: SITE.relatedCount,
    });
  })();
  return catalog;
}

let months: Promise<ArchiveMonth<Article>[]> | undefined;
let weeks: Promise<DigestWeek<Article>[]> | undefined;

/** The archive's months, newest first, from the build's catalog. */
export function getArchiveMonths(): Promise<ArchiveMonth<Article>[]> {
  months ??= getCatalog().then(({ articles }) => groupByMonth(articles));
  return months;
}

/** The digest's weeks, newest first (the first is "so far"), from the build's catalog. */
export function getDigestWeeks(): Promise<DigestWeek<Article>[]> {
  weeks ??= getCatalog().then(({ articles }) => groupByWeek(articles));
  return weeks;
}

/** Comment permalinks of the discussion sites we know. */
const COMMENT_PERMALINKS: Readonly<Record<string, (id: string) => string>> = {
  "hacker-news": (id) => `https://news.ycombinator.com/item?id=${encodeURIComponent(id)}`,
};

/** Display names of discussion sites; others show as stored. */
const DISCUSSION_SITE_NAMES: Readonly<Record<string, string>> = { "hacker-news": "Hacker News" };

/**
 * Where a cited comment can be read, or null: on an unknown site, without a discussion, and
 * always on sample articles, whose comment ids are made up and must never point at real threads.
 */
export function commentUrl(site: string | undefined, id: string, sample: boolean): string | null {
  if (sample || !site) return null;
  return COMMENT_PERMALINKS[site]?.(id) ?? null;
}

/** "Hacker News" for `hacker-news`; a feed's own name otherwise. */
export function discussionSiteName(site: string): string {
  return DISCUSSION_SITE_NAMES[site] ?? site;
}
