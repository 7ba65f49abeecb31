/** The content checker behind `npm run check`: every article and page against the schemas, every problem listed. */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { articleFileSchema, discussionSchema, pageSchema, type ArticleData } from "./schema.ts";
import { articleUrlKey, isArticleFileName, parseArticleText, readArticleFiles, type ArticleFile } from "./files.ts";
import { describeIssues } from "./schema-issues.ts";

export interface CheckOptions {
  articlesDir: string;
  pagesDir: string;
  /** Paths in messages are relative to this folder (default: the working directory). */
  root?: string;
}

export interface CheckReport {
  articles: number;
  pages: number;
  /** One line per problem: `path: field: what was expected`. */
  problems: string[];
}

/** Names `locked` may list: top-level fields, and the discussion's own (`discussion.points`). */
const LOCKABLE = new Set([
  ...Object.keys(articleFileSchema.shape),
  ...Object.keys(discussionSchema.shape).map((key) => `discussion.${key}`),
]);
const FILE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks every article under `articlesDir` and page under `pagesDir`; never throws for a bad file. */
export async function checkContent(options: CheckOptions): Promise<CheckReport> {
  const root = options.root ?? process.cwd();
  const shown = (path: string) => relative(root, path) || path;
  const problems: string[] = [];

  const articles = await readArticleFiles(options.articlesDir);
  const firstByUrl = new Map<string, string>();
  for (const file of articles) {
    const path = shown(file.path);
    for (const problem of await articleProblems(file)) problems.push(`${path}: ${problem}`);
    const url = isRecord(file.data) && typeof file.data.url === "string" ? articleUrlKey(file.data.url) : null;
    if (url === null) continue;
    const first = firstByUrl.get(url);
    if (first) problems.push(`${path}: url: expected one file per article, but ${first} has the same URL`);
    else firstByUrl.set(url, path);
  }

  const pages = await readPages(options.pagesDir);
  for (const file of pages) {
    const path = shown(file.path);
    if (file.error) problems.push(`${path}: ${yamlProblem(file.error)}`);
    else {
      const parsed = pageSchema.safeParse(file.data);
      if (!parsed.success) for (const issue of describeIssues(parsed.error, file.data)) problems.push(`${path}: ${issue}`);
    }
  }
  return { articles: articles.length, pages: pages.length, problems };
}

/** One article file checked: its data when it passes, and everything wrong with it. */
export interface CheckedArticle {
  /** The parsed frontmatter, or null when the file has any problem. */
  data: ArticleData | null;
  /** Each problem as `field: what was expected`; empty when the file is good. */
  problems: string[];
}

/** Everything wrong with one article file, each as `field: what was expected`. */
export async function articleProblems(file: ArticleFile): Promise<string[]> {
  return (await checkArticle(file)).problems;
}

/** Checks one article file as `npm run check` does; the site's build reads articles through it. */
export async function checkArticle(file: ArticleFile): Promise<CheckedArticle> {
  if (file.error) return { data: null, problems: [yamlProblem(file.error)] };
  const problems: string[] = [];
  const name = basename(file.path, ".md");
  if (!FILE_SLUG.test(name)) {
    problems.push(
      `file name: expected a lowercase slug such as 2026-06-24-some-title.md (it is the page's URL), found "${basename(file.path)}"`,
    );
  }
  const parsed = articleFileSchema.safeParse(file.data);
  if (!parsed.success) problems.push(...describeIssues(parsed.error, file.data));
  const data = isRecord(file.data) ? file.data : {};

  if (Array.isArray(data.locked)) {
    const unknown = data.locked.filter((field) => typeof field === "string" && !LOCKABLE.has(field));
    if (unknown.length) {
      problems.push(
        `locked: expected names of fields of this article (such as summary, takeaways, tags, heat), found ${unknown.map((field) => `"${field}"`).join(", ")}`,
      );
    }
  }

  const image = isRecord(data.image) ? data.image : null;
  if (image && typeof image.src === "string" && image.src) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(image.src) || image.src.startsWith("//")) {
      problems.push(
        `image.src: expected a picture stored beside the article, such as ./images/${name}.webp (pictures are never hot-linked), found "${image.src}"`,
      );
    } else if (!(await isFile(resolve(dirname(file.path), image.src)))) {
      problems.push(`image.src: expected a picture at ${image.src} (relative to this file), but there is no such file`);
    }
  }
  return { data: parsed.success && problems.length === 0 ? parsed.data : null, problems };
}

function yamlProblem(error: NonNullable<ArticleFile["error"]>): string {
  return error.line ? `line ${error.line}: ${error.message}` : error.message;
}

/** The static pages: `*.md` directly in the folder. */
async function readPages(pagesDir: string): Promise<ArticleFile[]> {
  let names: string[];
  try {
    names = await readdir(pagesDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const paths = names
    .filter(isArticleFileName)
    .sort()
    .map((name) => join(pagesDir, name));
  return Promise.all(paths.map(async (path) => parseArticleText(path, await readFile(path, "utf8"))));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The closing line: a count when all is well, else how many problems in how many files. */
export function checkSummary(report: CheckReport): string {
  const checked = `${report.articles} article${report.articles === 1 ? "" : "s"} and ${report.pages} page${report.pages === 1 ? "" : "s"}`;
  if (report.problems.length === 0) return `Checked ${checked}: no problems.`;
  const files = new Set(report.problems.map((problem) => problem.slice(0, problem.indexOf(": ")))).size;
  return `Checked ${checked}: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}.`;
}
