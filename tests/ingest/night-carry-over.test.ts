// An unattended night over real HTTP on 127.0.0.1: one deadline per item, a deadline for the run
// (what is left is carried to the next run), and failed links retried on later runs with a back-off.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArticleFiles } from "../../src/article/files.ts";
import { fetchConfig, parseConfig, type IngestConfig, type IngestConfigInput } from "../../src/ingest/config.ts";
import { createFetcher } from "../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../src/ingest/types.ts";
import { runIngest, type IngestOptions } from "../../src/ingest/pipeline.ts";
import { createBudget } from "../../src/ingest/budget/cost.ts";
import { readRunState, writeRunState } from "../../src/ingest/run-state.ts";
import { createSummarizer } from "../../src/ingest/summarize/summarizers.ts";
import { delayed, html, json, startFixtureWeb, type FixtureWeb } from "../../scripts/fixtures/fixture-web.ts";

const NOW = new Date("2026-06-25T06:00:00Z");
const HOUR = 3_600_000;
const SENTENCES = [
  "Open weights let small teams run language models on their own hardware.",
  "Running inference locally cuts cost and keeps customer data private.",
  "Critics warn that benchmark results rarely match real workloads.",
  "Agents still need careful review before their changes reach production.",
  "Quantised models now fit on a single consumer graphics card.",
  "Researchers expect inference prices to keep falling next year.",
];
const page = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
  SENTENCES.map((sentence, i) => `<p>${sentence} ${SENTENCES[(i + 2) % SENTENCES.length]!.replace(".", " in practice.")}</p>`).join("") +
  `</article></body></html>`;
