/** Browser-test harness: Debian's Chromium through playwright-core, and a static server for a built site. */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { startLoopbackServer, type LoopbackServer } from "../helpers/loopback-server.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
export const CHROMIUM_MISSING =
  `Chromium not found at ${CHROMIUM_PATH}. The browser tests need Debian's Chromium; install it with:\n` +
  "  sudo apt-get update && sudo apt-get install -y chromium";

/** Launches Chromium, or throws at once with how to install it: a missing browser fails, never skips. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Content types for what Astro and Pagefind write (Pagefind's index files are binary chunks). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".pagefind": "application/octet-stream",
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
};

/** The file a URL path names inside root (`/x/` → `/x/index.html`), or null when it escapes root. */
export function filePathFor(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(root, path));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

/** Serves the built site in `root` on 127.0.0.1, like a CDN would: files, index.html, and 404.html. */
export function serveStatic(root: string): Promise<LoopbackServer> {
  return startLoopbackServer(async (req, res) => {
    const file = filePathFor(root, req.url ?? "/");
    const isFile = file !== null && (await stat(file).then((s) => s.isFile(), () => false));
    if (!isFile) {
      const notFound = await readFile(join(root, "404.html")).catch(() => Buffer.from("Not found"));
      res.writeHead(404, { "content-type": CONTENT_TYPES[".html"] });
      res.end(notFound);
      return;
    }
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type, "content-length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}
