import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fetchConfig, parseConfig, type IngestConfig, type IngestConfigInput } from "../../../src/ingest/config.ts";
import { createFetcher } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import {
  defaultSince,
  discoverCandidates,
  hackerNewsSearchUrl,
  parseAlgoliaPage,
  parseBlocklist,
  parseFeedEntries,
  readBlocklist,
  type DiscoverOptions,
} from "../../../src/ingest/sources/sources.ts";
import { normalizeUrl } from "../../../src/article/url.ts";
import { htmlToText } from "../../../src/ingest/shared/html-text.ts";
import { json, startFixtureWeb, text, type FixtureWeb } from "../../../scripts/fixtures/fixture-web.ts";

const FIXTURES = join(import.meta.dirname, "../..", "fixtures", "feeds");
const fixture = (name: string) => readFile(join(FIXTURES, name), "utf8");
const SINCE = new Date("2026-06-20T00:00:00Z");

let web: FixtureWeb;
let fetcher: Fetcher;
const fetchers: Fetcher[] = [];

beforeAll(async () => {
  const [page0, page1, rss, atom, notFeed] = await Promise.all([
    fixture("hn-search-page-0.json"),
    fixture("hn-search-page-1.json"),
    fixture("ai-weekly.rss.xml"),
    fixture("lab-notes.atom.xml"),
    fixture("not-a-feed.txt"),
  ]);
  const pages = [page0, page1];
  web = await startFixtureWeb({
    // The Algolia stub answers by page number and ignores the filters (the client checks dates itself).
    "/hn/api/v1/search_by_date": (req, res) => {
      const page = Number(new URL(req.url ?? "/", "http://stub").searchParams.get("page") ?? 0);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(pages[page] ?? JSON.stringify({ hits: [], page, nbPages: 2 }));
    },
    "/bad-hn/api/v1/search_by_date": json({ results: [{ objectID: "1" }] }),
    "/feeds/ai-weekly.xml": { headers: { "content-type": "application/rss+xml; charset=utf-8" }, body: rss },
    "/feeds/lab-notes.atom": { headers: { "content-type": "application/atom+xml" }, body: atom },
    "/feeds/broken.xml": { headers: { "content-type": "application/xml" }, body: notFeed },
    "/feeds/page.html": text("<!doctype html><title>Not a feed</title>", "text/html; charset=utf-8"),
  });
  fetcher = makeFetcher();
});

afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await web?.close();
});

afterEach(() => {
  web.requests.length = 0;
});

/** Requests to a path, whatever their query. */
const requestsTo = (pathname: string) => web.requests.filter((r) => r.path.split("?")[0] === pathname);

function makeFetcher(): Fetcher {
  const created = createFetcher({ ...fetchConfig(), allowHosts: [web.hostPort], cacheDir: null, retries: 0, respectRobots: false });
  fetchers.push(created);
  return created;
}

