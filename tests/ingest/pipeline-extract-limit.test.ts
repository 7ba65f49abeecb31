// The nightly run with a small extraction time limit from its config: the page past it fails alone, named, and the rest are written.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedPage } from "../../scripts/fixtures/hostile-pages.ts";
import { html, startFixtureWeb, type FixtureWeb } from "../../scripts/fixtures/fixture-web.ts";
import { fetchConfig, parseConfig } from "../../src/ingest/config.ts";
import { createFetcher } from "../../src/ingest/fetch/fetcher.ts";
import { createBudget } from "../../src/ingest/budget/cost.ts";
import { runIngest } from "../../src/ingest/pipeline.ts";
import { createSummarizer } from "../../src/ingest/summarize/summarizers.ts";
import type { Fetcher } from "../../src/ingest/types.ts";

const NOW = new Date("2026-06-25T06:00:00Z");
const SENTENCES = [
  "Open weights let teams run inference on their own hardware.",
  "Running models locally cuts cost and keeps customer data private.",
  "Critics warn that benchmark results rarely match real workloads.",
  "Quantised models now fit on a single consumer graphics card.",
  "Cloud providers compete on price when they serve the same weights.",
  "Researchers expect inference prices to keep falling next year.",
];
const story = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title><meta property="article:published_time" content="2026-06-24T08:00:00Z"></head>` +
  `<body><article><h1>${title}</h1>${SENTENCES.map(
    (s, n) =>
      `<p>${title}: ${s} ${SENTENCES.slice(0, n + 2)
        .map((t, i) => `In trial ${n}.${i}, ${t.toLowerCase()}`)
        .join(" ")}</p>`,
  ).join("")}</article></body></html>`;

let web: FixtureWeb;
let fetcher: Fetcher;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-extract-limit-"));
  web = await startFixtureWeb({});
  web.route("/a", html(story("Local LLMs get cheaper")));
  web.route("/b", html(story("Open weights in production")));
  // Short lines by the thousand: many seconds of Readability even after pruning.
  web.route("/feed-page", html(feedPage(4_500_000)));
  const items = ["/a", "/feed-page", "/b"]
    .map((p, i) => `<item><title>LLM story ${i}</title><link>${web.url}${p}</link><pubDate>Wed, 24 Jun 2026 07:00:00 GMT</pubDate></item>`)
    .join("");
  web.route("/feed.xml", {
    headers: { "content-type": "application/rss+xml" },
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Night</title><link>${web.url}/</link>${items}</channel></rss>`,
  });
  fetcher = createFetcher({ ...fetchConfig(), allowHosts: [web.hostPort], cacheDir: null, retries: 0, respectRobots: false });
});

afterAll(async () => {
  await fetcher?.close();
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("runIngest with extract.timeoutSeconds set small", () => {
  it("fails the slow page with 'extraction took longer than 5 s' and writes the others", { timeout: 300_000 }, async () => {
    const parsed = parseConfig(
      {
        sources: { hackerNews: { enabled: false }, feeds: [{ name: "night", url: `${web.url}/feed.xml`, topicFilter: false }] },
        extract: { timeoutSeconds: 5 },
      },
      null,
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const summarizer = createSummarizer("extractive", parsed.value.summarizer, { budget: createBudget() });
    if (!summarizer.ok) throw new Error(summarizer.reason);
    const run = await runIngest({
      config: parsed.value,
      fetcher,
      summarizer: summarizer.value,
      articlesDir: join(dir, "articles"),
      blockedUrls: new Set(),
      pending: [],
      now: NOW,
      since: new Date(NOW.getTime() - 48 * 3_600_000),
      dryRun: false,
      concurrency: 3,
    });
    const outcome = (path: string) => run.report.items.find((i) => new URL(i.url).pathname === path);
    expect(outcome("/feed-page")).toMatchObject({ outcome: "failed", reason: expect.stringContaining("extraction took longer than 5 s") });
    expect(outcome("/a")?.outcome).toBe("new");
    expect(outcome("/b")?.outcome).toBe("new");
  });
});
