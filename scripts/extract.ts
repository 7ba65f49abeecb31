/** `npm run extract -- FILE_OR_URL [--url URL] [--allow-host HOST]...`: prints one page's extraction as JSON. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseAllowHosts } from "../src/ingest/fetch/address-guard.ts";
import { extractionReport } from "../src/ingest/extract/extract.ts";
import { createFetcher, decodeBody } from "../src/ingest/fetch/fetcher.ts";
import { fetchConfig } from "../src/ingest/config.ts";

const USAGE = `usage: npm run extract -- FILE_OR_URL [--url URL] [--allow-host HOST[:PORT]]...

Prints what extraction makes of one page, as JSON: title, byline, siteName, publishedTime,
lang, excerpt, text, wordCount, canonicalUrl, image, the cleaned title, reading minutes and
the extraction level (full, partial, none) with its reason.

  FILE_OR_URL          a saved HTML file, or an http(s) URL fetched with the ingest's fetcher
  --url URL            for a FILE: the page's address, to resolve relative links against
  --allow-host HOST    for a URL: let the fetcher reach this loopback/private host (repeatable)`;

function usage(problem: string): never {
  console.error(`extract: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      "allow-host": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) usage(positionals.length === 0 ? "give one FILE or URL" : `one FILE or URL, not ${positionals.length}`);
const [target] = positionals;
if (values.url !== undefined && !isHttpUrl(values.url)) usage(`--url must be an http(s) URL, not "${values.url}"`);

let html: string;
let url: string;
let fetched: { finalUrl: string; status: number; contentType: string } | null = null;

if (isHttpUrl(target)) {
  if (values.url !== undefined) usage("--url is for a FILE; a URL is its own address");
  const allowHosts = values["allow-host"] ?? [];
  const allowed = parseAllowHosts(allowHosts);
  if (!allowed.ok) usage(`--allow-host: ${allowed.reason}`);
  // No cache: a maintainer asking why a page came out as it did wants the page as it is now.
  const fetcher = createFetcher({ ...fetchConfig(), allowHosts, cacheDir: null });
  try {
    const page = await fetcher.get(target, "html");
    if (!page.ok) {
      console.error(`extract: ${page.skip ? "skipped" : "failed"}: ${page.reason}`);
      process.exit(1);
    }
    ({ text: html, finalUrl: url } = page.value);
    fetched = { finalUrl: page.value.finalUrl, status: page.value.status, contentType: page.value.contentType };
  } finally {
    await fetcher.close();
  }
} else {
  if (values["allow-host"]) usage("--allow-host is for a URL");
  const path = resolve(target);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : code === "EACCES" ? "permission denied" : String(error);
    console.error(`extract: cannot read ${target}: ${why}`);
    process.exit(1);
  }
  html = decodeBody(bytes, "text/html"); // charset from a BOM or <meta charset>, else UTF-8
  // Without --url, relative links have nothing to resolve against and are left out.
  url = values.url ?? pathToFileURL(path).href;
}

console.log(JSON.stringify({ url, ...(fetched ? { fetched } : {}), ...extractionReport(html, url) }, null, 2));
