// Source links in Chromium: each takeaway's "source" link opens a loopback copy of the original article scrolled to its passage, with no script.
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveStatic } from "../../scripts/fixtures/browser.ts";
import { startLoopbackServer, type LoopbackServer } from "../../scripts/fixtures/loopback-server.ts";
import { writeArticle } from "../../src/ingest/write/write.ts";
import { buildSite, type BuiltSite } from "../helpers/build-site.ts";

/** Passages of the original article with the characters a text fragment must encode: dashes, commas, quotes, non-ASCII. */
const PASSAGES = [
  "Kestrel Labs, a 40-person lab in Zürich, released Kestrel-Coder 27B — an open-weight coding model — on Tuesday.",
  "“We wanted a model that runs on one workstation,” said chief executive Dana Ruiz, adding that the weights are free for research.",
  "The model scored 71.5% on SWE-bench Verified, up from 58% for its predecessor, the lab’s own figures show.",
];
const filler = (from: number) =>
  Array.from({ length: 40 }, (_, i) => `<p>Background paragraph ${from + i} about earlier releases and the market in general.</p>`).join(
    "\n",
  );
const ORIGINAL = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kestrel-Coder 27B</title></head><body><article>
<h1>Kestrel Labs releases an open coding model</h1>
${filler(0)}
<p id="passage-1">${PASSAGES[0]}</p>
${filler(100)}
<p id="passage-2">${PASSAGES[1]}</p>
${filler(200)}
<p id="passage-3">${PASSAGES[2]}</p>
${filler(300)}
</article></body></html>`;

const SLUG = "2026-06-24-kestrel-labs-releases-an-open-coding-model";
let original: LoopbackServer;
let site: BuiltSite;
let server: LoopbackServer;
let browser: Browser;
let contentDir: string;

beforeAll(async () => {
  browser = await launchChromium();
  original = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(ORIGINAL);
  });
  contentDir = await mkdtemp(join(tmpdir(), "themata-sources-"));
  await mkdir(join(contentDir, "articles"), { recursive: true });
  // Written by the real writer, so the fingerprints are the ingest's own.
  const written = await writeArticle(
    join(contentDir, "articles"),
    {
      title: "Kestrel Labs releases an open coding model",
      url: `${original.url}/2026/06/kestrel-coder.html`,
      source: "kestrel.test",
      published: new Date("2026-06-24T00:00:00Z"),
      summary: "Kestrel Labs released Kestrel-Coder 27B, an open-weight coding model that runs on one workstation.",
      takeaways: [
        "Kestrel Labs in Zürich released the open-weight Kestrel-Coder 27B on Tuesday.",
        "Chief executive Dana Ruiz said the model runs on one workstation.",
        "It scored 71.5% on SWE-bench Verified, up from 58%.",
      ],
      evidence: PASSAGES.map((quote) => ({ quotes: [quote] })),
      tags: ["open-source-ai"],
      extraction: "full",
      provenance: {
        provider: "extractive",
        model: "extractive-v1",
        promptVersion: "extractive-1",
        generatedAt: new Date("2026-06-24T06:00:00Z"),
        inputHash: "a".repeat(64),
      },
    },
    { now: new Date("2026-06-24T06:00:00Z"), refreshWindowDays: 7 },
  );
  if (!written.ok) throw new Error(written.reason);
  // An Ask HN thread without article text: its takeaways rest on comments, and the page says so.
  const askHn = await writeArticle(
    join(contentDir, "articles"),
    {
      title: "Ask HN: Which open coding model do you run locally?",
      url: "https://news.ycombinator.com/item?id=990000777",
      source: "news.ycombinator.com",
      published: new Date("2026-06-23T00:00:00Z"),
      summary: "Commenters compare the open coding models they run on their own machines.",
      takeaways: [
        "One commenter runs a 14B model on a single GPU.",
        "Another prefers a quantised 27B model.",
        "Several say memory matters more than speed.",
      ],
      evidence: [
        { quotes: [], comments: ["990000778"] },
        { quotes: [], comments: ["990000779"] },
        { quotes: [], comments: ["990000780", "990000781"] },
      ],
      tags: ["open-source-ai"],
      extraction: "none",
      discussion: {
        url: "https://news.ycombinator.com/item?id=990000777",
        site: "hacker-news",
        id: "990000777",
        points: 40,
        comments: 12,
        fetchedAt: new Date("2026-06-24T06:00:00Z"),
      },
      provenance: {
        provider: "extractive",
        model: "extractive-v1",
        promptVersion: "extractive-2",
        generatedAt: new Date("2026-06-24T06:00:00Z"),
        inputHash: "b".repeat(64),
      },
    },
    { now: new Date("2026-06-24T06:00:00Z"), refreshWindowDays: 7 },
  );
  if (!askHn.ok) throw new Error(askHn.reason);
  site = await buildSite(contentDir);
  server = await serveStatic(site.outDir);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await original?.close();
  await site?.cleanup();
  if (contentDir) await rm(contentDir, { recursive: true, force: true });
});

describe("takeaway source links", () => {
  it("each takeaway has an accessible source link, and the article page runs no script", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/articles/${SLUG}/`);
      const links = page.locator(".takeaways a.source-link");
      expect(await links.count()).toBe(3);
      expect(await links.first().getAttribute("aria-label")).toBe(`Source of takeaway 1 in the original article: ${PASSAGES[0]}`);
      expect(await page.locator("script:not([type='application/ld+json'])").count()).toBe(0);
      if (process.env.THEMATA_SCREENSHOT) await page.screenshot({ path: process.env.THEMATA_SCREENSHOT, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it.each(["light", "dark"] as const)(
    "the article page with source links has no accessibility violations (axe-core, %s theme)",
    async (colorScheme) => {
      const context = await browser.newContext({ colorScheme });
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/articles/${SLUG}/`, { waitUntil: "networkidle" });
        await page.addScriptTag({ content: await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8") });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } })
            .axe;
          const { violations } = await axe.run();
          return violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
        });
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it("without article text, takeaways link the comments they rest on, and the page says so", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/articles/2026-06-23-ask-hn-which-open-coding-model-do-you-run-locally/`);
      await expect.poll(() => page.locator(".takeaways-note").textContent()).toContain("these takeaways rest on the comments they cite");
      expect(await page.locator(".takeaways a.source-link").count()).toBe(0);
      const links = page.locator(".takeaways li a");
      expect(await links.allTextContents()).toEqual(["comment 990000778", "comment 990000779", "comment 990000780", "comment 990000781"]);
      expect(await links.first().getAttribute("href")).toBe("https://news.ycombinator.com/item?id=990000778");
    } finally {
      await page.close();
    }
  });

  it.each([0, 1, 2])("the link of takeaway %i scrolls the original to its passage", async (i) => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    try {
      await page.goto(`${server.url}/articles/${SLUG}/`);
      await page.locator(".takeaways a.source-link").nth(i).click();
      await page.waitForURL(/kestrel-coder\.html#:~:text=/, { timeout: 30_000 });
      const target = page.locator(`#passage-${i + 1}`);
      // The browser scrolls once the text is found: wait on that, generously.
      await expect
        .poll(
          async () => {
            const box = await target.boundingBox();
            return box !== null && box.y >= 0 && box.y + box.height <= 700;
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBe(true);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
      if (process.env.THEMATA_SCREENSHOT && i === 1)
        await page.screenshot({ path: process.env.THEMATA_SCREENSHOT.replace(/\.png$/, "-original.png") });
    } finally {
      await page.close();
    }
  });
});
