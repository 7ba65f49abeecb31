// End to end in headless Chromium: search (query, filter, sort), accessibility in both themes, and no JS outside search.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic } from "../../scripts/fixtures/browser.ts";
import { buildSite, type BuiltSite } from "../helpers/build-site.ts";
import { ACTION_TIMEOUT_MS, poll, useBrowserTimeouts } from "./wait.ts";

useBrowserTimeouts();
import type { LoopbackServer } from "../../scripts/fixtures/loopback-server.ts";

const FIXTURE_CONTENT = fileURLToPath(new URL("./fixtures/content", import.meta.url));
const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const ARTICLE = "/articles/2026-06-20-open-models-reach-the-global-south/";
const TAG_PAGE = "/tags/open-source-ai/";

let site: BuiltSite;
let server: LoopbackServer;
let browser: Browser;
let axeSource: string;

beforeAll(async () => {
  // Launch first: a missing Chromium fails the suite at once, before the build.
  browser = await launchChromium();
  site = await buildSite(FIXTURE_CONTENT, { search: true });
  server = await serveStatic(site.outDir);
  axeSource = await readFile(AXE_SOURCE, "utf8");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.cleanup();
});

async function withPage<T>(
  options: Parameters<Browser["newContext"]>[0],
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  try {
    return await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Titles of the results on screen, in order. */
function resultTitles(page: Page): Promise<string[]> {
  return page.locator("[data-search-results] li h2").allTextContents();
}

async function search(page: Page, query: string, expectedCount: number): Promise<void> {
  await page.getByLabel("Search articles", { exact: true }).fill(query);
  await poll(() => page.getByRole("status").textContent()).toBe(`${expectedCount} results for “${query}”`);
}

describe("search page", () => {
  it("shows title, source, date and summary for the articles matching a typed query", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await poll(() => page.getByText("needs JavaScript").isHidden()).toBe(true);
      await page.getByLabel("Search articles", { exact: true }).pressSequentially("open models", { delay: 20 });
      await expect.poll(() => page.getByRole("status").textContent()).toBe("4 results for “open models”");
      expect((await resultTitles(page)).sort()).toEqual([
        "Closed labs answer open models",
        "Open models and the price of inference",
        "Open models reach the Global South",
        "Sovereign clouds run open models",
      ]);
      const result = page.locator("[data-search-results] li", { hasText: "Open models reach the Global South" });
      await poll(() => result.locator(".result-title a").getAttribute("href")).toBe(ARTICLE);
      expect(await result.locator(".result-source").textContent()).toBe("alpha.example");
      expect(await result.locator("time").getAttribute("datetime")).toBe("2026-06-20");
      expect(await result.locator("time").textContent()).toBe("Jun 20, 2026");
      expect(await result.locator(".result-summary").textContent()).toBe(
        "Open models let universities in the Global South train and adapt their own systems.",
      );
      // the address carries the query, so the search can be shared and reloaded
      expect(new URL(page.url()).searchParams.get("q")).toBe("open models");
    });
  });

  it("narrows the results when a tag filter is chosen, and keeps the filter in the address", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await search(page, "open models", 4);
      await page.getByLabel("Tag", { exact: true }).selectOption("ai-sovereignty");
      await poll(() => page.getByRole("status").textContent()).toBe("2 results for “open models”");
      expect((await resultTitles(page)).sort()).toEqual(["Open models reach the Global South", "Sovereign clouds run open models"]);
      expect(new URL(page.url()).searchParams.get("tag")).toBe("ai-sovereignty");

      await page.reload();
      await poll(() => page.getByRole("status").textContent()).toBe("2 results for “open models”");
      expect(await page.getByLabel("Tag", { exact: true }).inputValue()).toBe("ai-sovereignty");
    });
  });

  it("lists every article with a sentiment or source when filtering without a query", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await page.getByLabel("Sentiment", { exact: true }).selectOption("positive");
      await poll(() => page.getByRole("status").textContent()).toBe("2 results");
      expect((await resultTitles(page)).sort()).toEqual(["Open models reach the Global South", "Robots learn from video"]);
      await page.getByLabel("Source", { exact: true }).selectOption("beta.example");
      await poll(() => page.getByRole("status").textContent()).toBe("1 result");
      expect(await resultTitles(page)).toEqual(["Robots learn from video"]);
    });
  });

  it("orders results newest first by default, and hottest, newest or oldest first on request", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await search(page, "open models", 4);
      const newestFirst = [
        "Open models reach the Global South", // 2026-06-20
        "Open models and the price of inference", // 2026-06-10
        "Sovereign clouds run open models", // 2026-05-02
        "Closed labs answer open models", // 2026-04-15
      ];
      await poll(() => resultTitles(page)).toEqual(newestFirst);
      const sortBy = async (label: string, expected: string[]) => {
        await page.getByLabel("Sort by", { exact: true }).selectOption({ label });
        await poll(() => resultTitles(page)).toEqual(expected);
      };
      await sortBy("Hottest first", [
        "Open models and the price of inference", // heat 85
        "Sovereign clouds run open models", // 70
        "Closed labs answer open models", // 60
        "Open models reach the Global South", // 40
      ]);
      await sortBy("Newest first", newestFirst);
      await sortBy("Oldest first", [
        "Closed labs answer open models",
        "Sovereign clouds run open models",
        "Open models and the price of inference",
        "Open models reach the Global South",
      ]);
    });
  });

  it("works from the keyboard: type, Tab past the Search button to a filter, choose with the arrow keys", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await page.getByLabel("Search articles", { exact: true }).focus();
      await page.keyboard.type("open models");
      await poll(() => page.getByRole("status").textContent()).toBe("4 results for “open models”");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Search"); // the submit button
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-tag");
      // options are sorted by name: ai-policy first, then ai-sovereignty
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      await poll(() => page.getByRole("status").textContent()).toBe("2 results for “open models”");
      expect(await page.getByLabel("Tag", { exact: true }).inputValue()).toBe("ai-sovereignty");
    });
  });

  it("shows markup in a summary as text", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/?q=closed+labs`);
      const summary = page.locator("[data-search-results] .result-summary").first();
      await poll(() => summary.textContent()).toBe("Closed labs cut prices as open models close the gap on <b>coding</b> benchmarks.");
      expect(await page.locator("[data-search-results] b").count()).toBe(0);
    });
  });

  it("marks the matched words and shows each result's heat and tags", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await search(page, "open models", 4);
      const result = page.locator("[data-search-results] li", { hasText: "Open models and the price of inference" });
      await poll(() => result.locator(".result-title mark").allTextContents()).toEqual(["Open", "models"]);
      expect(await result.locator(".result-heat").textContent()).toBe("Heat 85/100");
      expect(await result.locator(".result-tags a").count()).toBeGreaterThan(0);
      const firstTag = result.locator(".result-tags a").first();
      expect(await firstTag.getAttribute("href")).toBe(`/tags/${await firstTag.textContent()}/`);
    });
  });

  it("shows the active filters, each removable, and clears them all", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/?q=open+models&tag=ai-sovereignty&sentiment=neutral`);
      await poll(() => page.getByRole("status").textContent()).toBe("1 result for “open models”");
      const chips = page.locator("[data-search-chips] button");
      await poll(() => chips.allTextContents()).toEqual(["Tag: ai-sovereignty×", "Sentiment: neutral×"]);
      await page.getByRole("button", { name: "Remove filter Sentiment: neutral" }).click();
      await poll(() => page.getByRole("status").textContent()).toBe("2 results for “open models”");
      await poll(() => chips.allTextContents()).toEqual(["Tag: ai-sovereignty×"]);
      await page.getByRole("button", { name: "Clear filters" }).click();
      await poll(() => page.getByRole("status").textContent()).toBe("4 results for “open models”");
      await poll(() => page.locator("[data-search-active]").isHidden()).toBe(true);
      expect(await page.getByLabel("Tag", { exact: true }).inputValue()).toBe("");
      expect(new URL(page.url()).searchParams.has("tag")).toBe(false);
    });
  });

  it("says what to try when nothing matches, and loads the vocabulary only then", async () => {
    await withPage({}, async (page) => {
      const vocabularyRequests: string[] = [];
      page.on("request", (request) => {
        if (request.url().includes("search-vocabulary")) vocabularyRequests.push(request.url());
      });
      await page.goto(`${server.url}/search/`);
      await search(page, "open models", 4);
      expect(vocabularyRequests).toEqual([]); // a query that finds something downloads no vocabulary
      await page.getByLabel("Tag", { exact: true }).selectOption("robotics");
      await page.getByLabel("Search articles", { exact: true }).fill("blockchain ledgers");
      await poll(() => page.getByRole("status").textContent()).toBe("0 results for “blockchain ledgers”");
      const hints = page.locator("[data-search-hints] li");
      await poll(() => hints.allTextContents()).toEqual(["removing the filter", "fewer words", "a broader word, or browse by tag"]);
      await poll(() => vocabularyRequests.length).toBe(1);
      expect(await page.locator("[data-search-suggestion]").isHidden()).toBe(true); // no close match for either word
    });
  });

  it("offers the index's own close match for a misspelt word, and searches it when chosen", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/search/`);
      await page.getByLabel("Search articles", { exact: true }).fill("sovereinty");
      await poll(() => page.getByRole("status").textContent()).toBe("0 results for “sovereinty”");
      const suggestion = page.locator("[data-search-suggestion]");
      await poll(() => suggestion.textContent()).toBe("Did you mean sovereignty?");
      await suggestion.getByRole("link", { name: "sovereignty" }).click();
      await poll(() => page.getByRole("status").textContent()).toMatch(/^[1-9]\d* results? for “sovereignty”$/);
      expect(await page.getByLabel("Search articles", { exact: true }).inputValue()).toBe("sovereignty");
      await poll(() => page.locator("[data-search-empty]").isHidden()).toBe(true);
    });
  });

  it("says search needs JavaScript when it is off", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${server.url}/search/`);
      await poll(() => page.getByText("Search runs in your browser and needs JavaScript").isVisible()).toBe(true);
    });
  });
});

