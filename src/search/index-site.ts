/** Pagefind indexing of a built site: article pages only (they carry data-pagefind-body). */
import { readFileSync } from "node:fs";
import { access, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pagefind from "pagefind";
import { fail, ok, type Result } from "../article/result.ts";
import { contentHash } from "../build/files.ts";
import { ShardCache, indexedPart, shardKey } from "./shard-cache.ts";
import { BUNDLE_DIR, planShards, type DatedPage, type ShardPlan } from "./shards.ts";

export { BUNDLE_DIR, planShards, type DatedPage, type ShardPlan } from "./shards.ts";

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
  /** Where the bundle was written (`<outDir>/pagefind`; older shards in its subfolders). */
  bundleDir: string;
  /** Index shards written (see `planShards`). */
  shards: number;
  /** Shards indexed by this build; the others were copied from the cache, unchanged. */
  reindexed: number;
  ms: number;
  /** The content hash of every bundle file, by path relative to the out dir (with a cache; else empty), so the changed-files list need not read them. */
  fileHashes: Map<string, string>;
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
 * Articles per index shard at most. Small, because an edit to an old article re-indexes its whole
 * shard (about 3 ms an article on 2 cores) and Pagefind holds a shard in memory while indexing it (~150 KB an
 * article); a search sorted by date loads shards one at a time, newest first, so small shards cost
 * it nothing, while best match and heat load them all (each adds its metadata and the query word's chunk).
 */
export const DEFAULT_SHARD_PAGES = 1_000;
/** The list of index shards the search page merges, written beside the newest shard's bundle. */
export const SHARD_MANIFEST = "shards.json";

/** The article's date as the search sorts it (`data-pagefind-sort="date[datetime]"`), or "" when the page has none. */
export function pageSortDate(html: string): string {
  const element = /<[^>]*\bdata-pagefind-sort="date\[datetime\]"[^>]*>/.exec(html)?.[0];
  return (element && /\bdatetime="([^"]*)"/.exec(element)?.[1]) || "";
}

/** One shard as the search page reads it from `pagefind/shards.json`, newest first. */
export interface ShardEntry {
  id: string;
  /** Bundle path relative to `/pagefind/`: "" for the newest shard, `<id>/` for the others. */
  path: string;
  pages: number;
  newest: string;
  oldest: string;
}

/**
 * Indexes the article pages of the site built in `outDir` into Pagefind bundles: the newest
 * shard in `<outDir>/pagefind`, older ones in `<outDir>/pagefind/<id>` (see `planShards`), and
 * the list of shards in `<outDir>/pagefind/shards.json`. With a `cacheDir`, a shard whose pages
 * are unchanged since the last build is copied from the cache instead (see shard-cache.ts). One
 * shard is indexed at a time and its index closed before the next. Fails when Pagefind reports
 * any error, when `expectedArticles` > 0 but no article page was built or indexed, or when
 * article pages lack the body marker (the index would then hold navigation and footer text).
 */
export async function indexSite(
  outDir: string = outDirFromEnv(),
  {
    expectedArticles = 0,
    maxShardPages = shardPagesFromEnv(),
    cacheDir,
    pageHashes = new Map(),
  }: {
    expectedArticles?: number;
    maxShardPages?: number;
    cacheDir?: string;
    /** Whole-page hashes the page cache recorded this build (`articles/<slug>/index.html` → hash), for the pages it holds. */
    pageHashes?: ReadonlyMap<string, string>;
  } = {},
): Promise<Result<IndexReport>> {
  const started = performance.now();
  const articlePages = await findArticlePages(outDir);
  if (articlePages.length === 0 && expectedArticles > 0) {
    return fail(`${expectedArticles} articles exist but ${outDir}/${ARTICLE_PAGES_DIR}/ holds no built article page`);
  }
  const cache = cacheDir ? new ShardCache(cacheDir) : null;
  await cache?.load();
  // Each page's date and the hash of what Pagefind reads of it: from the last build's record when
  // the page is byte for byte the one it read, else read once now.
  const dated: DatedPage[] = [];
  const hashes = new Map<string, string>();
  let unmarked = 0;
  for (const path of articlePages) {
    const fileHash = pageHashes.get(path);
    const known = cache?.knownPage(path, fileHash);
    if (known) {
      dated.push({ path, date: known.date });
      hashes.set(path, known.indexed);
      cache!.rememberPage(path, known);
      continue;
    }
    // Read synchronously, as build files are (see fileHash in src/build/files.ts).
    const html = readFileSync(join(outDir, path), "utf8");
    if (!html.includes(PAGEFIND_BODY_MARKER)) {
      // The first page unmarked: the layout lost the marker (else some pages alone lack it).
      if (dated.length === 0) return fail(`${path} has no ${PAGEFIND_BODY_MARKER}: article pages must mark their main content`);
      unmarked++;
    }
    const page = { file: fileHash ?? "", date: pageSortDate(html), indexed: contentHash(indexedPart(html, PAGEFIND_BODY_MARKER)) };
    dated.push({ path, date: page.date });
    hashes.set(path, page.indexed);
    if (fileHash && contentHash(html) === fileHash) cache?.rememberPage(path, page);
  }
  if (unmarked > 0)
    return fail(`only ${articlePages.length - unmarked} of ${articlePages.length} article pages carry ${PAGEFIND_BODY_MARKER}`);
  const shards: ShardPlan[] = planShards(dated, maxShardPages);
  const bundleDir = join(outDir, BUNDLE_DIR);
  await rm(bundleDir, { recursive: true, force: true });
  if (shards.length === 0) shards.push({ id: "empty", dir: BUNDLE_DIR, pages: [], newest: "", oldest: "" });

  const version = await pagefindVersion();
  const manifest: ShardEntry[] = [];
  const fileHashes = new Map<string, string>();
  let pages = 0;
  let reindexed = 0;
  try {
    for (const shard of shards) {
      const key = shardKey(
        shard.id,
        shard.pages.map((path) => ({ path, hash: hashes.get(path) ?? "" })),
        version,
      );
      const shardDir = join(outDir, shard.dir);
      let count: number;
      if (cache && (await cache.restore(shard.id, key, shardDir))) {
        count = await indexedPageCount(shardDir);
      } else {
        const indexed = await indexShard(outDir, shard, shards.length > 1);
        if (!indexed.ok) return indexed;
        count = indexed.value;
        reindexed++;
        // The newest shard's folder will also hold the others': store its own files only.
        await cache?.store(
          shard.id,
          key,
          shardDir,
          shards.filter((s) => s !== shard).map((s) => s.id),
        );
      }
      for (const [file, hash] of Object.entries(cache?.shardFiles(shard.id) ?? {})) fileHashes.set(`${shard.dir}/${file}`, hash);
      pages += count;
      manifest.push({
        id: shard.id,
        path: shard.dir === BUNDLE_DIR ? "" : `${shard.id}/`,
        pages: count,
        newest: shard.newest,
        oldest: shard.oldest,
      });
    }
  } finally {
    if (reindexed > 0) await pagefind.close();
  }
  await cache?.save(shards.map((s) => s.id));
  await writeFile(join(bundleDir, SHARD_MANIFEST), `${JSON.stringify({ shards: manifest })}\n`);
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
  return ok({
    pages,
    articlePages: articlePages.length,
    bundleDir,
    shards: manifest.length,
    reindexed,
    ms: Math.round(performance.now() - started),
    fileHashes,
  });
}

/** The installed Pagefind's version: a new one writes other bundles, so every shard is indexed again. */
async function pagefindVersion(): Promise<string> {
  try {
    const url = new URL("../../node_modules/pagefind/package.json", import.meta.url);
    return (JSON.parse(await readFile(url, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * One shard. When there are several, Pagefind reads a shard's pages through a folder of links
 * that mirrors the site (so page URLs stay `/articles/<slug>/`). Its index is closed once
 * written, freeing its memory before the next.
 */
async function indexShard(outDir: string, shard: ShardPlan, mirrored: boolean): Promise<Result<number>> {
  const mirror = mirrored ? await mkdtemp(join(tmpdir(), "themata-search-shard-")) : null;
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  try {
    if (!index) return fail(`could not start Pagefind: ${errors.join("; ")}`);
    for (const path of mirror ? shard.pages : []) {
      await mkdir(join(mirror!, dirname(path)), { recursive: true });
      await symlink(join(outDir, path), join(mirror!, path));
    }
    const added = await index.addDirectory({ path: mirror ?? outDir, glob: `${ARTICLE_PAGES_DIR}/**/*.html` });
    if (added.errors.length) return fail(`indexing ${outDir}: ${added.errors.join("; ")}`);
    const shardDir = join(outDir, shard.dir);
    const written = await index.writeFiles({ outputPath: shardDir });
    if (written.errors.length) return fail(`writing ${shardDir}: ${written.errors.join("; ")}`);
    // addDirectory counts every file it read; pages skipped for lacking the body marker show
    // only in the bundle's entry file.
    return ok(await indexedPageCount(shardDir));
  } finally {
    await index?.deleteIndex();
    if (mirror) await rm(mirror, { recursive: true, force: true });
  }
}

/** THEMATA_SEARCH_SHARD_PAGES, else DEFAULT_SHARD_PAGES (tests set it small to exercise several shards). */
export function shardPagesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.THEMATA_SEARCH_SHARD_PAGES);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_SHARD_PAGES;
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
