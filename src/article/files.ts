/** Reading article Markdown files: frontmatter (js-yaml 4, as Astro reads it) and body, with YAML errors as values. */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import yaml from "js-yaml";
import { articleFileSchema, type ArticleData } from "./schema.ts";
import { urlKey } from "./url.ts";
import { mapBounded } from "./map-bounded.ts";

/** One article file as read from disk. */
export interface ArticleFile {
  path: string;
  /** The frontmatter as YAML gives it (not yet checked against the schema); null when unreadable. */
  data: unknown;
  /** Everything after the closing `---` line, exactly as in the file. */
  body: string;
  /** Why the frontmatter could not be read, with its line in the file when YAML says. */
  error?: { line: number | null; message: string };
}

/**
 * An article's file name: `*.md`, not hidden. The writer's temp files (`.<name>.md.<id>.tmp`)
 * never match, so a killed run's leftovers are never taken for articles.
 */
export function isArticleFileName(name: string): boolean {
  return name.endsWith(".md") && !name.startsWith(".");
}

/**
 * How two article URLs are matched: the same article whatever its tracking parameters.
 * The writer finds an article's file by it and the checker spots duplicates by it.
 */
export function articleUrlKey(url: string): string {
  return urlKey(url.trim());
}

/**
 * The frontmatter block as Astro finds it (the same pattern its content layer uses), and the
 * line break that ends it: the body is everything after.
 */
const FRONTMATTER = /^\uFEFF?---([\s\S]*?\n)---[^\S\r\n]*(?:\r?\n|$)/;

/** A file's frontmatter text and body, without reading the YAML; null when it has no frontmatter block. */
export function splitFrontmatter(text: string): { frontmatter: string; body: string } | null {
  const block = /^\uFEFF?---\r?\n/.test(text) ? FRONTMATTER.exec(text) : null;
  return block ? { frontmatter: block[1]!, body: text.slice(block[0].length) } : null;
}

/**
 * Splits a Markdown file into frontmatter data and body; YAML errors become `error`. The YAML
 * is read by js-yaml 4's `load`, as Astro reads it, so `npm run check` and the build agree.
 */
export function parseArticleText(path: string, text: string): ArticleFile {
  const block = splitFrontmatter(text);
  if (!block) {
    return {
      path,
      data: null,
      body: text,
      error: { line: 1, message: "expected frontmatter: a `---` line, `name: value` lines, then `---`" },
    };
  }
  const { body } = block;
  try {
    const data: unknown = yaml.load(block.frontmatter);
    if (data === null || data === undefined || typeof data !== "object" || Array.isArray(data)) {
      return { path, data: null, body, error: { line: 2, message: "expected frontmatter fields as `name: value` lines" } };
    }
    return { path, data, body };
  } catch (error) {
    const problem = error as { reason?: string; mark?: { line?: number }; message?: string };
    // js-yaml counts lines from 0 within the block, which starts after the file's first line.
    const line = typeof problem.mark?.line === "number" ? problem.mark.line + 1 : null;
    return { path, data: null, body: "", error: { line, message: `invalid YAML: ${problem.reason ?? problem.message ?? String(error)}` } };
  }
}

/** One article file, read synchronously: for thousands of small files about ten times faster than a promise read. */
export async function readArticleFile(path: string): Promise<ArticleFile> {
  return parseArticleText(path, readFileSync(path, "utf8"));
}

/** Paths of every article file under `articlesDir` (any depth), sorted; [] when the folder is missing. */
export async function listArticlePaths(articlesDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(articlesDir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => isArticleFileName(entry.split(/[\\/]/).pop() ?? entry))
    .map((entry) => join(articlesDir, entry))
    .sort();
}

/** How many files are in hand at once: reads are synchronous, but a picture's check still waits on the disk. */
export const READ_CONCURRENCY = 32;

/** An article's id: its path under the articles folder without `.md`, always with `/` (`2026/2026-06-24-x`). */
export function articleIdOf(articlesDir: string, path: string): string {
  return relative(articlesDir, path).split(sep).join("/").replace(/\.md$/, "");
}

/** Every article file under `articlesDir`, sorted by path, each parsed as the build parses it. */
export async function readArticleFiles(articlesDir: string): Promise<ArticleFile[]> {
  const paths = await listArticlePaths(articlesDir);
  return mapBounded(paths, READ_CONCURRENCY, readArticleFile);
}

/** An archive's article files read once: what a run needs to know of what is already written. */
export interface ArticleArchive {
  files: ArticleFile[];
  /** `articleUrlKey(url)` → file path, for every file with a URL (valid or not). */
  byUrl: Map<string, string>;
  /** The URL of every file that has one, as written. */
  urls: string[];
  /** The files that pass the schema, with their parsed data. */
  articles: { path: string; data: ArticleData }[];
}

/** One pass over an archive's files: the URL index and the parsed articles together. */
export function archiveOf(files: ArticleFile[]): ArticleArchive {
  const byUrl = new Map<string, string>();
  const urls: string[] = [];
  const articles: ArticleArchive["articles"] = [];
  for (const file of files) {
    const url = file.data !== null && typeof file.data === "object" ? (file.data as { url?: unknown }).url : undefined;
    if (typeof url === "string") {
      byUrl.set(articleUrlKey(url), file.path);
      urls.push(url);
    }
    const parsed = articleFileSchema.safeParse(file.data);
    if (parsed.success) articles.push({ path: file.path, data: parsed.data });
  }
  return { files, byUrl, urls, articles };
}

/** Every article file under `articlesDir`, read and indexed once. */
export async function readArticleArchive(articlesDir: string): Promise<ArticleArchive> {
  return archiveOf(await readArticleFiles(articlesDir));
}