describe("narrow screens", () => {
  it("fit 360 px without sideways scrolling, a bullet citing three comments included", async () => {
    await withPage({ viewport: { width: 360, height: 800 } }, async (page) => {
      for (const path of [ARTICLE, "/", "/archive/", "/digest/2026-w25/", "/search/?q=sovereinty"]) {
        await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
        if (path === ARTICLE)
          expect(await page.locator(".positives .cites").first().textContent()).toBe(
            "(comment 990009001, comment 990009003, comment 990009004)",
          );
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBe(0);
      }
    });
  });
});

describe("pages other than search", () => {
  for (const path of ["/", ARTICLE, TAG_PAGE]) {
    it(`${path} loads and runs no JavaScript`, async () => {
      await withPage({}, async (page) => {
        const scripts: string[] = [];
        page.on("request", (request) => {
          if (request.resourceType() === "script" || /\.m?js(\?|$)/.test(request.url())) scripts.push(request.url());
        });
        const response = await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
        expect(response?.status()).toBe(200);
        expect(scripts).toEqual([]);
        // JSON-LD is data, not code; any other script element is JavaScript
        expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0);
      });
    });
  }
});

describe("accessibility (axe-core)", () => {
  const pages = [
    { name: "home", path: "/" },
    { name: "article", path: ARTICLE },
    { name: "tag page", path: TAG_PAGE },
    { name: "search with results", path: "/search/?q=open+models&tag=ai-sovereignty" },
    { name: "search with no results", path: "/search/?q=sovereinty&tag=ai-policy" },
    { name: "archive", path: "/archive/" },
    { name: "digest", path: "/digest/2026-w25/" },
  ];
  for (const colorScheme of ["light", "dark"] as const) {
    for (const { name, path } of pages) {
      it(`${name} has no violations in the ${colorScheme} theme`, async () => {
        await withPage({ colorScheme }, async (page) => {
          await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
          await page.emulateMedia({ colorScheme });
          if (path.startsWith("/search/?q=open")) {
            await poll(() => page.locator("[data-search-results] li").count()).toBeGreaterThan(0);
          } else if (path.startsWith("/search/")) {
            await poll(() => page.locator("[data-search-suggestion]").isVisible()).toBe(true);
          }
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
            const { violations } = await axe.run();
            return violations.map((v) => {
              const { id, impact, help, nodes } = v as { id: string; impact: string; help: string; nodes: { target: unknown }[] };
              return { id, impact, help, targets: nodes.map((n) => JSON.stringify(n.target)) };
            });
          });
          expect(violations).toEqual([]);
        });
      });
    }
  }
});