const rss = (paths: string[], origin: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Links</title>` +
  paths
    .map(
      (path, i) =>
        `<item><title>Story ${path}</title><link>${origin}${path}</link><pubDate>Wed, 24 Jun 2026 0${i % 10}:00:00 GMT</pubDate></item>`,
    )
    .join("") +
  `</channel></rss>`;

let web: FixtureWeb;
let fetcher: Fetcher;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-night-"));
  web = await startFixtureWeb({});
  fetcher = createFetcher({ ...fetchConfig({ retries: 0, respectRobots: false }), allowHosts: [web.hostPort], cacheDir: null });
});

afterAll(async () => {
  await fetcher?.close();
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

function configWith(input: IngestConfigInput): IngestConfig {
  const parsed = parseConfig(input, null);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function options(config: IngestConfig, articles: string, overrides: Partial<IngestOptions> = {}): IngestOptions {
  const summarizer = createSummarizer("extractive", config.summarizer, { budget: createBudget() });
  if (!summarizer.ok) throw new Error(summarizer.reason);
  return {
    config,
    fetcher,
    summarizer: summarizer.value,
    articlesDir: join(dir, articles),
    blockedUrls: new Set(),
    pending: [],
    now: NOW,
    since: new Date("2026-06-01T00:00:00Z"),
    dryRun: false,
    concurrency: 1,
    ...overrides,
  };
}

describe("the item deadline", () => {
  it(
    "covers the page and its discussion together: each alone in time, both together too slow, the item fails alone",
    { timeout: 60_000 },
    async () => {
      const origin = web.url;
      const created = Math.floor(NOW.getTime() / 1000) - 3600;
      const hit = (id: number, path: string) => ({
        objectID: String(id),
        title: `AI story ${id}`,
        url: `${origin}${path}`,
        author: "poster",
        points: 150,
        num_comments: 1,
        created_at: "2026-06-25T05:00:00Z",
        created_at_i: created,
        story_text: null,
      });
      const thread = (id: number, path: string) => ({
        id,
        created_at: "2026-06-25T05:00:00Z",
        created_at_i: created,
        type: "story",
        author: "poster",
        title: `AI story ${id}`,
        url: `${origin}${path}`,
        text: null,
        points: 150,
        parent_id: null,
        story_id: id,
        options: [],
        children: [
          {
            id: id * 10,
            created_at: "2026-06-25T05:10:00Z",
            created_at_i: created + 600,
            type: "comment",
            author: "fan",
            title: null,
            url: null,
            text: "<p>Open weights make this really useful for small teams.</p>",
            points: null,
            parent_id: id,
            story_id: id,
            options: [],
            children: [],
          },
        ],
      });
      web.route("/hn/search_by_date", json({ hits: [hit(1, "/slow/page"), hit(2, "/quick/page")], page: 0, nbPages: 1 }));
      web.route("/slow/page", delayed(1_200, html(page("A slow page"))));
      web.route("/hn/items/1", delayed(1_200, json(thread(1, "/slow/page"))));
      web.route("/quick/page", html(page("A quick page")));
      web.route("/hn/items/2", json(thread(2, "/quick/page")));
      const config = configWith({ sources: { hackerNews: { apiBase: `${origin}/hn`, minPoints: 10 } }, fetch: { itemDeadlineMs: 2_000 } });

      const { report } = await runIngest(options(config, "item-deadline"));
      const slow = report.items.find((i) => i.url.includes("/slow/"));
      const quick = report.items.find((i) => i.url.includes("/quick/"));
      expect(slow).toMatchObject({
        outcome: "failed",
        reason: expect.stringContaining("the item took longer than 2 s to fetch (fetch.itemDeadlineMs)"),
      });
      expect(quick?.outcome).toBe("new");
      web.route("/hn/search_by_date", json({ hits: [], page: 0, nbPages: 1 }));
    },
  );
});

describe("the run deadline", () => {
  it(
    "starts no item after it; those left are reported as not attempted, kept, and tried first by the next run",
    { timeout: 60_000 },
    async () => {
      const paths = Array.from({ length: 6 }, (_, i) => `/deadline/${i}`);
      for (const path of paths) web.route(path, delayed(500, html(page(`Deadline story ${path}`))));
      web.route("/deadline.xml", { headers: { "content-type": "application/rss+xml" }, body: rss(paths, web.url) });
      const input = {
        sources: { hackerNews: { enabled: false }, feeds: [{ name: "deadline", url: `${web.url}/deadline.xml`, topicFilter: false }] },
      };

      const first = await runIngest(options(configWith({ ...input, runDeadlineSeconds: 1 }), "run-deadline"));
      const written = first.report.items.filter((i) => i.outcome === "new").length;
      expect(first.deferred.length).toBeGreaterThan(0);
      expect(written + first.deferred.length).toBe(6);
      expect(first.report.notes).toContain(
        `${first.deferred.length} item(s) not attempted before the run's deadline (runDeadlineSeconds: 1 s): kept in the run state, the next run tries them first`,
      );
      expect(first.report.notAttempted).toEqual(first.deferred.map((c) => c.url));
      // Not attempted means not fetched.
      for (const candidate of first.deferred) expect(web.requestsTo(new URL(candidate.url).pathname)).toHaveLength(0);

      // Through the run state file, as the nightly job does; the source no longer lists them.
      const stateFile = join(dir, "state.json");
      await writeRunState(stateFile, { lastRunAt: NOW, pendingBatches: [], deferred: first.deferred, failedLinks: first.failedLinks });
      const state = await readRunState(stateFile);
      if (!state.ok) throw new Error(state.reason);
      web.route("/deadline.xml", { headers: { "content-type": "application/rss+xml" }, body: rss([], web.url) });
      const second = await runIngest(
        options(configWith(input), "run-deadline", { carried: { deferred: state.value.deferred, failedLinks: state.value.failedLinks } }),
      );
      expect(second.report.items.map((i) => i.outcome)).toEqual(first.deferred.map(() => "new"));
      expect(second.deferred).toEqual([]);
      expect(await readArticleFiles(join(dir, "run-deadline"))).toHaveLength(6);
    },
  );
});

