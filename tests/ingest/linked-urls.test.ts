// The URL a source links is the URL fetched and stored (after redirects); normalising happens only in dedupe keys.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readArticleFiles } from "../../src/article/files.ts";
import { fetchConfig, parseConfig, type IngestConfig } from "../../src/ingest/config.ts";
import { createFetcher } from "../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../src/ingest/types.ts";
import { runIngest, type IngestOptions } from "../../src/ingest/pipeline.ts";
import { createBudget } from "../../src/ingest/budget/cost.ts";
import { createSummarizer } from "../../src/ingest/summarize/summarizers.ts";
import { html, redirect, startFixtureWeb, type FixtureWeb } from "../../scripts/fixtures/fixture-web.ts";

const NOW = new Date("2026-06-25T06:00:00Z");
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
const feed = (links: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Links</title>` +
  links
    .map((link, i) => `<item><title>Story ${i}</title><link>${link}</link><pubDate>Wed, 24 Jun 2026 0${i}:00:00 GMT</pubDate></item>`)
    .join("") +
  `</channel></rss>`;

let web: FixtureWeb;
let fetcher: Fetcher;
let dir: string;
let config: IngestConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-linked-"));
  // Like many real servers: only the slashed spelling exists (no redirect from the other), and
  // one page moved with a redirect to its slashed address.
  web = await startFixtureWeb({
    "/articles/slashed/": html(page("Only the slashed address answers")),
    "/articles/moved": redirect("/articles/moved-here/?from=old", 301),
    "/articles/moved-here/": html(page("A page that moved")),
  });
  web.route("/feed.xml", {
    headers: { "content-type": "application/rss+xml" },
    body: feed([`${web.url}/articles/slashed/?ref=newsletter`, `${web.url}/articles/moved`]),
  });
  const parsed = parseConfig(
    { sources: { hackerNews: { enabled: false }, feeds: [{ name: "links", url: `${web.url}/feed.xml`, topicFilter: false }] } },
    null,
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  config = parsed.value;
  fetcher = createFetcher({ ...fetchConfig({ retries: 0, respectRobots: false }), allowHosts: [web.hostPort], cacheDir: null });
});

afterAll(async () => {
  await fetcher?.close();
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

function options(): IngestOptions {
  const summarizer = createSummarizer("extractive", config.summarizer, { budget: createBudget() });
  if (!summarizer.ok) throw new Error(summarizer.reason);
  return {
    config,
    fetcher,
    summarizer: summarizer.value,
    articlesDir: join(dir, "articles"),
    blockedUrls: new Set(),
    pending: [],
    now: NOW,
    since: new Date(NOW.getTime() - 48 * 3_600_000),
    dryRun: false,
    concurrency: 2,
  };
}

it(
  "a page served only at its slashed address becomes an article, stored at the URL fetched (after redirects)",
  { timeout: 60_000 },
  async () => {
    const { report } = await runIngest(options());
    expect(report.items.map((i) => [i.outcome, i.reason])).toEqual([
      ["new", undefined],
      ["new", undefined],
    ]);
    expect(web.requestsTo("/articles/slashed/?ref=newsletter")).toHaveLength(1);
    expect(web.requestsTo("/articles/slashed")).toHaveLength(0);
    const urls = (await readArticleFiles(join(dir, "articles"))).map((f) => (f.data as { url: string }).url).sort();
    expect(urls).toEqual([`${web.url}/articles/moved-here/?from=old`, `${web.url}/articles/slashed/?ref=newsletter`]);
  },
);

it("the same pages linked in another spelling the next night are not new articles (dedupe by key)", { timeout: 60_000 }, async () => {
  web.route("/feed.xml", {
    headers: { "content-type": "application/rss+xml" },
    body: feed([`${web.url.replace("http:", "https:")}/articles/slashed`, `${web.url}/articles/moved-here?utm_source=x&from=old`]),
  });
  const { report } = await runIngest(options());
  expect(report.items).toEqual([]);
  expect(await readArticleFiles(join(dir, "articles"))).toHaveLength(2);
});

it("a link that still redirects to an article already written is not summarized again", { timeout: 60_000 }, async () => {
  // The source lists the original, redirecting link again: its key is not the article's.
  web.route("/feed.xml", { headers: { "content-type": "application/rss+xml" }, body: feed([`${web.url}/articles/moved`]) });
  const base = options();
  let summarized = 0;
  const counting = {
    ...base.summarizer,
    name: base.summarizer.name,
    summarize: (...args: Parameters<typeof base.summarizer.summarize>) => (summarized++, base.summarizer.summarize(...args)),
  };
  const { report } = await runIngest({ ...base, summarizer: counting });
  expect(summarized).toBe(0);
  expect(report.items).toMatchObject([
    {
      outcome: "skipped",
      reason: expect.stringMatching(new RegExp(`^redirects to ${web.url}/articles/moved-here/\\?from=old, already an article \\(`)),
    },
  ]);
  expect(await readArticleFiles(join(dir, "articles"))).toHaveLength(2);
});
