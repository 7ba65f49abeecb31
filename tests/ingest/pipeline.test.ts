import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArticleFiles } from "../../src/article/files.ts";
import { articleFileSchema } from "../../src/article/schema.ts";
import { fetchConfig, parseConfig, type IngestConfig } from "../../src/ingest/config.ts";
import { createFetcher } from "../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../src/ingest/types.ts";
import { runIngest, type IngestOptions } from "../../src/ingest/pipeline.ts";
import { runExitCode, type ItemReport } from "../../src/ingest/report/report.ts";
import { createSummarizer } from "../../src/ingest/summarize/summarizers.ts";
import { createBudget } from "../../src/ingest/budget/cost.ts";
import { createAnthropicSummarizer } from "../../src/ingest/summarize/providers/anthropic.ts";
import { createAnthropicBatchSummarizer } from "../../src/ingest/summarize/providers/anthropic-batch.ts";
import { readRunState, writeRunState } from "../../src/ingest/run-state.ts";
import { urlKey } from "../../src/article/url.ts";
import { startAnthropicStub } from "../../scripts/fixtures/anthropic-stub.ts";
import {
  drip,
  empty,
  flaky,
  gzipBomb,
  html,
  hugeBody,
  json,
  pdf,
  recordClientSockets,
  redirect,
  robotsTxt,
  startFixtureWeb,
  text,
  type FixtureWeb,
} from "../../scripts/fixtures/fixture-web.ts";

const NOW = new Date("2026-06-25T06:00:00Z");
const createdAt = (hoursAgo: number) => Math.floor((NOW.getTime() - hoursAgo * 3_600_000) / 1000);

const SENTENCES = [
  "is reshaping how developers build software with large language models.",
  "Teams report that open weights let them run inference on their own hardware.",
  "Running models locally cuts cost and keeps customer data private.",
  "Critics warn that benchmark results rarely match real workloads.",
  "Agents still need careful review before their changes reach production.",
  "Several labs now publish model cards with training data summaries.",
  "Quantised models fit on a single consumer graphics card.",
  "Cloud providers compete on price when they serve the same weights.",
  "Regulators in Europe are watching how these systems are deployed.",
  "Researchers expect inference prices to keep falling next year.",
];
const paragraph = (topic: string, n: number) =>
  `<p>${topic} ${SENTENCES[n % SENTENCES.length]} ${SENTENCES.slice(0, (n % 5) + 3)
    .map((s, i) => `In test ${n}.${i}, ${s.toLowerCase()}`)
    .join(" ")}</p>`;
const articlePage = (title: string, topic: string) =>
  `<!doctype html><html lang="en"><head><title>${title} - Lab Notes</title>` +
  `<meta property="og:site_name" content="Lab Notes"><meta property="article:published_time" content="2026-06-24T08:00:00Z"></head>` +
  `<body><nav>Home · About</nav><article><h1>${title}</h1>${Array.from({ length: 8 }, (_, n) => paragraph(topic, n)).join("")}</article><footer>© Lab Notes</footer></body></html>`;

function comment(id: number, author: string, text: string, children: unknown[] = []) {
  return {
    id,
    created_at: "2026-06-24T10:00:00Z",
    created_at_i: createdAt(20),
    type: "comment",
    author,
    title: null,
    url: null,
    text,
    points: null,
    parent_id: 1,
    story_id: 1,
    options: [],
    children,
  };
}
function story(id: number, title: string, url: string | null, points: number, children: unknown[], text: string | null = null) {
  return {
    id,
    created_at: "2026-06-24T09:00:00Z",
    created_at_i: createdAt(21),
    type: "story",
    author: "poster",
    title,
    url,
    text,
    points,
    parent_id: null,
    story_id: id,
    options: [],
    children,
  };
}
const goodThread = (id: number, title: string, url: string | null, text: string | null = null) =>
  story(
    id,
    title,
    url,
    150,
    [
      comment(id * 10 + 1, "fan", "<p>This is great work, and open weights make it really useful for small teams.</p>"),
      comment(id * 10 + 2, "skeptic", "<p>I worry the benchmark is misleading and the costs are a real problem.</p>", [
        comment(id * 10 + 3, null as unknown as string, null as unknown as string),
      ]),
      comment(
        id * 10 + 4,
        "builder",
        "<p>We moved our support bot to a local model last month. Latency dropped by half and the bill went to almost nothing.</p>",
      ),
      comment(
        id * 10 + 5,
        "reviewer",
        "<p>The app shows nothing without JavaScript, which makes it hard to read on a slow phone. The docs say a static version is planned.</p>",
      ),
      comment(
        id * 10 + 6,
        "analyst",
        "<p>Adoption numbers in the announcement come from a survey of only forty companies. That is too small a sample to trust.</p>",
      ),
    ],
    text,
  );