describe("failed links", () => {
  it(
    "are tried again only after a growing back-off, given up after giveUpAfter runs, and shown in the report",
    { timeout: 60_000 },
    async () => {
      web.route("/backoff/broken", (_req, res) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("broken");
      });
      web.route("/backoff.xml", { headers: { "content-type": "application/rss+xml" }, body: rss(["/backoff/broken"], web.url) });
      const config = configWith({
        sources: { hackerNews: { enabled: false }, feeds: [{ name: "backoff", url: `${web.url}/backoff.xml`, topicFilter: false }] },
        failedLinks: { retryAfterHours: 20, giveUpAfter: 3 },
      });
      const tries = () => web.requestsTo("/backoff/broken").length;
      const night = (hoursLater: number, carried: Awaited<ReturnType<typeof runIngest>>) =>
        runIngest(
          options(config, "backoff", {
            now: new Date(NOW.getTime() + hoursLater * HOUR),
            carried: { deferred: carried.deferred, failedLinks: carried.failedLinks },
          }),
        );

      const first = await runIngest(options(config, "backoff"));
      expect(tries()).toBe(1);
      expect(first.failedLinks).toMatchObject([{ failures: 1, gaveUp: false, nextTryAt: new Date(NOW.getTime() + 20 * HOUR) }]);
      expect(
        first.report.notes.some((n) => n.startsWith(`backing off: ${web.url}/backoff/broken failed 1 of 3 times; next try after`)),
      ).toBe(true);

      // Ten hours later the source still lists it, but its back-off has not passed: not fetched.
      const early = await night(10, first);
      expect(tries()).toBe(1);
      expect(early.report.items).toEqual([]);
      expect(early.report.notes).toContain("1 failed link(s) from earlier runs are backing off (not tried tonight)");

      // The next night it is tried again, and waits twice as long after failing again.
      const second = await night(24, early);
      expect(tries()).toBe(2);
      expect(second.failedLinks).toMatchObject([{ failures: 2, gaveUp: false, nextTryAt: new Date(NOW.getTime() + (24 + 40) * HOUR) }]);

      // Tried once more, even though the source has dropped it, and given up on.
      web.route("/backoff.xml", { headers: { "content-type": "application/rss+xml" }, body: rss([], web.url) });
      const third = await night(72, second);
      expect(tries()).toBe(3);
      expect(third.failedLinks).toMatchObject([{ failures: 3, gaveUp: true }]);
      expect(third.report.notes.some((n) => n.startsWith(`gave up on ${web.url}/backoff/broken after 3 failed runs: `))).toBe(true);

      // Given up: never fetched again, even when a source lists it once more.
      web.route("/backoff.xml", { headers: { "content-type": "application/rss+xml" }, body: rss(["/backoff/broken"], web.url) });
      const fourth = await night(200, third);
      expect(tries()).toBe(3);
      expect(fourth.report.items).toEqual([]);
    },
  );

  it("a failed link that works on its next try becomes an article and leaves the list", { timeout: 60_000 }, async () => {
    let failing = true;
    web.route("/recover/page", (_req, res) => {
      res.writeHead(failing ? 503 : 200, { "content-type": "text/html; charset=utf-8" });
      res.end(failing ? "busy" : page("It works now"));
    });
    web.route("/recover.xml", { headers: { "content-type": "application/rss+xml" }, body: rss(["/recover/page"], web.url) });
    const config = configWith({
      sources: { hackerNews: { enabled: false }, feeds: [{ name: "recover", url: `${web.url}/recover.xml`, topicFilter: false }] },
    });
    const first = await runIngest(options(config, "recover"));
    expect(first.failedLinks).toHaveLength(1);
    failing = false;
    const next = await runIngest(
      options(config, "recover", { now: new Date(NOW.getTime() + 24 * HOUR), carried: { deferred: [], failedLinks: first.failedLinks } }),
    );
    expect(next.report.items.map((i) => i.outcome)).toEqual(["new"]);
    expect(next.failedLinks).toEqual([]);
  });
});
