/**
 * What a deploy must upload: the built site's files compared by content hash with the previous
 * build's, written outside `dist/` as lists of added, changed and removed paths.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileHash, listFiles, mapBounded } from "./files.ts";

/** The built files' hashes, kept in the cache for the next build to compare with. */
export const BUILT_FILES_RECORD = "themata-built-files.json";
/** Where the list of changed files goes by default: beside the cache, outside `dist/`. */
export const DEFAULT_CHANGES_FILE = ".cache/deploy-changes.json";

export interface SiteChanges {
  /** Paths relative to the site root, sorted. */
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** False when there was no previous build to compare with: every file is "added". */
  compared: boolean;
}

/** The hash of every file in the built site, by path; `known` gives hashes already computed this build (not read again). */
export async function hashSite(outDir: string, known: ReadonlyMap<string, string> = new Map()): Promise<Record<string, string>> {
  const files = await listFiles(outDir);
  const hashes = await mapBounded(files, 16, async (file) => known.get(file) ?? fileHash(join(outDir, file)));
  const out: Record<string, string> = {};
  files.forEach((file, i) => {
    if (hashes[i]) out[file] = hashes[i];
  });
  return out;
}

/** The difference between two builds' file hashes. */
export function diffSites(previous: Record<string, string> | null, current: Record<string, string>): SiteChanges {
  const before = previous ?? {};
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [file, hash] of Object.entries(current)) {
    if (!(file in before)) added.push(file);
    else if (before[file] !== hash) changed.push(file);
    else unchanged++;
  }
  const removed = Object.keys(before).filter((file) => !(file in current));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged, compared: previous !== null };
}

/**
 * Compares the built site with the previous build, writes the changes to `changesFile`, and
 * records this build for the next. `known`: hashes this build already has of files in the site
 * (pages from the page cache's record, search files from the shard record), which are not read again.
 */
export async function writeSiteChanges(
  outDir: string,
  cacheDir: string,
  changesFile: string,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<SiteChanges> {
  const recordPath = join(cacheDir, BUILT_FILES_RECORD);
  const previous = await readFile(recordPath, "utf8").then(
    (text) => JSON.parse(text) as Record<string, string>,
    () => null,
  );
  const current = await hashSite(outDir, known);
  const changes = diffSites(previous, current);
  await mkdir(dirname(changesFile), { recursive: true });
  await writeFile(changesFile, `${JSON.stringify(changes, null, 1)}\n`);
  await writeFile(recordPath, JSON.stringify(current));
  return changes;
}

/** Files that differ between two built sites: missing on either side, or with other bytes. */
export async function differingFiles(a: string, b: string): Promise<string[]> {
  const [left, right] = await Promise.all([hashSite(a), hashSite(b)]);
  const all = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return all.filter((file) => left[file] === undefined || left[file] !== right[file]);
}