let web: FixtureWeb;
let fetcher: Fetcher;
let dir: string;
let config: IngestConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-pipeline-"));
  web = await startFixtureWeb({});
  const o = web.url;
  const hits = [
    { id: 9101, title: "Open weights for everyone", url: `${o}/articles/open-weights` },
    { id: 9102, title: "An LLM launch page that is gone", url: `${o}/articles/gone` },
    { id: 9103, title: "The LLM model card as a PDF", url: `${o}/papers/card.pdf` },
    { id: 9104, title: "An app that needs JavaScript for its AI agents", url: `${o}/articles/js-shell` },
    { id: 9105, title: "AI agents in production", url: `${o}/articles/agents` },
    { id: 9106, title: "Ask HN: Which local LLM do you run?", url: null },
  ].map((h) => ({
    objectID: String(h.id),
    title: h.title,
    url: h.url,
    author: "poster",
    points: 150,
    num_comments: 2,
    created_at: "2026-06-24T09:00:00Z",
    created_at_i: createdAt(21),
    story_text: h.url ? null : "<p>I run a 27B model on one GPU for agentic coding. What do you run, and is inference fast enough?</p>",
  }));
  const rss =
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab Notes</title><link>${o}/</link>` +
    `<item><title>Inference costs keep falling for LLMs</title><link>${o}/articles/inference-costs?utm_source=rss</link><pubDate>Wed, 24 Jun 2026 07:00:00 GMT</pubDate></item>` +
    `</channel></rss>`;
  web.route("/hn/search_by_date", json({ hits, page: 0, nbPages: 1 }));
  web.route("/hn/items/9101", json(goodThread(9101, "Open weights for everyone", hits[0]!.url)));
  web.route("/hn/items/9102", json(goodThread(9102, "An LLM launch page that is gone", hits[1]!.url)));
  web.route("/hn/items/9103", json(goodThread(9103, "The LLM model card as a PDF", hits[2]!.url)));
  web.route("/hn/items/9104", json(goodThread(9104, "An app that needs JavaScript", hits[3]!.url)));
  web.route("/hn/items/9105", json({ id: 9105, type: "story", children: "not a list" }));
  web.route("/hn/items/9106", json(goodThread(9106, "Ask HN: Which local LLM do you run?", null, hits[5]!.story_text)));
  web.route("/articles/open-weights", html(articlePage("Open weights for everyone", "Open-source AI")));
  web.route("/articles/agents", html(articlePage("AI agents in production", "Agentic coding")));
  web.route("/articles/inference-costs", html(articlePage("Inference costs keep falling for LLMs", "Cheaper inference")));
  web.route(
    "/articles/js-shell",
    html(`<!doctype html><html><head><title>App</title></head><body><div id="root"></div><script>boot()</script></body></html>`),
  );
  web.route("/papers/card.pdf", pdf());
  web.route("/feeds/lab.xml", { headers: { "content-type": "application/rss+xml" }, body: rss });
  web.route("/feeds/broken.xml", text("this is not XML <<<", "application/xml"));

  const parsed = parseConfig(
    {
      sources: {
        hackerNews: { apiBase: `${o}/hn`, minPoints: 10, lookbackHours: 48 },
        feeds: [
          { name: "lab", url: `${o}/feeds/lab.xml`, topicFilter: true },
          { name: "broken", url: `${o}/feeds/broken.xml` },
        ],
      },
      refreshWindowDays: 7,
    },
    null,
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  config = parsed.value;
  fetcher = createFetcher({ ...fetchConfig(), allowHosts: [web.hostPort], cacheDir: join(dir, "cache"), retries: 0, respectRobots: true });
});

afterAll(async () => {
  await fetcher?.close();
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<IngestOptions> = {}): IngestOptions {
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
    concurrency: 4,
    ...overrides,
  };
}

const byPath = (items: ItemReport[], path: string) => items.find((i) => new URL(i.url).pathname === path);

describe("runIngest over a fixture night", () => {
  let first: Awaited<ReturnType<typeof runIngest>>;
  beforeAll(async () => {
    first = await runIngest(options());
  });

  it("writes good articles and fails or skips only the bad items, each with its reason", () => {
    const { items } = first.report;
    expect(byPath(items, "/articles/open-weights")?.outcome).toBe("new");
    expect(byPath(items, "/articles/inference-costs")?.outcome).toBe("new");
    expect(byPath(items, "/articles/gone")).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/404/) });
    expect(byPath(items, "/papers/card.pdf")).toMatchObject({
      outcome: "skipped",
      reason: expect.stringMatching(/unsupported content type application\/pdf/),
    });
    expect(byPath(items, "/articles/agents")).toMatchObject({
      outcome: "failed",
      reason: expect.stringMatching(/^discussion: .*children/),
    });
    expect(first.report.sourceFailures).toEqual([expect.objectContaining({ source: "broken" })]);
    expect(runExitCode(first.report)).toBe(1);
  });

  it("keeps a page without readable text as an article summarised from its discussion", async () => {
    const item = byPath(first.report.items, "/articles/js-shell");
    expect(item?.outcome).toBe("new");
    const text = await readFile(item!.path!, "utf8");
    expect(text).toMatch(/extraction: none/);
  });

  it("turns an Ask HN post into an article about the discussion", () => {
    const ask = first.report.items.find((i) => i.url.startsWith("https://news.ycombinator.com/item?id=9106"));
    expect(ask?.outcome).toBe("new");
  });

  it("writes only whole files that pass the article schema, and no temp files", async () => {
    const files = await readArticleFiles(join(dir, "articles"));
    expect(files).toHaveLength(4);
    for (const file of files) {
      const parsed = articleFileSchema.safeParse(file.data);
      expect(parsed.success, `${file.path}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const open = files.find((f) => (f.data as { url: string }).url.endsWith("/articles/open-weights"))!.data as Record<string, any>;
    expect(open.title).toBe("Open weights for everyone");
    expect(open.originalTitle).toBe("Open weights for everyone - Lab Notes");
    expect(open.discussion).toMatchObject({ site: "hacker-news", id: "9101", points: 150, comments: 5 });
    expect(open.heat).toBeGreaterThan(0);
    expect(open.provenance.provider).toBe("extractive");
    const feedOne = files.find((f) => (f.data as { url: string }).url.includes("inference-costs"))!.data as Record<string, any>;
    // Stored as linked and fetched: normalising happens only in dedupe keys.
    expect(feedOne.url).toBe(`${web.url}/articles/inference-costs?utm_source=rss`);
    expect(feedOne.discussion).toBeUndefined();
    const everything = await readdir(join(dir, "articles"), { recursive: true });
    expect(everything.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("writes nothing new on an immediate rerun, and refreshes only the live fields", async () => {
    const again = await runIngest(options());
    const outcomes = again.report.items.map((i) => i.outcome);
    expect(outcomes).not.toContain("new");
    expect(again.report.totals.unchanged).toBeGreaterThan(0);
    // Only the items that failed last time are tried again.
    expect(
      again.report.items
        .filter((i) => i.outcome === "failed")
        .map((i) => new URL(i.url).pathname)
        .sort(),
    ).toEqual(["/articles/agents", "/articles/gone"]);
  });

  it("refreshes points, comments and heat of a recent article when its thread grew", async () => {
    web.route(
      "/hn/items/9101",
      json({ ...goodThread(9101, "Open weights for everyone", `${web.url}/articles/open-weights`), points: 900 }),
    );
    const again = await runIngest(options());
    const refreshed = again.report.items.find((i) => i.url.endsWith("/articles/open-weights"));
    expect(refreshed?.outcome).toBe("updated");
    const text = await readFile(refreshed!.path!, "utf8");
    expect(text).toMatch(/points: 900/);
  });

  it("changes nothing on disk in a dry run", async () => {
    const before = await readArticleFiles(join(dir, "articles"));
    web.route(
      "/hn/items/9101",
      json({ ...goodThread(9101, "Open weights for everyone", `${web.url}/articles/open-weights`), points: 1500 }),
    );
    const dry = await runIngest(options({ dryRun: true }));
    const after = await readArticleFiles(join(dir, "articles"));
    expect(after.map((f) => f.body + JSON.stringify(f.data))).toEqual(before.map((f) => f.body + JSON.stringify(f.data)));
    expect(dry.report.dryRun).toBe(true);
  });

  it("never fetches a block-listed URL", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "themata-pipeline-block-"));
    const blocked = `${web.url}/articles/open-weights`;
    const before = web.requests.filter((r) => r.path === "/articles/open-weights").length;
    const run = await runIngest(options({ articlesDir: join(fresh, "articles"), blockedUrls: new Set([blocked]) }));
    expect(run.report.items.some((i) => i.url === blocked)).toBe(false);
    expect(web.requests.filter((r) => r.path === "/articles/open-weights").length).toBe(before);
    await rm(fresh, { recursive: true, force: true });
  });
});

