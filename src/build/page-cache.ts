/**
 * The verified page cache: Astro's incremental build keeps a copy of every keyed page in
 * `<cacheDir>/dist/` and its index in `<cacheDir>/incremental-build.json`, and restores a copy
 * when the page's key and code are unchanged, checking only that the copy exists. Before a
 * build, every copy is checked against the content hash recorded after the last build: a
 * missing, truncated or altered copy drops its page from Astro's index (so it is rendered), and
 * a missing or unreadable record drops the whole index (a cold build). Never a wrong page.
 */
import { copyFile, mkdir, rename, rm, readFile, rmdir, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileHash, linkOrCopy, listFiles, mapBounded } from "./files.ts";

/** Astro's index of cached pages (its `incremental-build.json`, the parts read here). */
interface AstroCacheIndex {
  routes: Record<string, { paths: Record<string, { outputFile: string }> }>;
}

/** What this build recorded of the cache: the content hash of each cached copy, and the rail block they carry. */
export interface PageCacheRecord {
  version: 1;
  /** Hash of the popular-tags block every cached page carries (see rail.ts). */
  rail: string;
  files: Record<string, string>;
  /** Hash of Astro's content store (the parsed articles it reuses when a file's digest is unchanged). */
  dataStore?: string;
}

/** The build cache: outside node_modules (which `npm ci` wipes), moved with THEMATA_CACHE_DIR. */
export const DEFAULT_CACHE_DIR = ".cache/astro";

export function cacheDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.THEMATA_CACHE_DIR || DEFAULT_CACHE_DIR;
}

export const ASTRO_CACHE_INDEX = "incremental-build.json";
export const ASTRO_CACHE_COPIES = "dist";
export const PAGE_CACHE_RECORD = "themata-page-cache.json";
/** Astro's content store in the cache dir: entries it reuses for files whose digest is unchanged. */
export const ASTRO_DATA_STORE = "data-store.json";

export interface VerifyReport {
  /** "cold": nothing reusable (no cache, or no record to check it by); "warm": some pages reusable. */
  state: "cold" | "warm";
  reason?: string;
  /** Cached pages checked and kept. */
  kept: number;
  /** Cached pages dropped, with why (rendered cold this build). */
  dropped: { file: string; reason: string }[];
  /** The rail block the kept copies carry ("" when cold). */
  rail: string;
  /** Hash by copy path of each kept copy, so recording after the build need not read it again. */
  hashes: Map<string, { hash: string; size: number; mtimeMs: number }>;
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return null;
  }
}

/** Where Astro keeps a page's cached copy. */
export function cachedCopyPath(cacheDir: string, outputFile: string): string {
  return join(cacheDir, ASTRO_CACHE_COPIES, outputFile);
}

/** Checks every cached page against the record, and edits Astro's index so only verified copies are reused. */
export async function verifyPageCache(cacheDir: string): Promise<VerifyReport> {
  const indexPath = join(cacheDir, ASTRO_CACHE_INDEX);
  const index = await readJson<AstroCacheIndex>(indexPath);
  const cold = (reason: string): VerifyReport => ({ state: "cold", reason, kept: 0, dropped: [], rail: "", hashes: new Map() });
  const record = await readJson<PageCacheRecord>(join(cacheDir, PAGE_CACHE_RECORD));
  // A content store that is not the one recorded is dropped: Astro reads every article again.
  const storePath = join(cacheDir, ASTRO_DATA_STORE);
  if ((await fileHash(storePath)) !== (record?.dataStore ?? null)) await rm(storePath, { force: true });
  if (!index?.routes) return cold("no page cache");
  if (record?.version !== 1 || typeof record.files !== "object" || typeof record.rail !== "string") {
    // Copies nobody recorded cannot be checked: none is reused (the content store went above).
    await rm(indexPath, { force: true });
    return cold("the page cache has no record of its files: every page is rendered");
  }
  const entries = Object.values(index.routes).flatMap((route) =>
    Object.entries(route.paths ?? {}).map(([pathname, entry]) => ({ route, pathname, entry })),
  );
  const hashes = new Map<string, { hash: string; size: number; mtimeMs: number }>();
  const checked = await mapBounded(entries, 16, async ({ entry }) => {
    const path = cachedCopyPath(cacheDir, entry.outputFile);
    const expected = record.files[entry.outputFile];
    if (!expected) return "not recorded";
    const info = await stat(path).catch(() => null);
    if (!info) return "missing";
    const hash = await fileHash(path);
    if (hash !== expected) return "content differs from the record";
    hashes.set(entry.outputFile, { hash, size: info.size, mtimeMs: info.mtimeMs });
    return null;
  });
  const dropped: { file: string; reason: string }[] = [];
  entries.forEach(({ route, pathname, entry }, i) => {
    const reason = checked[i];
    if (reason === null) return;
    dropped.push({ file: entry.outputFile, reason });
    delete route.paths[pathname];
  });
  if (dropped.length > 0) await writeFile(indexPath, JSON.stringify(index));
  return { state: "warm", kept: entries.length - dropped.length, dropped, rail: record.rail, hashes };
}

/** The cached copies Astro's index lists after a build. */
export async function cachedOutputFiles(cacheDir: string): Promise<string[]> {
  const index = await readJson<AstroCacheIndex>(join(cacheDir, ASTRO_CACHE_INDEX));
  return Object.values(index?.routes ?? {})
    .flatMap((route) => Object.values(route.paths ?? {}).map((entry) => entry.outputFile))
    .sort();
}

