// Fetcher limits over real HTTP on 127.0.0.1: timeouts, drips, huge bodies, compression bombs, statuses and retries.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { createFetcher, type FetcherOptions } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import { fetchConfig } from "../../../src/ingest/config.ts";
import {
  delayed,
  drip,
  flaky,
  gzipBomb,
  html,
  hugeBody,
  stall,
  startFixtureWeb,
  tooManyRequests,
  type FixtureWeb,
} from "../../../scripts/fixtures/fixture-web.ts";

const MB = 1024 * 1024;
const hugeChunked = hugeBody({ bytes: 50 * MB });
const hugeDeclared = hugeBody({ bytes: 50 * MB, declareLength: true });
let web: FixtureWeb;
const fetchers: Fetcher[] = [];

beforeAll(async () => {
  web = await startFixtureWeb({
    "/stall": stall(),
    "/drip": drip({ intervalMs: 50 }),
    "/huge": hugeChunked,
    "/huge-declared": hugeDeclared,
    "/gzip-bomb": gzipBomb({ decodedBytes: 64 * MB }),
    "/br-bomb": gzipBomb({ decodedBytes: 64 * MB, encoding: "br" }),
    "/small-gzip": gzipBomb({ decodedBytes: 64 * 1024 }),
    "/gone": html("<p>gone</p>", { status: 410 }),
    "/flaky": flaky({ failures: 1, status: 503, then: html("<p>second time lucky</p>") }),
    "/down": flaky({ failures: 1000, status: 503, then: html("never") }),
    "/not-implemented": html("no", { status: 501 }),
    "/busy": tooManyRequests("1", html("<p>thanks for waiting</p>")),
    "/busy-for-an-hour": tooManyRequests("3600", html("never")),
    "/slow": delayed(2000, html("<p>late</p>")),
    "/corrupt-gzip": { headers: { "content-type": "text/html", "content-encoding": "gzip" }, body: "this is not gzip" },
    "/lzw": { headers: { "content-type": "text/html", "content-encoding": "compress" }, body: "x" },
  });
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
afterAll(async () => {
  await web.close();
});

function fetcher(extra: Partial<FetcherOptions> = {}): Fetcher {
  const created = createFetcher({
    ...fetchConfig(),
    allowHosts: [web.hostPort],
    cacheDir: null,
    respectRobots: false,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1000,
    bodyTimeoutMs: 2000,
    retries: 2,
    retryBaseMs: 10,
    retryMaxMs: 2000,
    ...extra,
  });
  fetchers.push(created);
  return created;
}

test("a server that never sends headers fails after headersTimeoutMs, retried as configured", async () => {
  const result = await fetcher({ headersTimeoutMs: 200, retries: 1 }).get(`${web.url}/stall`, "html");
  expect(result).toEqual({
    ok: false,
    reason: `${web.url}/stall: no response headers within 200 ms; gave up after 2 attempts`,
  });
  expect(web.requestsTo("/stall")).toHaveLength(2);
});

test("a server that drips one byte every 50 ms is cut off at bodyTimeoutMs for the whole body", async () => {
  const result = await fetcher({ bodyTimeoutMs: 400 }).get(`${web.url}/drip`, "html");
  expect(result).toEqual({ ok: false, reason: `${web.url}/drip: the body did not arrive within 400 ms` });
  // Not retried: a slow body would be slow again.
  expect(web.requestsTo("/drip")).toHaveLength(1);
  expect(web.requestsTo("/drip")[0]!.finished).toBe(false);
});

test("a name that never resolves fails after connectTimeoutMs", async () => {
  const result = await fetcher({ connectTimeoutMs: 100, retries: 0, resolve: () => new Promise(() => {}) }).get(
    "http://never.test/x",
    "html",
  );
  expect(result).toEqual({ ok: false, reason: "http://never.test/x: could not resolve never.test within 100 ms; gave up after 1 attempt" });
});

test("the caller's AbortSignal stops a fetch in flight", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const result = await fetcher({ headersTimeoutMs: 5000 }).get(`${web.url}/slow`, "html", controller.signal);
  expect(result).toEqual({ ok: false, reason: `${web.url}/slow: aborted` });
});

test("a 50 MB streamed body fails at the 5 MB cap, and the server stops well short of 50 MB", async () => {
  const result = await fetcher().get(`${web.url}/huge`, "html");
  expect(result).toEqual({
    ok: false,
    reason: `${web.url}/huge: the body is larger than 5 MB (maxBytes); download stopped`,
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(hugeChunked.stats.done).toBe(true);
  // Only what socket buffers held beyond the cap left the server, never the whole 50 MB.
  expect(hugeChunked.stats.sent).toBeLessThan(20 * MB);
  expect(web.requestsTo("/huge")[0]!.finished).toBe(false);
});

test("a 50 MB Content-Length is refused from the header alone", async () => {
  const result = await fetcher().get(`${web.url}/huge-declared`, "html");
  expect(result).toMatchObject({ ok: false, reason: expect.stringContaining("the body is larger than 5 MB (maxBytes)") });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(hugeDeclared.stats.sent).toBeLessThan(20 * MB);
});

test("maxBytes is configurable and counted exactly", async () => {
  const result = await fetcher({ maxBytes: 64 * 1024 - 1 }).get(`${web.url}/small-gzip`, "html");
  expect(result).toMatchObject({ ok: false, reason: expect.stringContaining("larger than 64 KB once decompressed") });
  const fits = await fetcher({ maxBytes: 64 * 1024 }).get(`${web.url}/small-gzip`, "html");
  expect(fits.ok && fits.value.body.length).toBe(64 * 1024);
});

test.each(["gzip", "br"])("a %s bomb (64 MB of spaces in a small body) is refused once 5 MB are decompressed", async (encoding) => {
  const result = await fetcher().get(`${web.url}/${encoding}-bomb`, "html");
  expect(result).toEqual({
    ok: false,
    reason: `${web.url}/${encoding}-bomb: the body is larger than 5 MB once decompressed (maxBytes); download stopped`,
  });
});

test.each([
  ["/missing", "HTTP 404 Not Found"],
  ["/gone", "HTTP 410 Gone"],
  ["/not-implemented", "HTTP 501 Not Implemented"],
])("%s fails with %s at once, without retrying", async (path, why) => {
  const before = web.requestsTo(path).length;
  expect(await fetcher().get(`${web.url}${path}`, "html")).toEqual({ ok: false, reason: `${web.url}${path}: ${why}` });
  expect(web.requestsTo(path).length - before).toBe(1);
});

test("503 then 200 is retried and succeeds", async () => {
  const result = await fetcher().get(`${web.url}/flaky`, "html");
  expect(result.ok && result.value.text).toBe("<p>second time lucky</p>");
  expect(web.requestsTo("/flaky").map((r) => r.status)).toEqual([503, 200]);
});

test("a server that stays at 503 fails after 1 + retries attempts", async () => {
  const result = await fetcher({ retries: 2 }).get(`${web.url}/down`, "html");
  expect(result).toEqual({ ok: false, reason: `${web.url}/down: HTTP 503 Service Unavailable; gave up after 3 attempts` });
  expect(web.requestsTo("/down")).toHaveLength(3);
});

test("429 with Retry-After: 1 waits that second, then succeeds", async () => {
  const result = await fetcher({ retryBaseMs: 1 }).get(`${web.url}/busy`, "html");
  expect(result.ok && result.value.text).toBe("<p>thanks for waiting</p>");
  const [first, second] = web.requestsTo("/busy");
  expect([first!.status, second!.status]).toEqual([429, 200]);
  // The backoff alone would be ~1 ms: the gap is the server's Retry-After.
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
});

test("a Retry-After longer than retryMaxMs is a failure, not a shorter wait", async () => {
  const result = await fetcher({ retryMaxMs: 2000 }).get(`${web.url}/busy-for-an-hour`, "html");
  expect(result).toEqual({
    ok: false,
    reason: `${web.url}/busy-for-an-hour: HTTP 429 Too Many Requests; Retry-After asks for 3600 s, longer than retryMaxMs (2000 ms)`,
  });
  expect(web.requestsTo("/busy-for-an-hour")).toHaveLength(1);
});

test("a refused connection is retried, then fails with the reason", async () => {
  const closed = await startFixtureWeb();
  const url = `${closed.url}/x`;
  await closed.close();
  const result = await fetcher({ allowHosts: [closed.hostPort], retries: 1 }).get(url, "html");
  expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/ECONNREFUSED.*gave up after 2 attempts$/) });
});

test("a body that is not the gzip it claims, or in an encoding we cannot read, fails clearly", async () => {
  expect(await fetcher().get(`${web.url}/corrupt-gzip`, "html")).toEqual({
    ok: false,
    reason: `${web.url}/corrupt-gzip: the body could not be decompressed: incorrect header check`,
  });
  expect(await fetcher().get(`${web.url}/lzw`, "html")).toEqual({
    ok: false,
    reason: `${web.url}/lzw: unsupported content encoding compress`,
  });
});
