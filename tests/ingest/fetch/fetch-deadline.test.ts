// One deadline per fetch over real HTTP on 127.0.0.1: every redirect hop, error body, retry and Retry-After wait counts against it.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { fetchConfig } from "../../../src/ingest/config.ts";
import { createFetcher } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import { drippingRedirect, drippingUnavailable, html, startFixtureWeb, type FixtureWeb } from "../../../scripts/fixtures/fixture-web.ts";

let web: FixtureWeb;
const fetchers: Fetcher[] = [];

beforeAll(async () => {
  // Five redirects, each body dripping for ~0.8 s (under bodyTimeoutMs, so no single hop is cut off).
  const hops: Record<string, ReturnType<typeof drippingRedirect>> = {};
  for (let i = 1; i <= 5; i++) hops[`/hop/${i}`] = drippingRedirect(i < 5 ? `/hop/${i + 1}` : "/landed", { intervalMs: 50, chunks: 16 });
  web = await startFixtureWeb({
    ...hops,
    "/landed": html("<p>finally</p>"),
    // A 503 asking to come back in 1 s, its body dripping for ~0.8 s, every time.
    "/unavailable": drippingUnavailable("1", { intervalMs: 50, chunks: 16 }),
  });
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
afterAll(() => web.close());

function fetcher(itemDeadlineMs: number): Fetcher {
  const created = createFetcher({
    ...fetchConfig({
      itemDeadlineMs,
      bodyTimeoutMs: 5_000,
      headersTimeoutMs: 5_000,
      retries: 5,
      retryBaseMs: 10,
      retryMaxMs: 5_000,
      respectRobots: false,
    }),
    allowHosts: [web.hostPort],
    cacheDir: null,
  });
  fetchers.push(created);
  return created;
}

test(
  "a chain of dripping redirects ends at the fetch deadline, not after every hop has had its own time",
  { timeout: 60_000 },
  async () => {
    const result = await fetcher(2_000).get(`${web.url}/hop/1`, "html");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/the fetch took longer than 2 s \(fetch\.itemDeadlineMs\)$/);
    // Each hop alone is within its limits; the deadline stops the chain before its end.
    expect(web.requestsTo("/hop/5")).toHaveLength(0);
    expect(web.requestsTo("/landed")).toHaveLength(0);
  },
);

test("the same chain with time to spare is followed to its end", { timeout: 60_000 }, async () => {
  const result = await fetcher(30_000).get(`${web.url}/hop/1`, "html");
  expect(result).toMatchObject({ ok: true, value: { finalUrl: `${web.url}/landed`, text: "<p>finally</p>" } });
});

test("a dripping 503 with Retry-After is retried only while the deadline leaves time for it", { timeout: 60_000 }, async () => {
  const before = web.requestsTo("/unavailable").length;
  const result = await fetcher(2_500).get(`${web.url}/unavailable`, "html");
  expect(result.ok).toBe(false);
  expect(!result.ok && result.reason).toMatch(
    /HTTP 503 Service Unavailable; (no time left before the deadline to wait 1 s for attempt \d|then the fetch took longer than 2\.5 s \(fetch\.itemDeadlineMs\))/,
  );
  // retries: 5 would allow 6 attempts; the deadline allows far fewer.
  expect(web.requestsTo("/unavailable").length - before).toBeLessThanOrEqual(2);
});
