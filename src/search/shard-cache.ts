/**
 * Search shards kept between builds: each shard's Pagefind bundle is stored in
 * `<cacheDir>/search/<id>/` with a key (its pages and a hash of what Pagefind reads of each) and
 * the content hash of every bundle file. A shard whose key is unchanged and whose stored files
 * all check out is linked into the site instead of being indexed again. The record also keeps,
 * for each article page, the hash of the whole page with its date and indexed-part hash, so a
 * page the page cache vouches for (same hash as last build) need not be read again.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { contentHash, fileHash, linkOrCopy, listFiles, mapBounded } from "../build/files.ts";

export const SEARCH_CACHE_DIR = "search";
const RECORD = "shards.json";

interface StoredShard {
  key: string;
  files: Record<string, string>;
}
/** What the last build read of an article page: the whole page's hash, its date, its indexed part's hash. */
export interface KnownPage {
  file: string;
  date: string;
  indexed: string;
}
interface ShardRecord {
  version: 1;
  shards: Record<string, StoredShard>;
  pages?: Record<string, KnownPage>;
}

/** An element Pagefind skips whole (`data-pagefind-ignore="all"`: related articles, the article's footer), up to its closing tag. */
const IGNORED_ELEMENT = /<(\w+)\b[^>]*\bdata-pagefind-ignore="all"[^>]*>[\s\S]*?<\/\1>/g;

/**
 * What Pagefind reads of an article page: its marked body (the chrome around it is ignored),
 * without the elements it skips whole, so a page whose related articles changed keeps its
 * shard as it was.
 */
export function indexedPart(html: string, marker: string): string {
  const start = html.indexOf(marker);
  if (start < 0) return html;
  const end = html.lastIndexOf("</article>");
  const body = html.slice(html.lastIndexOf("<", start), end < 0 ? undefined : end + "</article>".length);
  return `${/<html[^>]*>/.exec(html)?.[0] ?? ""}${body.replace(IGNORED_ELEMENT, "")}`;
}

/** A shard's key: its id, Pagefind's version, and each page with the hash of its indexed part. */
export function shardKey(id: string, pages: readonly { path: string; hash: string }[], pagefindVersion: string): string {
  return contentHash(JSON.stringify([id, pagefindVersion, pages.map((p) => [p.path, p.hash])]));
}

export class ShardCache {
  readonly #root: string;
  #record: ShardRecord = { version: 1, shards: {} };
  #pages: Record<string, KnownPage> = {};

  constructor(cacheDir: string) {
    this.#root = join(cacheDir, SEARCH_CACHE_DIR);
  }

  async load(): Promise<void> {
    try {
      const record = JSON.parse(await readFile(join(this.#root, RECORD), "utf8")) as ShardRecord;
      if (record.version === 1 && typeof record.shards === "object") this.#record = record;
    } catch {
      // no record: every shard is indexed
    }
  }

  /** What the last build read of the page at `path`, if the page is byte for byte the same (`fileHash`). */
  knownPage(path: string, fileHash: string | undefined): KnownPage | null {
    const known = this.#record.pages?.[path];
    return fileHash && known?.file === fileHash ? known : null;
  }

  /** Keeps what this build read of a page, for the next build (only pages with a known whole-page hash). */
  rememberPage(path: string, page: KnownPage): void {
    this.#pages[path] = page;
  }

  /**
   * Puts a stored shard into `dest` when its key matches and every stored file checks out; false
   * otherwise. Files are hard-linked (copied where a link cannot be made): the site only reads
   * them, and a copy altered through the link fails the check next time.
   */
  async restore(id: string, key: string, dest: string): Promise<boolean> {
    const stored = this.#record.shards[id];
    if (!stored || stored.key !== key) return false;
    const dir = join(this.#root, id);
    const files = await listFiles(dir);
    if (files.length !== Object.keys(stored.files).length) return false;
    const hashes = await mapBounded(files, 16, (file) => fileHash(join(dir, file)));
    if (files.some((file, i) => stored.files[file] !== hashes[i])) return false;
    const made = new Set<string>();
    for (const file of files) {
      const to = join(dest, file);
      const parent = dirname(to);
      if (!made.has(parent)) await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await mapBounded(files, 16, (file) => linkOrCopy(join(dir, file), join(dest, file)));
    return true;
  }

  /** Stores the bundle just written in `source` (its files only, not other shards' folders inside it). */
  async store(id: string, key: string, source: string, skipDirs: readonly string[]): Promise<void> {
    const dir = join(this.#root, id);
    await rm(dir, { recursive: true, force: true });
    const files = (await listFiles(source)).filter((file) => !skipDirs.some((skip) => file.startsWith(`${skip}/`)));
    const hashes: Record<string, string> = {};
    await mapBounded(files, 16, async (file) => {
      await mkdir(join(dir, file, ".."), { recursive: true });
      await copyFile(join(source, file), join(dir, file));
      hashes[file] = (await fileHash(join(dir, file))) ?? "";
    });
    this.#record.shards[id] = { key, files: hashes };
  }

  /** The content hash of each file of a shard restored or stored this build, by path inside its bundle. */
  shardFiles(id: string): Readonly<Record<string, string>> {
    return this.#record.shards[id]?.files ?? {};
  }

  /** Writes the record, keeping only the shards this build has. */
  async save(ids: readonly string[]): Promise<void> {
    const keep = new Set(ids);
    for (const id of Object.keys(this.#record.shards)) {
      if (keep.has(id)) continue;
      delete this.#record.shards[id];
      await rm(join(this.#root, id), { recursive: true, force: true });
    }
    this.#record.pages = this.#pages;
    await mkdir(this.#root, { recursive: true });
    await writeFile(join(this.#root, RECORD), JSON.stringify(this.#record));
  }
}
