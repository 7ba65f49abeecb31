// Search over an index split into shards (as a large archive is: recent months, then one per year): Chromium merges
// them, sorted results come out in one order across shards, the same as from one index, and a search newest first
// loads an older shard only when the reader asks for results that far back.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic } from "../../scripts/fixtures/browser.ts";
import { buildSite, type BuiltSite } from "../helpers/build-site.ts";
import type { LoopbackServer } from "../../scripts/fixtures/loopback-server.ts";

const FIXTURE_CONTENT = fileURLToPath(new URL("./fixtures/content", import.meta.url));

let site: BuiltSite;
let server: LoopbackServer;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  // Two articles a shard: the five fixture articles make three shards (May and June are recent, in two parts).
  site = await buildSite(FIXTURE_CONTENT, { search: true, env: { THEMATA_SEARCH_SHARD_PAGES: "2" } });
  server = await serveStatic(site.outDir);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.cleanup();
});

/** An article file about robots, dated `date`. */
function robotsArticle(date: string, n: number): string {
  return `---
title: "Robots story ${n}"
url: https://beta.example/articles/robots-${n}/
source: beta.example
published: ${date}
readingMinutes: 3
summary: >-
  Robots story ${n}: a lab teaches robots a new task from video.
takeaways:
  - The first takeaway of robots story ${n}.
  - The second takeaway of robots story ${n}.
  - The third takeaway of robots story ${n}.
tags: [robotics]
heat: 20
sample: true
---
`;
}

