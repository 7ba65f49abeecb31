// The fetcher on good and odd pages over real HTTP on 127.0.0.1: decoding, content types, charsets, conditional GET, concurrency.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createFetcher, type FetcherOptions } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import { sniffMediaType } from "../../../src/ingest/fetch/media.ts";
import { fetchConfig } from "../../../src/ingest/config.ts";
import { SITE } from "../../../src/site.config.ts";
import { conditional, empty, html, json, pdf, startFixtureWeb, text, type FixtureWeb } from "../../../scripts/fixtures/fixture-web.ts";

/** "Café “quoted” € 5" in windows-1252 bytes. */
const CP1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20, 0x80, 0x20, 0x35]);
const CP1252_TEXT = "Café “quoted” € 5";
const page = (head: string, body: Buffer) =>
  Buffer.concat([Buffer.from(`<html><head>${head}</head><body><p>`), body, Buffer.from("</p></body></html>")]);
const decodedPage = (head: string, body: string) => `<html><head>${head}</head><body><p>${body}</p></body></html>`;

function encoded(encoding: "gzip" | "br" | "deflate", body: string) {
  const bytes = encoding === "gzip" ? gzipSync(body) : encoding === "br" ? brotliCompressSync(body) : deflateSync(body);
  return { headers: { "content-type": "text/html; charset=utf-8", "content-encoding": encoding }, body: bytes };
}

let web: FixtureWeb;
const fetchers: Fetcher[] = [];

