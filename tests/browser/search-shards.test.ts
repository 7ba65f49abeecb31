// Search over an index split into shards (as a large archive is: recent months, then one per year): Chromium merges
// them, and sorted results come out in one order across shards, the same as from one index.
import { readFile } from "node:fs/promises";
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