async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    await use(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Generous: a loaded machine takes seconds to start Pagefind and merge the shards. */
const POLL = { timeout: 30_000 };
const status = (page: Page) => page.getByRole("status").textContent();
const titles = (page: Page) => page.locator("[data-search-results] li h2").allTextContents();

describe("search over a sharded index", () => {
  it("writes three shards, newest first, with the shard list beside the newest", async () => {
    const manifest = JSON.parse(await readFile(join(site.outDir, "pagefind", "shards.json"), "utf8"));
    expect(manifest.shards.map((s: { id: string; path: string; pages: number }) => [s.id, s.path, s.pages])).toEqual([
      ["recent.2", "", 1],
      ["recent.1", "recent.1/", 2],
      ["2026", "2026/", 2],
    ]);
    expect(site.output).toMatch(/search index: 5 of 5 article pages indexed in \d+ ms .*\(3 shards\)/);
  });

  it("finds matches in every shard and narrows them with a filter", async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/search/?q=open+models`);
      await expect.poll(() => status(page), POLL).toBe("4 results for “open models”");
      expect((await titles(page)).sort()).toEqual([
        "Closed labs answer open models",
        "Open models and the price of inference",
        "Open models reach the Global South",
        "Sovereign clouds run open models",
      ]);
      await page.getByLabel("Tag", { exact: true }).selectOption("ai-sovereignty");
      await expect.poll(() => status(page), POLL).toBe("2 results for “open models”");
      expect((await titles(page)).sort()).toEqual(["Open models reach the Global South", "Sovereign clouds run open models"]);
    });
  });

  it("sorts across shards by heat and by date", async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/search/?q=open+models&sort=heat:desc`);
      await expect
        .poll(() => titles(page), POLL)
        .toEqual([
          "Open models and the price of inference", // heat 85, 2026-06-10
          "Sovereign clouds run open models", // 70, 2026-05-02
          "Closed labs answer open models", // 60, 2026-04-15
          "Open models reach the Global South", // 40, 2026-06-20
        ]);
      await page.getByLabel("Sort by", { exact: true }).selectOption({ label: "Newest first" });
      await expect
        .poll(() => titles(page), POLL)
        .toEqual([
          "Open models reach the Global South",
          "Open models and the price of inference",
          "Sovereign clouds run open models",
          "Closed labs answer open models",
        ]);
      await page.getByLabel("Sort by", { exact: true }).selectOption({ label: "Oldest first" });
      await expect
        .poll(() => titles(page), POLL)
        .toEqual([
          "Closed labs answer open models",
          "Sovereign clouds run open models",
          "Open models and the price of inference",
          "Open models reach the Global South",
        ]);
      expect(await status(page)).toBe("4 results for “open models”");
    });
  });

  it("lists every article with a filter and no words, across shards, sorted", async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/search/?sentiment=positive&sort=date:asc`);
      await expect.poll(() => status(page), POLL).toBe("2 results");
      expect(await titles(page)).toEqual(["Robots learn from video", "Open models reach the Global South"]);
    });
  });
});

describe("a search newest first over a large sharded archive", () => {
  let contentDir: string;
  let large: BuiltSite;
  let largeServer: LoopbackServer;

  beforeAll(async () => {
    // 12 articles in June 2026 and 13 over 2025; eight a shard: recent.2 (4), recent.1 (8), 2025.2 (5), 2025.1 (8).
    contentDir = await mkdtemp(join(tmpdir(), "themata-shards-"));
    const dates = [
      ...Array.from({ length: 12 }, (_, i) => `2026-06-${String(i + 1).padStart(2, "0")}`),
      ...Array.from({ length: 13 }, (_, i) => `2025-${String((i % 12) + 1).padStart(2, "0")}-${i < 12 ? "10" : "20"}`),
    ];
    for (const [n, date] of dates.entries()) {
      const dir = join(contentDir, "articles", date.slice(0, 4));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${date}-robots-story-${n + 1}.md`), robotsArticle(date, n + 1));
    }
    large = await buildSite(contentDir, { search: true, env: { THEMATA_SEARCH_SHARD_PAGES: "8" } });
    largeServer = await serveStatic(large.outDir);
  });

  afterAll(async () => {
    await largeServer?.close();
    await large?.cleanup();
    if (contentDir) await rm(contentDir, { recursive: true, force: true });
  });

  it("shows the first page from the newest shards alone, and loads older shards only on Show more", async () => {
    const manifest = JSON.parse(await readFile(join(large.outDir, "pagefind", "shards.json"), "utf8"));
    expect(manifest.shards.map((s: { id: string; pages: number }) => [s.id, s.pages])).toEqual([
      ["recent.2", 4],
      ["recent.1", 8],
      ["2025.2", 5],
      ["2025.1", 8],
    ]);
    await withPage(async (page) => {
      const fetched: string[] = [];
      page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
      await page.goto(`${largeServer.url}/search/?q=robots`);
      await expect
        .poll(() => status(page), POLL)
        .toBe("12 results for “robots” since June 2026; older articles are searched as you show more");
      expect(await titles(page)).toEqual(Array.from({ length: 10 }, (_, i) => `Robots story ${12 - i}`));
      expect(fetched.filter((path) => path.startsWith("/pagefind/recent.1/")).length).toBeGreaterThan(0);
      expect(fetched.filter((path) => path.startsWith("/pagefind/2025"))).toEqual([]);

      await page.getByRole("button", { name: "Show more results" }).click();
      await expect.poll(() => status(page), POLL).toBe("25 results for “robots”");
      expect((await titles(page)).slice(10, 12)).toEqual(["Robots story 2", "Robots story 1"]);
      expect(await titles(page)).toHaveLength(20);
      expect(fetched.filter((path) => path.startsWith("/pagefind/2025.1/")).length).toBeGreaterThan(0);
      await page.getByRole("button", { name: "Show more results" }).click();
      await expect.poll(() => titles(page), POLL).toHaveLength(25);
      expect((await titles(page)).at(-1)).toBe("Robots story 13"); // 2025-01-10, the oldest
      await expect.poll(() => page.getByRole("button", { name: "Show more results" }).isHidden(), POLL).toBe(true);
    });
  });

  it("loads every shard for best match, with the same 25 results", async () => {
    await withPage(async (page) => {
      await page.goto(`${largeServer.url}/search/?q=robots&sort=best`);
      await expect.poll(() => status(page), POLL).toBe("25 results for “robots”");
    });
  });
});
