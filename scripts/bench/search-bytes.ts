/**
 * Bytes a browser downloads to search a built site: Chromium opens the search page, served on
 * 127.0.0.1 the way a CDN serves it (text gzipped; Pagefind's chunks are already compressed),
 * runs a query, and every response's transferred size is summed, by kind: the query newest first
 * (the default), filtered by a tag, and by best match (which loads every shard).
 *   node scripts/bench/search-bytes.ts --dist DIR [--query robots] [--tag ai-safety]
 * Each search starts from an empty browser cache: it is what a first-time reader pays.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { CONTENT_TYPES, filePathFor, launchChromium } from "../fixtures/browser.ts";
import { startLoopbackServer, type LoopbackServer } from "../fixtures/loopback-server.ts";
import { formatBytes } from "./watchdog.ts";

/** What a CDN compresses: text. Pagefind's index, fragments and wasm are gzip data already. */
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg"]);

/** Serves `root` on 127.0.0.1 with gzip for text, like a CDN (files, index.html, 404.html). */
export function serveLikeCdn(root: string): Promise<LoopbackServer> {
  const gzipped = new Map<string, Buffer>();
  return startLoopbackServer(async (req, res) => {
    const file = filePathFor(root, req.url ?? "/");
    const isFile =
      file !== null &&
      (await stat(file).then(
        (s) => s.isFile(),
        () => false,
      ));
    const path = isFile ? file! : join(root, "404.html");
    const ext = extname(path);
    let body: Buffer = await readFile(path);
    const headers: Record<string, string | number> = { "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream" };
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
      body = gzipped.get(path) ?? gzipped.set(path, gzipSync(body, { level: 9 })).get(path)!;
      headers["content-encoding"] = "gzip";
    }
    headers["content-length"] = body.length;
    res.writeHead(isFile ? 200 : 404, headers);
    res.end(body);
  });
}

export type ByteKind = "page" | "runtime" | "meta" | "filters" | "index" | "fragments";
export const BYTE_KINDS: readonly ByteKind[] = ["page", "runtime", "meta", "filters", "index", "fragments"];

/** Which part of a search a URL path is: the page itself, Pagefind's code, or which index file. */
export function byteKind(path: string): ByteKind {
  if (!path.startsWith("/pagefind/")) return "page";
  if (path.includes("/fragment/")) return "fragments";
  if (path.includes("/index/")) return "index";
  if (path.includes("/filter/")) return "filters";
  if (path.endsWith(".pf_meta")) return "meta";
  return "runtime";
}

export interface SearchBytes {
  /** The search page's address, relative to the site. */
  path: string;
  /** Results the page reported. */
  results: number;
  /** Transferred bytes (bodies as sent, plus headers), in total and by kind. */
  total: number;
  byKind: Record<ByteKind, number>;
  requests: number;
}

/**
 * Opens each search address on a fresh browser context (empty cache), waits for the results
 * and for the network to settle, and sums what was transferred.
 */
export async function measureSearchBytes(dist: string, searches: readonly string[]): Promise<SearchBytes[]> {
  const server = await serveLikeCdn(dist);
  const browser = await launchChromium();
  try {
    const out: SearchBytes[] = [];
    for (const path of searches) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const byKind = Object.fromEntries(BYTE_KINDS.map((k) => [k, 0])) as Record<ByteKind, number>;
      let requests = 0;
      const pending: Promise<void>[] = [];
      page.on("requestfinished", (request) => {
        pending.push(
          request.sizes().then((sizes) => {
            requests++;
            byKind[byteKind(new URL(request.url()).pathname)] += sizes.responseBodySize + sizes.responseHeadersSize;
          }),
        );
      });
      await page.goto(`${server.url}${path}`);
      const status = page.locator("[data-search-status]");
      await status.filter({ hasText: /\d+ results?/ }).waitFor({ timeout: 120_000 });
      await page.waitForLoadState("networkidle");
      await Promise.all(pending);
      const results = Number(/(\d+) results?/.exec((await status.textContent()) ?? "")?.[1] ?? 0);
      const total = Object.values(byKind).reduce((a, b) => a + b, 0);
      out.push({ path, results, total, byKind, requests });
      await context.close();
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** One line per search: total and the split by kind. */
export function formatSearchBytes(result: SearchBytes): string {
  const parts = BYTE_KINDS.map((k) => `${k} ${formatBytes(result.byKind[k])}`).join(", ");
  return `${result.path}: ${formatBytes(result.total)} in ${result.requests} requests (${parts}); ${result.results} results`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { dist: { type: "string" }, query: { type: "string", default: "robots" }, tag: { type: "string", default: "ai-safety" } },
  });
  if (!values.dist) {
    console.error("usage: node scripts/bench/search-bytes.ts --dist DIR [--query WORD] [--tag TAG]");
    process.exit(2);
  }
  const q = encodeURIComponent(values.query);
  // Newest first (the default) reads shards one at a time; best match needs every shard.
  const results = await measureSearchBytes(values.dist, [
    `/search/?q=${q}`,
    `/search/?q=${q}&tag=${encodeURIComponent(values.tag)}`,
    `/search/?q=${q}&sort=best`,
  ]);
  for (const result of results) console.log(formatSearchBytes(result));
}
