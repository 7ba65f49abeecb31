/**
 * The articles of a build, read once: sorted newest first, grouped by tag, counted, with
 * related articles, and the paths pages link to. Every page and feed reads this one catalog
 * (a module-level cache), so a build never re-reads or re-sorts the articles per page.
 *
 * Articles are read from their files and checked as `npm run check` checks them, not through
 * Astro's content store (see src/article/loader.ts for the part Astro keeps: pictures and bodies).
 */
import type { ImageMetadata } from "astro";
import { SITE } from "../site.config.ts";
import { ARTICLES_DIR, type ArticleData } from "../article/schema.ts";
import { articleIdOf, listArticlePaths, READ_CONCURRENCY, readArticleFile, type ArticleFile } from "../article/files.ts";
import { checkArticle } from "../article/check.ts";
import { mapBounded } from "../article/map-bounded.ts";
import { countTags, popularTags, type TagCount } from "./popular-tags.ts";
import { groupByTag, newestFirst, type ListedArticle } from "./order.ts";
import { relatedArticles } from "./related.ts";
import { groupByMonth, type ArchiveMonth } from "./archive.ts";
import { groupByWeek, type DigestWeek } from "./digest.ts";

/** An article as pages see it: its fields, its picture's metadata (from Astro's `image()`), and its editor's note. */
export interface Article {
  /** Its path under content/articles without `.md` (`2026/2026-06-24-x`). */
  id: string;
  data: Omit<ArticleData, "image"> & { image?: { src: ImageMetadata; alt: string } };
  /** The editor's note as written (Markdown); "" when it has none. Rendered through the `articleExtras` entry. */
  body: string;
}

/** What Astro's `articleExtras` collection holds of an article: its picture's metadata. */
export interface ArticleExtra {
  id: string;
  data: { image?: { src: ImageMetadata } };
}

/** Finds an article's `articleExtras` entry (its picture's metadata) by id. */
export type ExtraLookup = (id: string) => Promise<ArticleExtra | undefined>;

/** One article file as the site shows it, or everything wrong with it (`path: field: what was expected`). */
export async function articleOf(articlesDir: string, file: ArticleFile, extraOf: ExtraLookup): Promise<Article | string[]> {
  const { data, problems } = await checkArticle(file);
  if (!data) return problems.map((problem) => `${file.path}: ${problem}`);
  const id = articleIdOf(articlesDir, file.path);
  const body = file.body.trim() ? file.body : "";
  const { image, ...fields } = data;
  if (!image) return { id, data: fields, body };
  const picture = (await extraOf(id))?.data.image?.src;
  if (!picture) return [`${file.path}: image.src: expected a picture the build could read at ${image.src}`];
  return { id, data: { ...fields, image: { src: picture, alt: image.alt } }, body };
}

/**
 * Reads and checks every article under `articlesDir`, joining each to its picture's metadata.
 * Every problem of every file is listed in one error, as `npm run check` lists them. Files are
 * read a few at a time and only their checked fields kept, so the raw text never piles up.
 */
export async function readArticles(articlesDir: string, extraOf: ExtraLookup): Promise<Article[]> {
  const read = await mapBounded(await listArticlePaths(articlesDir), READ_CONCURRENCY, async (path) =>
    articleOf(articlesDir, await readArticleFile(path), extraOf),
  );
  const problems = read.filter((item): item is string[] => Array.isArray(item)).flat();
  if (problems.length) {
    throw new Error(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the articles (\`npm run check\` lists them too):\n${problems.join("\n")}`,
    );
  }
  return read as Article[];
}

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
    const { getEntry } = await import("astro:content");
    const articles = await readArticles(ARTICLES_DIR, async (id) => getEntry("articleExtras", id));
    return buildCatalog(articles, {
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