/**
 * How many cached copies this build wrote (pages rendered) and left (pages reused), and which
 * were left: a copy modified since `since` was written.
 */
export async function countRendered(
  cacheDir: string,
  outputs: readonly string[],
  since: number,
): Promise<{ rendered: number; reused: number; reusedFiles: string[] }> {
  const times = await mapBounded(outputs, 16, async (file) => (await stat(cachedCopyPath(cacheDir, file)).catch(() => null))?.mtimeMs ?? 0);
  const reusedFiles = outputs.filter((_, i) => times[i] < since);
  return { rendered: outputs.length - reusedFiles.length, reused: reusedFiles.length, reusedFiles };
}

/**
 * Records the content hash of every cached copy after a build (copies left as verified are not
 * read again), with the rail block they carry. Returns the hashes by output file (the built
 * site's copy of a page is the same file: Astro writes or restores both, the rail swap rewrites both).
 */
export async function recordPageCache(
  cacheDir: string,
  outputs: readonly string[],
  rail: string,
  verified: VerifyReport["hashes"],
): Promise<Map<string, string>> {
  const files: Record<string, string> = {};
  await mapBounded(outputs, 16, async (outputFile) => {
    const path = cachedCopyPath(cacheDir, outputFile);
    const info = await stat(path).catch(() => null);
    if (!info) return;
    const known = verified.get(outputFile);
    const hash = known && known.size === info.size && known.mtimeMs === info.mtimeMs ? known.hash : await fileHash(path);
    if (hash) files[outputFile] = hash;
  });
  const dataStore = (await fileHash(join(cacheDir, ASTRO_DATA_STORE))) ?? undefined;
  const record: PageCacheRecord = { version: 1, rail, files, dataStore };
  await writeFile(join(cacheDir, PAGE_CACHE_RECORD), JSON.stringify(record));
  return new Map(Object.entries(files));
}

/**
 * Makes `outDir` hold every verified cached page as a hard link to the cache's copy, and nothing
 * else: Astro finds each reusable page already in place and copies nothing (restoring 12,000
 * pages one copy at a time took 10 s). A page still linked from the last build stays as it is;
 * every other file goes (emptying the whole folder alone took 6 s at 10k). Astro itself must then
 * not empty the folder (THEMATA_KEEP_OUT_DIR, read by astro.config.mjs). Returns the pages in place.
 */
export async function linkCachedPages(cacheDir: string, outDir: string, verified: VerifyReport["hashes"]): Promise<string[]> {
  const outputs = [...verified.keys()].sort();
  const wanted = new Set(outputs);
  const inPlace = new Set<string>();
  const removed: string[] = [];
  await mapBounded(await listFiles(outDir), 16, async (file) => {
    const built = join(outDir, file);
    // Linked last build, and the cached copy is shared with no older site: nothing to do.
    if (wanted.has(file) && (await linkCount(built, cachedCopyPath(cacheDir, file))) === 2) inPlace.add(file);
    else {
      await rm(built, { force: true });
      removed.push(file);
    }
  });
  await removeEmptyFolders(outDir, removed);
  const missing = outputs.filter((file) => !inPlace.has(file));
  const folders = new Set(missing.map((file) => dirname(join(outDir, file))));
  await mapBounded([...folders], 16, (folder) => mkdir(folder, { recursive: true }));
  await mapBounded(missing, 16, async (file) => {
    const copy = cachedCopyPath(cacheDir, file);
    await detachCopy(copy);
    await linkOrCopy(copy, join(outDir, file));
  });
  return outputs;
}

/** How many names the two paths' one file has, or 0 when they are not one file. */
async function linkCount(a: string, b: string): Promise<number> {
  const [x, y] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return x && y && x.ino === y.ino && x.dev === y.dev ? x.nlink : 0;
}

/**
 * Gives a cached copy a file of its own when another name still shares it (an earlier dist/
 * moved aside, say): this build writes pages in place, and must never change an old build's files.
 */
async function detachCopy(copy: string): Promise<void> {
  const info = await stat(copy);
  if (info.nlink <= 1) return;
  const temp = `${copy}.detach`;
  await copyFile(copy, temp);
  // The same modification time: a copy not written by this build is a page reused (countRendered).
  await utimes(temp, info.atime, info.mtime);
  await rename(temp, copy);
}

/**
 * Removes the pages put in place before the build that the build no longer has (a deleted
 * article's page, a tag page gone): `outputs` is every cached page after the build. Folders left
 * empty go too, so the site holds exactly what a cold build writes. Returns how many were removed.
 */
export async function removeStalePages(outDir: string, linked: readonly string[], outputs: readonly string[]): Promise<number> {
  const current = new Set(outputs);
  const stale = linked.filter((file) => !current.has(file));
  await mapBounded(stale, 16, (file) => rm(join(outDir, file), { force: true }));
  await removeEmptyFolders(outDir, stale);
  return stale.length;
}

/** Removes the folders of `removed` files that are now empty, deepest first; a folder that is not empty stays. */
async function removeEmptyFolders(root: string, removed: readonly string[]): Promise<void> {
  const folders = [...new Set(removed.flatMap((file) => parentFolders(file)))].sort((a, b) => b.length - a.length);
  for (const folder of folders) await rmdir(join(root, folder)).catch(() => undefined);
}

/** `a/b/c.html` → `a/b`, `a`. */
function parentFolders(file: string): string[] {
  const parts = file.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("/"));
}