function config(input: IngestConfigInput): IngestConfig {
  const parsed = parseConfig(input, null);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

/** HN on the stub with 2 stories per page, and no feeds unless given. */
function hnConfig(
  overrides: { hackerNews?: Record<string, unknown>; feeds?: { name: string; url: string; topicFilter?: boolean }[] } = {},
): IngestConfig {
  return config({
    sources: {
      hackerNews: { apiBase: `${web.url}/hn/api/v1`, minPoints: 100, pageSize: 2, maxStories: 50, ...overrides.hackerNews },
      feeds: overrides.feeds ?? [],
    },
  });
}

const feedsOnly = (feeds: { name: string; url: string; topicFilter?: boolean }[]) => hnConfig({ hackerNews: { enabled: false }, feeds });

const options = (extra: Partial<DiscoverOptions> = {}): DiscoverOptions => ({
  existingUrls: new Set(),
  blockedUrls: new Set(),
  since: SINCE,
  ...extra,
});

describe("Hacker News through the Algolia search API", () => {
  it("reads every page, keeps on-topic stories by points, and makes a text post an article about its thread", async () => {
    const { candidates, failures } = await discoverCandidates(hnConfig(), fetcher, options());
    expect(failures).toEqual([]);
    expect(candidates.map((c) => c.url)).toEqual([
      "https://example.org/post",
      "https://news.ycombinator.com/item?id=44000003",
      "https://news.example.com/2026/06/openai-model",
    ]);
    expect(candidates[0]).toEqual({
      url: "https://example.org/post",
      title: "Claude writes a C compiler",
      via: "hacker-news",
      seenAt: new Date("2026-06-22T14:00:00Z"),
      hn: { id: "44000001", points: 412, comments: 230 },
    });
    expect(candidates[1]!.hn).toEqual({
      id: "44000003",
      points: 150,
      comments: 97,
      text: "I want to try open weights at home.\n\nWhat do you use for local LLM inference & how fast is it?",
    });
    expect(candidates[2]!.hn?.comments).toBe(0); // num_comments: null

    const searches = requestsTo("/hn/api/v1/search_by_date").map((r) => new URL(r.path, web.url).searchParams);
    expect(searches.map((p) => p.get("page"))).toEqual(["0", "1"]);
    expect(searches[0]!.get("tags")).toBe("story");
    expect(searches[0]!.get("numericFilters")).toBe(`created_at_i>=${SINCE.getTime() / 1000},points>=100`);
    expect(searches[0]!.get("hitsPerPage")).toBe("2");
  });

  it("stops at maxStories", async () => {
    const { candidates } = await discoverCandidates(hnConfig({ hackerNews: { maxStories: 2 } }), fetcher, options());
    expect(candidates.map((c) => c.hn?.id)).toEqual(["44000001"]); // 44000002 is off topic
    expect(requestsTo("/hn/api/v1/search_by_date")).toHaveLength(1);
  });

  it("drops stories from before `since` even when the API sends them", async () => {
    const { candidates } = await discoverCandidates(hnConfig(), fetcher, options({ since: new Date("2026-06-21T12:00:00Z") }));
    expect(candidates.map((c) => c.hn?.id)).toEqual(["44000001", "44000003"]);
  });

  it("reports an answer of the wrong shape as the source's failure while feeds still give candidates", async () => {
    const cfg = hnConfig({
      hackerNews: { apiBase: `${web.url}/bad-hn/api/v1` },
      feeds: [{ name: "lab-notes", url: `${web.url}/feeds/lab-notes.atom`, topicFilter: false }],
    });
    const { candidates, failures } = await discoverCandidates(cfg, fetcher, options());
    expect(failures).toHaveLength(1);
    expect(failures[0]!.source).toBe("hacker-news");
    expect(failures[0]!.reason).toMatch(
      /\/bad-hn\/api\/v1\/search_by_date\?.*: not an Algolia search answer: hits: expected a list \(the field is missing\)$/,
    );
    expect(candidates.map((c) => c.via)).toEqual(["lab-notes", "lab-notes", "lab-notes"]);
  });

  it("reports an unreachable API (404) as the source's failure", async () => {
    const { candidates, failures } = await discoverCandidates(
      hnConfig({ hackerNews: { apiBase: `${web.url}/nowhere` } }),
      fetcher,
      options(),
    );
    expect(candidates).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toMatch(/\/nowhere\/search_by_date\?.*404/);
  });
});

describe("RSS 2.0 and Atom feeds", () => {
  it("an RSS 2.0 feed: on-topic, dated, new items, newest first, each link as the feed wrote it (made absolute, no fragment)", async () => {
    const { candidates, failures } = await discoverCandidates(
      feedsOnly([{ name: "ai-weekly", url: `${web.url}/feeds/ai-weekly.xml` }]),
      fetcher,
      options(),
    );
    expect(failures).toEqual([]);
    expect(candidates.map((c) => [c.url, c.title])).toEqual([
      ["https://news.example.com/2026/06/openai-model?utm_source=rss&utm_medium=feed", "OpenAI ships a new reasoning model"],
      // on topic by its description ("machine learning"), not its title
      ["https://news.example.com/2026/06/forecasting/", "A quiet revolution in forecasting"],
      // a relative link, resolved against the channel's link
      ["https://news.example.com/2026/06/local-llms/", "Running small LLMs at home"],
      ["https://www.example.org/post/?ref=hn", "Claude writes a C compiler"],
      ["https://blocked.example.com/ai-story?utm_campaign=spring", "A blocked AI story"],
      ["http://existing.example.com/llm-article", "An LLM article we already have"],
    ]);
    // Left out: gardening (off topic), early June (before since), undated, no link.
    expect(candidates.every((c) => c.via === "ai-weekly" && c.hn === undefined)).toBe(true);
    expect(candidates[0]!.seenAt).toEqual(new Date("2026-06-22T09:00:00Z"));
  });

  it("an Atom feed: alternate links, updated when there is no published date, HTML titles as text", async () => {
    const { candidates, failures } = await discoverCandidates(
      feedsOnly([{ name: "lab-notes", url: `${web.url}/feeds/lab-notes.atom`, topicFilter: false }]),
      fetcher,
      options(),
    );
    expect(failures).toEqual([]);
    expect(candidates.map((c) => [c.url, c.title, c.seenAt.toISOString()])).toEqual([
      ["https://lab.example.net/notes/gpu-kernels", "Notes on GPU kernels for inference", "2026-06-23T10:00:00.000Z"],
      ["https://lab.example.net/notes/hiking", "A weekend hike", "2026-06-22T08:00:00.000Z"],
      ["https://lab.example.net/notes/reading-list", "Interpretability reading list", "2026-06-21T08:00:00.000Z"],
    ]);
  });

  it("an Atom feed through the topic filter: a category counts, the hike does not", async () => {
    const { candidates } = await discoverCandidates(
      feedsOnly([{ name: "lab-notes", url: `${web.url}/feeds/lab-notes.atom` }]),
      fetcher,
      options(),
    );
    expect(candidates.map((c) => c.url)).toEqual([
      "https://lab.example.net/notes/gpu-kernels",
      "https://lab.example.net/notes/reading-list",
    ]);
  });

  it("a feed that is not XML, an HTML page and a 404 each fail alone; the other sources still give candidates", async () => {
    const cfg = hnConfig({
      feeds: [
        { name: "broken", url: `${web.url}/feeds/broken.xml` },
        { name: "lab-notes", url: `${web.url}/feeds/lab-notes.atom`, topicFilter: false },
        { name: "html-page", url: `${web.url}/feeds/page.html` },
        { name: "gone", url: `${web.url}/feeds/gone.xml` },
      ],
    });
    const { candidates, failures } = await discoverCandidates(cfg, fetcher, options());
    expect(failures.map((f) => f.source)).toEqual(["broken", "html-page", "gone"]);
    expect(failures[0]!.reason).toBe(
      `${web.url}/feeds/broken.xml: not an RSS or Atom feed (The XML document could not be parsed as a feed)`,
    );
    expect(failures[1]!.reason).toBe(`${web.url}/feeds/page.html: unsupported content type text/html`);
    expect(failures[2]!.reason).toMatch(new RegExp(`^${web.url}/feeds/gone.xml: .*404`));
    expect(candidates.filter((c) => c.via === "hacker-news")).toHaveLength(3);
    expect(candidates.filter((c) => c.via === "lab-notes")).toHaveLength(3);
  });
});

describe("dedupe, since and limit across sources", () => {
  const allSources = () =>
    hnConfig({
      feeds: [
        { name: "ai-weekly", url: `${web.url}/feeds/ai-weekly.xml` },
        { name: "lab-notes", url: `${web.url}/feeds/lab-notes.atom`, topicFilter: false },
      ],
    });
  const known = () =>
    options({
      existingUrls: new Set([normalizeUrl("https://existing.example.com/llm-article")]),
      blockedUrls: new Set([normalizeUrl("http://www.blocked.example.com/ai-story/")]),
    });

  it("one candidate per page, none already written or block-listed, whatever the tracking params, case, scheme or www.", async () => {
    const { candidates, failures } = await discoverCandidates(allSources(), fetcher, known());
    expect(failures).toEqual([]);
    expect(candidates.map((c) => `${c.via} ${c.url}`)).toEqual([
      "hacker-news https://example.org/post",
      "hacker-news https://news.ycombinator.com/item?id=44000003",
      "hacker-news https://news.example.com/2026/06/openai-model",
      "ai-weekly https://news.example.com/2026/06/forecasting/",
      "ai-weekly https://news.example.com/2026/06/local-llms/",
      "lab-notes https://lab.example.net/notes/gpu-kernels",
      "lab-notes https://lab.example.net/notes/hiking",
      "lab-notes https://lab.example.net/notes/reading-list",
    ]);
  });

  it("a later since leaves out everything older, before dedupe", async () => {
    const later = await discoverCandidates(allSources(), fetcher, { ...known(), since: new Date("2026-06-22T00:00:00Z") });
    expect(later.candidates.map((c) => `${c.via} ${c.url}`)).toEqual([
      "hacker-news https://example.org/post",
      // HN's story of this link is from June 21, so the feed's item (June 22) is the one kept
      "ai-weekly https://news.example.com/2026/06/openai-model?utm_source=rss&utm_medium=feed",
      "lab-notes https://lab.example.net/notes/gpu-kernels",
      "lab-notes https://lab.example.net/notes/hiking",
    ]);
    expect(later.candidates.every((c) => c.seenAt >= new Date("2026-06-22T00:00:00Z"))).toBe(true);
  });

  it("limit keeps the first candidates in source order", async () => {
    const { candidates } = await discoverCandidates(allSources(), fetcher, { ...known(), limit: 4 });
    expect(candidates.map((c) => c.url)).toEqual([
      "https://example.org/post",
      "https://news.ycombinator.com/item?id=44000003",
      "https://news.example.com/2026/06/openai-model",
      "https://news.example.com/2026/06/forecasting/",
    ]);
  });

  it("limit 0 gives nothing", async () => {
    expect((await discoverCandidates(allSources(), fetcher, { ...known(), limit: 0 })).candidates).toEqual([]);
  });
});

describe("pure parts", () => {
  it("builds the Algolia search URL", () => {
    const url = hackerNewsSearchUrl("https://hn.algolia.com/api/v1/", {
      since: new Date("2026-06-20T00:00:00Z"),
      minPoints: 50,
      hitsPerPage: 100,
      page: 3,
    });
    expect(url).toBe(
      "https://hn.algolia.com/api/v1/search_by_date?tags=story&numericFilters=created_at_i%3E%3D1781913600%2Cpoints%3E%3D50&hitsPerPage=100&page=3",
    );
  });

  it("leaves out a bad hit, saying why, and keeps the rest", () => {
    const answer = parseAlgoliaPage({
      hits: [
        { objectID: "1", title: "Fine", url: "https://a.example/", points: 5, num_comments: 1, created_at_i: 1 },
        { objectID: "2", title: "No date", url: "https://b.example/" },
      ],
      page: 0,
      nbPages: 1,
    });
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.value.hits.map((h) => h.objectID)).toEqual(["1"]);
    expect(answer.value.badHits).toEqual(["hits[1].created_at_i: expected a number (the field is missing)"]);
  });

  it("feed entries from a document that is not a feed are a failure", () => {
    expect(parseFeedEntries("<html><body>hi</body></html>", "https://a.example/feed")).toEqual({
      ok: false,
      reason: "not an RSS or Atom feed (The XML document could not be parsed as a feed)",
    });
  });

  it("turns HTML into paragraphs of text", () => {
    expect(htmlToText("First<p>Second &amp; <i>third</i><br>line<script>alert(1)</script>")).toBe("First\n\nSecond & third\nline");
    expect(htmlToText("plain text")).toBe("plain text");
  });

  it("looks back lookbackHours, or to the last run when that is earlier", () => {
    const cfg = config({ sources: { hackerNews: { lookbackHours: 48 } } });
    const now = new Date("2026-06-24T06:00:00Z");
    expect(defaultSince(cfg, now)).toEqual(new Date("2026-06-22T06:00:00Z"));
    expect(defaultSince(cfg, now, new Date("2026-06-23T06:00:00Z"))).toEqual(new Date("2026-06-22T06:00:00Z"));
    expect(defaultSince(cfg, now, new Date("2026-06-18T06:00:00Z"))).toEqual(new Date("2026-06-18T06:00:00Z"));
  });
});

describe("the block-list", () => {
  it("reads one URL a line, normalised, skipping comments, notes and blank lines, naming bad lines", () => {
    const list = parseBlocklist(
      "# header\n\nhttps://Example.com/a/?utm_source=x   # a note\n  http://b.example/page#x\nnot a url\nftp://c.example/\n",
    );
    expect([...list.urls]).toEqual(["https://example.com/a", "http://b.example/page"]);
    expect(list.problems).toEqual(['line 5: "not a url" is not an http(s) URL', 'line 6: "ftp://c.example/" is not an http(s) URL']);
  });

  it("the repository's block-list parses without problems", async () => {
    const list = await readBlocklist(join(import.meta.dirname, "../../..", "content", "blocklist.txt"));
    if (!list.ok) throw new Error(list.reason);
    expect(list.value.problems).toEqual([]);
  });

  it("a missing block-list is an empty one", async () => {
    const list = await readBlocklist(join(FIXTURES, "no-such-blocklist.txt"));
    expect(list.ok && list.value.urls.size).toBe(0);
  });
});
