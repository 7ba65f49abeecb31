/** Pagefind indexing of a built site: article pages only (they carry data-pagefind-body). */
import { access, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import { fail, ok, type Result } from "./result.ts";

/** Where `astro build` writes the site; tests and benchmarks move it with THEMATA_OUT_DIR. */
export const DEFAULT_OUT_DIR = "dist";
/** Article pages in the built site, relative to its root (URL `/articles/<slug>/`). */
export const ARTICLE_PAGES_DIR = "articles";
/** The marker the article layout puts on an article's main content; everything else is chrome. */
export const PAGEFIND_BODY_MARKER = "data-pagefind-body";

export function outDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.THEMATA_OUT_DIR || DEFAULT_OUT_DIR;
}

export interface IndexReport {
  /** Pages Pagefind indexed. */
  pages: number;
  /** Article pages found in the built site. */
  articlePages: number;
  /** Where the bundle was written (`<outDir>/pagefind`). */
  bundleDir: string;
  ms: number;
}

/** Paths of the built article pages, `articles/<slug>/index.html`, relative to outDir. */
export async function findArticlePages(outDir: string): Promise<string[]> {
  const root = join(outDir, ARTICLE_PAGES_DIR);
  let slugs: string[];
  try {
    slugs = await readdir(root);
  } catch {
    return [];
  }
  const pages: string[] = [];
  for (const slug of slugs.sort()) {
    const page = join(ARTICLE_PAGES_DIR, slug, "index.html");
    try {
      await access(join(outDir, page));
      pages.push(page);
    } catch {
      // a non-page entry (an asset folder, a stray file) is not an article page
    }
  }
  return pages;
}

/**
 * Indexes the article pages of the site built in `outDir` and writes the bundle to
 * `<outDir>/pagefind`. Fails when Pagefind reports any error, when `expectedArticles` > 0 but
 * no article page was built or indexed, or when article pages lack the body marker (the index
 * would then hold navigation and footer text).
 */
export async function indexSite(
  outDir: string = outDirFromEnv(),
  { expectedArticles = 0 }: { expectedArticles?: number } = {},
): Promise<Result<IndexReport>> {
  const started = performance.now();
  const articlePages = await findArticlePages(outDir);
  if (articlePages.length === 0) {
    if (expectedArticles > 0) {
      return fail(`${expectedArticles} articles exist but ${outDir}/${ARTICLE_PAGES_DIR}/ holds no built article page`);
    }
  } else {
    const sample = await readFile(join(outDir, articlePages[0]), "utf8");
    if (!sample.includes(PAGEFIND_BODY_MARKER)) {
      return fail(`${articlePages[0]} has no ${PAGEFIND_BODY_MARKER}: article pages must mark their main content`);
    }
  }

  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  try {
    if (!index) return fail(`could not start Pagefind: ${errors.join("; ")}`);
    const added = await index.addDirectory({ path: outDir, glob: `${ARTICLE_PAGES_DIR}/**/*.html` });
    if (added.errors.length) return fail(`indexing ${outDir}: ${added.errors.join("; ")}`);
    const bundleDir = join(outDir, "pagefind");
    const written = await index.writeFiles({ outputPath: bundleDir });
    if (written.errors.length) return fail(`writing ${bundleDir}: ${written.errors.join("; ")}`);
    // addDirectory counts every file it read; pages skipped for lacking the body marker show
    // only in the bundle's entry file.
    const pages = await indexedPageCount(bundleDir);
    const problem =
      articlePages.length > 0 && pages === 0
        ? `${articlePages.length} article pages were built but Pagefind indexed none`
        : pages < articlePages.length
          ? `only ${pages} of ${articlePages.length} article pages carry ${PAGEFIND_BODY_MARKER}`
          : null;
    if (problem) {
      await rm(bundleDir, { recursive: true, force: true });
      return fail(problem);
    }
    return ok({ pages, articlePages: articlePages.length, bundleDir, ms: Math.round(performance.now() - started) });
  } finally {
    await index?.deleteIndex();
    await pagefind.close();
  }
}

/** Pages in a written Pagefind bundle, over all languages (from `pagefind-entry.json`). */
export async function indexedPageCount(bundleDir: string): Promise<number> {
  const entry = JSON.parse(await readFile(join(bundleDir, "pagefind-entry.json"), "utf8")) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}

/** How many article Markdown files lie under `articlesDir` (0 when it does not exist). */
export async function countArticleFiles(articlesDir: string): Promise<number> {
  try {
    const entries = await readdir(articlesDir, { recursive: true });
    return entries.filter((name) => name.endsWith(".md")).length;
  } catch {
    return 0;
  }
}