describe("runIngest with --batch", () => {
  it("leaves a batch still running to the next run, which collects it through the run state and writes the articles", async () => {
    const stub = await startAnthropicStub();
    const scratch = await mkdtemp(join(tmpdir(), "themata-pipeline-batch-"));
    try {
      const budget = createBudget({ maxCostUsd: 5 });
      const saves: { pending: unknown[] }[] = [];
      const batchOptions = (timeLimitMs: number) => {
        const summarizer = {
          ...config.summarizer,
          anthropic: { ...config.summarizer.anthropic, batchTimeLimitMinutes: timeLimitMs / 60_000 },
        };
        const run = {
          apiKey: "test-key",
          baseURL: stub.url,
          budget,
          retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 100 },
          sleep: async () => {},
        };
        const direct = createAnthropicSummarizer(summarizer, run);
        const batch = createAnthropicBatchSummarizer(summarizer, { ...run, poll: { pollBaseMs: 1, pollMaxMs: 2 } });
        if (!direct.ok || !batch.ok) throw new Error("the anthropic provider did not start");
        return {
          summarizer: direct.value,
          budget,
          batch: batch.value,
          articlesDir: join(scratch, "articles"),
          saveRunState: async (state: { pending: unknown[] }) => void saves.push(state),
        };
      };

      stub.pollsUntilEnded = Infinity;
      const first = await runIngest(options(batchOptions(5)));
      expect(stub.batches.size).toBe(1);
      // The batch's record reached the run state before the batch was sent.
      expect(saves).toHaveLength(1);
      expect(saves[0]!.pending).toEqual([
        expect.objectContaining({ batch: expect.objectContaining({ batchId: "", unconfirmed: expect.any(Object) }) }),
      ]);
      expect(first.pending).toHaveLength(1);
      expect(first.report.totals.new).toBe(0);
      expect(first.report.notes.join(" ")).toMatch(/is still running: the next run collects it/);
      expect(await readArticleFiles(join(scratch, "articles"))).toEqual([]);

      // What the next run needs survives the state file.
      const stateFile = join(scratch, "state.json");
      await writeRunState(stateFile, { lastRunAt: NOW, pendingBatches: first.pending, deferred: first.deferred, failedLinks: [] });
      const state = await readRunState(stateFile);
      if (!state.ok) throw new Error(state.reason);

      stub.endBatches();
      const second = await runIngest(options({ ...batchOptions(1_000), pending: state.value.pendingBatches }));
      expect(second.pending).toEqual([]);
      expect(second.report.totals.new).toBe(first.pending[0]!.candidates.length);
      expect(stub.batches.size).toBe(1); // collected, not sent again
      const files = await readArticleFiles(join(scratch, "articles"));
      expect(files.map((f) => (f.data as { provenance: { provider: string } }).provenance.provider)).toEqual(files.map(() => "anthropic"));
      expect(second.report.tokens.output).toBeGreaterThan(0);
    } finally {
      await stub.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("runIngest with --batch and a key the API refuses", () => {
  it("stops with exit 2 when the batch create is refused (401), and keeps the batch's links for the next run", async () => {
    const stub = await startAnthropicStub();
    const scratch = await mkdtemp(join(tmpdir(), "themata-pipeline-batch-stop-"));
    try {
      stub.refuseKeys = true;
      const run = { apiKey: "revoked", baseURL: stub.url, budget: createBudget(), sleep: async () => {} };
      const direct = createAnthropicSummarizer(config.summarizer, run);
      const batch = createAnthropicBatchSummarizer(config.summarizer, { ...run, poll: { pollBaseMs: 1, pollMaxMs: 2 } });
      if (!direct.ok || !batch.ok) throw new Error("the anthropic provider did not start");
      const stopped = await runIngest(options({ summarizer: direct.value, batch: batch.value, articlesDir: join(scratch, "articles") }));
      expect(stopped.report.stopped).toMatch(
        /^anthropic batch create: HTTP 401 authentication_error: invalid x-api-key: the API refused the key/,
      );
      expect(runExitCode(stopped.report)).toBe(2);
      expect(stopped.deferred.length).toBeGreaterThan(0);
      expect(stopped.report.items.filter((i) => i.outcome === "failed" && /HTTP 401/.test(i.reason ?? ""))).toEqual([]);
    } finally {
      await stub.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("runIngest with a batch left too long", () => {
  it("gives up a pending batch past the age limit, even with no batch summarizer: its items go back to the queue, and the report says so", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "themata-pipeline-old-batch-"));
    try {
      const candidate = { url: "https://example.org/held", title: "Held by an old batch", via: "hacker-news", seenAt: NOW };
      const old = {
        batch: { provider: "anthropic", batchId: "msgbatch_old", submittedAt: new Date(NOW.getTime() - 30 * 86_400_000).toISOString() },
        candidates: [candidate],
      };
      const run = await runIngest(options({ articlesDir: join(scratch, "articles"), pending: [old], since: NOW }));
      expect(run.pending).toEqual([]);
      expect(run.deferred.map((c) => c.url)).toContain(candidate.url);
      expect(run.report.notes).toContain(
        "1 items go back to the queue for the next run: batch msgbatch_old was sent 30 days ago, past the 29-day limit",
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("runIngest with a key the API refuses", () => {
  it("stops at the first 401 with exit 2 and a clear reason, keeps the links not done in the run state, and the next run does them", async () => {
    const stub = await startAnthropicStub();
    const scratch = await mkdtemp(join(tmpdir(), "themata-pipeline-stop-"));
    try {
      const claude = (apiKey: string) => {
        const created = createAnthropicSummarizer(config.summarizer, {
          apiKey,
          baseURL: stub.url,
          budget: createBudget(),
          sleep: async () => {},
        });
        if (!created.ok) throw new Error(created.reason);
        return created.value;
      };
      const articlesDir = join(scratch, "articles");
      stub.refuseKeys = true;
      const stopped = await runIngest(options({ summarizer: claude("revoked"), articlesDir, concurrency: 1 }));
      expect(stopped.report.stopped).toMatch(
        /^anthropic messages: HTTP 401 authentication_error: invalid x-api-key: the API refused the key/,
      );
      expect(runExitCode(stopped.report)).toBe(2);
      expect(stub.messageBodies()).toHaveLength(1); // no item after the first is sent
      expect(stopped.report.items.filter((i) => /HTTP 401/.test(i.reason ?? ""))).toHaveLength(1);
      expect(stopped.deferred.length).toBeGreaterThan(1);
      expect(stopped.report.notes).toContain(`${stopped.deferred.length} links not done are kept in the run state for the next run`);

      const stateFile = join(scratch, "state.json");
      await writeRunState(stateFile, {
        lastRunAt: NOW,
        pendingBatches: stopped.pending,
        deferred: stopped.deferred,
        failedLinks: stopped.failedLinks,
      });
      const state = await readRunState(stateFile);
      if (!state.ok) throw new Error(state.reason);
      expect(state.value.deferred.map((c) => c.url)).toEqual(stopped.deferred.map((c) => c.url));

      // The key is fixed; the next night's look-back no longer reaches the links: the run state brings them.
      stub.refuseKeys = false;
      const next = await runIngest(
        options({ summarizer: claude("fixed"), articlesDir, carried: { deferred: state.value.deferred, failedLinks: [] }, since: NOW }),
      );
      expect(next.report.stopped).toBeUndefined();
      expect(next.deferred).toEqual([]);
      const written = next.report.items.filter((i) => i.outcome === "new").map((i) => i.url);
      expect(written.length).toBeGreaterThan(0);
      expect(written.every((url) => state.value.deferred.some((c) => urlKey(c.url) === urlKey(url)))).toBe(true);
    } finally {
      await stub.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("runIngest over a night of misbehaving servers", () => {
  it("fails or skips only each bad item, with its reason, writes nothing partial, and completes the others", async () => {
    const bad = await startFixtureWeb({});
    const other = await startFixtureWeb({}, { host: "127.0.0.2" });
    const scratch = await mkdtemp(join(tmpdir(), "themata-pipeline-bad-"));
    const sockets = recordClientSockets();
    const o = bad.url;
    const good = (title: string) => html(articlePage(title, "Open-source AI"));
    const latin1 = Buffer.from(
      articlePage("Caf\u00e9 owners try LLM assistants", "Open-source AI").replace(
        '<html lang="en"><head>',
        '<html lang="en"><head><meta charset="windows-1252">',
      ),
      "latin1",
    );
    const routes: Record<string, Parameters<FixtureWeb["route"]>[1]> = {
      "/robots.txt": robotsTxt("User-agent: *\nDisallow: /private/"),
      "/ok": good("A good LLM article among bad ones"),
      "/drip": drip({ intervalMs: 200, chunks: 100 }),
      "/huge": hugeBody({ bytes: 50 * 1024 * 1024 }),
      "/bomb": gzipBomb({ decodedBytes: 64 * 1024 * 1024 }),
      "/loop-a": redirect(`${o}/loop-b`),
      "/loop-b": redirect(`${o}/loop-a`),
      "/elsewhere": redirect(`${other.url}/ok`),
      "/gone": { status: 410, body: "gone" },
      "/flaky": flaky({ failures: 1, status: 503, then: good("An LLM article behind a flaky server") }),
      "/private/secret": good("A robots-disallowed LLM article"),
      "/paper.pdf": pdf(),
      "/broken": html(
        `<html><head><title>Broken markup about LLM agents</title><body><article><h1>Broken markup about LLM agents<p>${Array.from({ length: 8 }, (_, n) => paragraph("Broken markup", n).replace("</p>", "")).join("<div>")}<span>`,
      ),
      "/latin1": { headers: { "content-type": "text/html" }, body: latin1 },
      "/empty": empty(),
    };
    for (const [path, route] of Object.entries(routes)) bad.route(path, route);
    const items = Object.keys(routes).filter((p) => p !== "/robots.txt");
    bad.route("/feed.xml", {
      headers: { "content-type": "application/rss+xml" },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Bad night</title><link>${o}/</link>${items
        .map((p, i) => `<item><title>LLM story ${i}</title><link>${o}${p}</link><pubDate>Wed, 24 Jun 2026 07:00:00 GMT</pubDate></item>`)
        .join("")}</channel></rss>`,
    });
    const parsed = parseConfig(
      { sources: { hackerNews: { enabled: false }, feeds: [{ name: "bad-night", url: `${o}/feed.xml`, topicFilter: false }] } },
      null,
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const badFetcher = createFetcher({
      ...fetchConfig(),
      allowHosts: [bad.hostPort],
      cacheDir: null,
      retries: 1,
      retryBaseMs: 10,
      retryMaxMs: 50,
      headersTimeoutMs: 2_000,
      bodyTimeoutMs: 1_000,
      respectRobots: true,
    });
    try {
      const run = await runIngest(options({ config: parsed.value, fetcher: badFetcher, articlesDir: join(scratch, "articles") }));
      const outcome = (path: string) => run.report.items.find((i) => new URL(i.url).pathname === path);
      expect(outcome("/ok")?.outcome).toBe("new");
      expect(outcome("/flaky")?.outcome).toBe("new"); // 503 then 200: retried
      expect(outcome("/broken")?.outcome).toBe("new");
      expect(outcome("/latin1")?.outcome).toBe("new");
      expect(outcome("/empty")).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/nothing to summari[sz]e|no text/i) });
      const failures: Record<string, RegExp> = {
        "/drip": /did not arrive within 1000 ms/,
        "/huge": /larger than 5 MB/,
        "/bomb": /larger than 5 MB|decompress/i,
        "/loop-a": /loop|redirect/i,
        "/elsewhere": /127\.0\.0\.2.*(loopback|not allowed|refus)|refus.*127\.0\.0\.2/i,
        "/gone": /410/,
        "/private/secret": /robots\.txt/,
      };
      for (const [path, reason] of Object.entries(failures)) {
        expect(outcome(path), path).toMatchObject({ outcome: "failed", reason: expect.stringMatching(reason) });
      }
      expect(outcome("/paper.pdf")).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/application\/pdf/) });
      expect(other.requests).toEqual([]);
      expect(sockets.sockets.length).toBeGreaterThan(0);
      expect(sockets.remoteAddresses().filter((a) => a !== undefined && a !== "127.0.0.1")).toEqual([]);

      const files = await readArticleFiles(join(scratch, "articles"));
      expect(files).toHaveLength(4);
      const latinFile = files.find((f) => (f.data as { url: string }).url.endsWith("/latin1"))!;
      expect((latinFile.data as { title: string }).title).toBe("Caf\u00e9 owners try LLM assistants");
      // With article text, takeaways rest on the article alone, each beside the passage it cites; the discussion's
      // words (a planted instruction among them) never become a takeaway.
      const latin = latinFile.data as { takeaways: string[]; evidence: { quotes: string[] }[]; provenance: { grounding?: string } };
      expect(latin.takeaways.join(" ")).not.toMatch(/ignore previous instructions/i);
      expect(latin.evidence.map((e) => e.quotes[0])).toEqual(latin.takeaways);
      expect(latin.provenance.grounding).toBe("grounding-5");
      const everything = await readdir(join(scratch, "articles"), { recursive: true });
      expect(everything.filter((name) => !name.endsWith(".md") && !/^\d{4}$/.test(name))).toEqual([]);
    } finally {
      sockets.stop();
      await badFetcher.close();
      await bad.close();
      await other.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