beforeAll(async () => {
  web = await startFixtureWeb({
    "/article": html("<html><head><title>An article</title></head><body><p>Hello, wörld.</p></body></html>"),
    "/gzip": encoded("gzip", "<p>gzip wörks</p>"),
    "/br": encoded("br", "<p>brotli wörks</p>"),
    "/deflate": encoded("deflate", "<p>deflate wörks</p>"),
    "/broken": html("<html><body><p>unclosed <div><b>bold</i></td>"),
    "/empty": empty(),
    "/paper.pdf": pdf(),
    "/feed.xml": text('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>', "application/rss+xml"),
    "/latin1-feed.xml": {
      headers: { "content-type": "application/xml" },
      body: Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>'), CP1252, Buffer.from("</title></rss>")]),
    },
    "/item.json": json({ id: 1, title: "ünïcode" }),
    "/pixel.png": { headers: { "content-type": "image/png" }, body: Buffer.from("89504e470d0a1a0a0000", "hex") },
    "/notes.txt": text("plain notes"),
    "/no-type": { body: "<!DOCTYPE html><html><body><p>sniffed</p></body></html>" },
    "/cp1252-header": html(page("", CP1252), { charset: "windows-1252" }),
    "/cp1252-meta": html(page('<meta charset="windows-1252">', CP1252), { charset: null }),
    "/cp1252-http-equiv": html(page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', CP1252), {
      charset: null,
    }),
    "/bogus-header-label": html(page('<meta charset="windows-1252">', CP1252), { charset: "klingon" }),
    "/header-beats-meta": html(page('<meta charset="utf-8">', CP1252), { charset: "windows-1252" }),
    "/wrong-charset": html(page("", CP1252), { charset: "utf-8" }),
    "/no-charset-utf8": html(Buffer.from("<p>héllo</p>"), { charset: null }),
    "/bom": html(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<p>bom wins: é</p>")]), { charset: "windows-1252" }),
    "/shift-jis": html(Buffer.from([0x3c, 0x70, 0x3e, 0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x3c, 0x2f, 0x70, 0x3e]), {
      charset: "shift_jis",
    }),
  });
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
afterAll(() => web.close());

function fetcher(extra: Partial<FetcherOptions> = {}): Fetcher {
  const created = createFetcher({
    ...fetchConfig(),
    allowHosts: [web.hostPort],
    cacheDir: null,
    respectRobots: false,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1000,
    bodyTimeoutMs: 2000,
    retries: 1,
    retryBaseMs: 10,
    ...extra,
  });
  fetchers.push(created);
  return created;
}

describe("a good page", () => {
  test("comes back with its status, type, bytes and decoded text", async () => {
    const result = await fetcher().get(`${web.url}/article`, "html");
    const body = "<html><head><title>An article</title></head><body><p>Hello, wörld.</p></body></html>";
    expect(result).toEqual({
      ok: true,
      value: {
        url: `${web.url}/article`,
        finalUrl: `${web.url}/article`,
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: Buffer.from(body),
        text: body,
        fromCache: false,
      },
    });
  });

  test("is asked for with a User-Agent naming the site and compression offered", async () => {
    await fetcher().get(`${web.url}/article`, "html");
    const headers = web.requestsTo("/article").at(-1)!.headers;
    expect(headers["user-agent"]).toBe(fetchConfig().userAgent);
    expect(fetchConfig().userAgent).toBe(`ThemataBot/0.1 (+${SITE.url}/about/)`);
    expect(headers["accept-encoding"]).toBe("gzip, deflate, br");
    expect(headers.accept).toMatch(/^text\/html/);
    expect(headers.cookie).toBeUndefined();
  });

  test.each(["gzip", "br", "deflate"])("%s-encoded bodies are decompressed", async (encoding) => {
    const result = await fetcher().get(`${web.url}/${encoding}`, "html");
    expect(result.ok && result.value.text).toBe(`<p>${encoding === "br" ? "brotli" : encoding} wörks</p>`);
  });

  test("broken HTML is returned as it came (repairing it is extraction's job)", async () => {
    const result = await fetcher().get(`${web.url}/broken`, "html");
    expect(result.ok && result.value.text).toBe("<html><body><p>unclosed <div><b>bold</i></td>");
  });

  test("an empty page is returned, ok, with empty text (extraction decides what that means)", async () => {
    const result = await fetcher().get(`${web.url}/empty`, "html");
    expect(result.ok && [result.value.status, result.value.body.length, result.value.text]).toEqual([200, 0, ""]);
  });
});

describe("content types", () => {
  test("a PDF asked for as html is skipped, not failed", async () => {
    expect(await fetcher().get(`${web.url}/paper.pdf`, "html")).toEqual({
      ok: false,
      reason: "unsupported content type application/pdf",
      skip: true,
    });
  });

  test("an HTML page asked for as a feed, and JSON asked for as HTML, are skipped", async () => {
    expect(await fetcher().get(`${web.url}/article`, "feed")).toEqual({
      ok: false,
      reason: "unsupported content type text/html",
      skip: true,
    });
    expect(await fetcher().get(`${web.url}/item.json`, "html")).toEqual({
      ok: false,
      reason: "unsupported content type application/json",
      skip: true,
    });
  });

  test("feeds take XML types, json takes JSON, text takes text/*", async () => {
    const f = fetcher();
    const feed = await f.get(`${web.url}/feed.xml`, "feed");
    expect(feed.ok && feed.value.text).toContain("<title>Feed</title>");
    const item = await f.get(`${web.url}/item.json`, "json");
    expect(item.ok && JSON.parse(item.value.text)).toEqual({ id: 1, title: "ünïcode" });
    const notes = await f.get(`${web.url}/notes.txt`, "text");
    expect(notes.ok && notes.value.text).toBe("plain notes");
  });

  test("an image keeps its bytes and has empty text", async () => {
    const result = await fetcher().get(`${web.url}/pixel.png`, "image");
    expect(result.ok && [result.value.contentType, result.value.body.toString("hex"), result.value.text]).toEqual([
      "image/png",
      "89504e470d0a1a0a0000",
      "",
    ]);
  });

  test("a response without Content-Type is sniffed", async () => {
    const result = await fetcher().get(`${web.url}/no-type`, "html");
    expect(result.ok && [result.value.contentType, result.value.text]).toEqual([
      "text/html",
      "<!DOCTYPE html><html><body><p>sniffed</p></body></html>",
    ]);
  });
});

describe("charsets", () => {
  test.each([
    ["/cp1252-header", "", "the Content-Type header"],
    ["/cp1252-meta", '<meta charset="windows-1252">', "<meta charset> alone"],
    ["/cp1252-http-equiv", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "<meta http-equiv> alone"],
    ["/bogus-header-label", '<meta charset="windows-1252">', "<meta> when the header's label is unknown"],
    ["/header-beats-meta", '<meta charset="utf-8">', "the header over a contradicting <meta>"],
  ])("%s: windows-1252 bytes are decoded from %s", async (path, head) => {
    const result = await fetcher().get(`${web.url}${path}`, "html");
    expect(result.ok && result.value.text).toBe(decodedPage(head, CP1252_TEXT));
  });

  test("bytes that do not match the declared charset still come back, with U+FFFD where they break", async () => {
    const result = await fetcher().get(`${web.url}/wrong-charset`, "html");
    expect(result.ok && result.value.text).toBe(decodedPage("", "Caf\uFFFD \uFFFDquoted\uFFFD \uFFFD 5"));
  });

  test("no charset anywhere means UTF-8", async () => {
    const result = await fetcher().get(`${web.url}/no-charset-utf8`, "html");
    expect(result.ok && result.value.text).toBe("<p>héllo</p>");
  });

  test("a byte-order mark wins over the header, and is dropped from the text", async () => {
    const result = await fetcher().get(`${web.url}/bom`, "html");
    expect(result.ok && result.value.text).toBe("<p>bom wins: é</p>");
  });

  test("Shift_JIS is decoded (full ICU)", async () => {
    const result = await fetcher().get(`${web.url}/shift-jis`, "html");
    expect(result.ok && result.value.text).toBe("<p>日本語</p>");
  });

  test("an XML feed's encoding declaration is used when the header has none", async () => {
    const result = await fetcher().get(`${web.url}/latin1-feed.xml`, "feed");
    expect(result.ok && result.value.text).toContain(`<title>${CP1252_TEXT}</title>`);
  });
});

describe("conditional GET cache", () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "themata-http-cache-"));
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  test("a rerun sends If-None-Match, gets 304 with no body, and returns the cached page", async () => {
    web.route("/etag", conditional({ body: "<p>cached page</p>", etag: '"v1"' }));
    const first = await fetcher({ cacheDir }).get(`${web.url}/etag`, "html");
    expect(first.ok && first.value.fromCache).toBe(false);
    // A new fetcher, as a new nightly run would make: the cache is on disk.
    const second = await fetcher({ cacheDir }).get(`${web.url}/etag`, "html");
    expect(second.ok && [second.value.fromCache, second.value.status, second.value.text]).toEqual([true, 200, "<p>cached page</p>"]);
    const log = web.requestsTo("/etag");
    expect(log.map((r) => [r.status, r.bodyBytes, r.headers["if-none-match"]])).toEqual([
      [200, 18, undefined],
      [304, 0, '"v1"'],
    ]);
    // Whole entries only: no temp file is left behind.
    const names = (await readdir(cacheDir, { recursive: true })).map(String);
    expect(names.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  test("Last-Modified alone is sent back as If-Modified-Since", async () => {
    const lastModified = "Tue, 23 Jun 2026 10:00:00 GMT";
    web.route("/dated", conditional({ body: "<p>dated</p>", lastModified }));
    await fetcher({ cacheDir }).get(`${web.url}/dated`, "html");
    const second = await fetcher({ cacheDir }).get(`${web.url}/dated`, "html");
    expect(second.ok && second.value.fromCache).toBe(true);
    expect(web.requestsTo("/dated").map((r) => [r.status, r.headers["if-modified-since"]])).toEqual([
      [200, undefined],
      [304, lastModified],
    ]);
  });

  test("a changed page is fetched in full and replaces the cached copy", async () => {
    web.route("/changing", conditional({ body: "<p>old</p>", etag: '"a"' }));
    await fetcher({ cacheDir }).get(`${web.url}/changing`, "html");
    web.route("/changing", conditional({ body: "<p>new</p>", etag: '"b"' }));
    const changed = await fetcher({ cacheDir }).get(`${web.url}/changing`, "html");
    expect(changed.ok && [changed.value.fromCache, changed.value.text]).toEqual([false, "<p>new</p>"]);
    const again = await fetcher({ cacheDir }).get(`${web.url}/changing`, "html");
    expect(again.ok && [again.value.fromCache, again.value.text]).toEqual([true, "<p>new</p>"]);
    expect(web.requestsTo("/changing").map((r) => r.headers["if-none-match"])).toEqual([undefined, '"a"', '"b"']);
  });

  test("a page without validators is not cached; with cacheDir null nothing is sent back", async () => {
    await fetcher({ cacheDir }).get(`${web.url}/article`, "html");
    await fetcher({ cacheDir }).get(`${web.url}/article`, "html");
    web.route("/etag-nocache", conditional({ body: "<p>x</p>", etag: '"z"' }));
    await fetcher({ cacheDir: null }).get(`${web.url}/etag-nocache`, "html");
    await fetcher({ cacheDir: null }).get(`${web.url}/etag-nocache`, "html");
    const conditionals = [...web.requestsTo("/article"), ...web.requestsTo("/etag-nocache")].filter((r) => r.headers["if-none-match"]);
    expect(conditionals).toEqual([]);
  });
});

describe("concurrency limits", () => {
  function countingRoute(counter: { now: number; max: number }) {
    return async (_req: IncomingMessage, res: ServerResponse) => {
      counter.now++;
      counter.max = Math.max(counter.max, counter.now);
      await new Promise((resolve) => setTimeout(resolve, 100));
      counter.now--;
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<p>counted</p>");
    };
  }

  test("with perHostConcurrency 2, the server never sees more than 2 requests at once (and does see 2)", async () => {
    const counter = { now: 0, max: 0 };
    web.route("/counted/*", countingRoute(counter));
    const f = fetcher({ perHostConcurrency: 2, globalConcurrency: 10 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f.get(`${web.url}/counted/${i}`, "html")));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(counter.max).toBe(2);
  });

  test("globalConcurrency caps requests across hosts", async () => {
    const counter = { now: 0, max: 0 };
    const [a, b] = await Promise.all([
      startFixtureWeb({ "/*": countingRoute(counter) }),
      startFixtureWeb({ "/*": countingRoute(counter) }, { host: "127.0.0.3" }),
    ]);
    try {
      const f = fetcher({ allowHosts: [a.hostPort, b.hostPort], perHostConcurrency: 2, globalConcurrency: 3 });
      const urls = [a, b].flatMap((site) => Array.from({ length: 4 }, (_, i) => `${site.url}/${i}`));
      const results = await Promise.all(urls.map((url) => f.get(url, "html")));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(counter.max).toBe(3);
      expect(Math.max(a.maxInFlight, b.maxInFlight)).toBeLessThanOrEqual(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("pure helpers", () => {
  test("sniffMediaType recognises the common formats by their first bytes", () => {
    expect(sniffMediaType(Buffer.from("%PDF-1.7"))).toBe("application/pdf");
    expect(sniffMediaType(Buffer.from("  <!doctype html><html>"))).toBe("text/html");
    expect(sniffMediaType(Buffer.from('<?xml version="1.0"?><feed>'))).toBe("application/xml");
    expect(sniffMediaType(Buffer.from('{"a":1}'))).toBe("application/json");
    expect(sniffMediaType(Buffer.from("89504e470d0a1a0a", "hex"))).toBe("image/png");
    expect(sniffMediaType(Buffer.from([0, 1, 2, 3]))).toBe("application/octet-stream");
  });
});
