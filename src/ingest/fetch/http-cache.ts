/** The fetcher's conditional-GET cache on disk: the last body of each URL with its ETag / Last-Modified. */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One stored response: what a 304 lets the fetcher return again. */
export interface CachedResponse {
  url: string;
  status: number;
  /** The Content-Type header as the server sent it (charset included). */
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  /** ISO time it was stored. */
  storedAt: string;
  /** The decoded (decompressed) body. */
  body: Buffer;
}

export interface HttpCache {
  /** The stored response for this exact URL, or null (none, unreadable, or for another URL). */
  read(url: string): Promise<CachedResponse | null>;
  /** Stores a response; a failure to write only means no cache next time, so it is swallowed. */
  write(entry: CachedResponse): Promise<void>;
}

/** sha256 of the URL, hex: the file name of its cache entry. */
export function cacheKey(url: string): string {
  return createHash("sha256").update(url).digest("hex");
}

/**
 * A cache under `dir`: one file per URL at `<dir>/<first 2 hex>/<sha256>` holding a JSON header line,
 * a newline, then the body bytes. One file per entry, written to a temp file and renamed into place,
 * so a reader sees a whole old entry or a whole new one, never headers of one and body of another.
 */
export function createHttpCache(dir: string): HttpCache {
  const pathFor = (key: string) => join(dir, key.slice(0, 2), key);
  return {
    async read(url) {
      let bytes: Buffer;
      try {
        bytes = await readFile(pathFor(cacheKey(url)));
      } catch {
        return null;
      }
      const newline = bytes.indexOf(0x0a);
      if (newline === -1) return null;
      try {
        const header = JSON.parse(bytes.subarray(0, newline).toString("utf8")) as Omit<CachedResponse, "body">;
        if (header.url !== url || typeof header.status !== "number" || typeof header.contentType !== "string") return null;
        return { ...header, body: bytes.subarray(newline + 1) };
      } catch {
        return null;
      }
    },
    async write(entry) {
      const key = cacheKey(entry.url);
      const target = pathFor(key);
      const temp = join(dir, key.slice(0, 2), `.${key}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
      const { body, ...header } = entry;
      try {
        await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
        // JSON.stringify never emits a raw newline, so the first 0x0a ends the header.
        await writeFile(temp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, "utf8"), body]));
        await rename(temp, target);
      } catch {
        await rm(temp, { force: true }).catch(() => {});
      }
    },
  };
}
