// The built site, from tests/fixtures/site-content (built once for the suite, 3 articles a page, two home
// pages so the oldest articles are off the home pages): every page and feed.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFeed } from "@rowanmanning/feed-parser";
import type { CheerioAPI } from "cheerio";
import { HtmlValidate, type ConfigData } from "html-validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import htmlValidateConfig from "../../.htmlvalidate.mjs";
import { buildSite, loadHtml, readBuilt, type BuiltSite } from "../helpers/build-site.ts";

const CONTENT = fileURLToPath(new URL("../fixtures/site-content", import.meta.url));
const FULL = "/articles/2026-06-20-open-weights-reach-the-global-south/";
const SAMPLE = "/articles/2026-06-18-sample-lecun-on-open-source/";
const BARE = "/articles/2026-06-15-a-bare-article/";
const HOSTILE = "/articles/2026-06-10-hostile-text/";
const ROBOTS = "/articles/2026-04-01-world-models-and-robots/";
const ALL_ARTICLES = [
  FULL,
  SAMPLE,
  BARE,
  HOSTILE,
  "/articles/2026-05-01-open-models-and-the-price-of-inference/",
  ROBOTS,
  "/articles/2026-03-20-robots-learn-from-video/",
  "/articles/2025-01-05-an-old-clinic-robot/",
];

let site: BuiltSite;
let full: CheerioAPI;

beforeAll(async () => {
  site = await buildSite(CONTENT, {
    env: {
      THEMATA_PAGE_SIZE: "3",
      THEMATA_HOME_PAGES: "2",
      THEMATA_SITE_URL: "https://themata.test",
      THEMATA_SITE_NOTICE: "A notice on every page.",
    },
  });
  full = await loadHtml(site.outDir, FULL);
}, 240_000);

afterAll(async () => {
  await site?.cleanup();
});

const page = (path: string) => loadHtml(site.outDir, path);
const texts = ($: CheerioAPI, selector: string) =>
  $(selector)
    .map((_, el) => $(el).text().replace(/\s+/g, " ").trim())
    .get();

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => name.endsWith(".html")).map((name) => join(dir, name));
}

describe("article page", () => {
  it("shows every block of the seed, in the seed's order", () => {
    const order = [
      "main .article-header .tags",
      "main h1",
      "main .original-title",
      "main .meta .source",
      "main .meta time",
      "main .meta .reading-time",
      "main .meta .heat",
      "main .hero img",
      "main .summary",
      "main .editor-note",
      "main .takeaways",
      "main .read-original",
      "main .sentiment",
      "main .discussion",
      "main .related",
      "main .article-footer",
    ];
    const all: unknown[] = full("main *").toArray();
    const positions = order.map((selector) => {
      const element = full(selector).get(0);
      expect(element, selector).toBeDefined();
      return all.indexOf(element!);
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("fills each block from the article's fields", () => {
    const $ = full;
    expect(texts($, "main .article-header .tags a")).toEqual(["open-source-ai", "ai-sovereignty", "llms"]);
    expect($("main .article-header .tags a").first().attr("href")).toBe("/tags/open-source-ai/");
    expect($("main h1").text()).toBe("Open Weights Reach the Global South");
    expect($("main .original-title").text()).toBe("Open weights reach the Global South | Example News");
    expect($("main .meta .source").text()).toBe("news.example.com");
    expect($("main .meta time").attr("datetime")).toBe("2026-06-20");
    expect($("main .meta time").text().trim()).toBe("June 20, 2026");
    expect($("main .meta .reading-time").text()).toBe("6 min read");
    expect($("main .hero img").attr("alt")).toBe("A map of the world with glowing network lines");
    expect($("main .hero img").attr("src")).toMatch(/^\/_astro\/.+\.webp$/);
    expect($("main .summary h2").text()).toBe("Summary");
    expect($("main .summary [data-pagefind-meta=summary]").text()).toMatch(/^Universities in Kenya/);
    expect(texts($, "main .takeaways li")).toHaveLength(3);
    expect($("main .takeaways h2").text()).toBe("Key Takeaways");
  });

  it("shows the heat as five flames lit in proportion, the figure, a label, and its inputs", () => {
    const heat = full("main .meta .heat");
    expect(heat.find(".flame")).toHaveLength(5);
    expect(heat.find(".flame:not(.unlit)")).toHaveLength(3); // 55/100 of five flames, rounded
    expect(heat.find(".heat-figure").text()).toBe("55/100");
    expect(heat.find("[role=img]").attr("aria-label")).toBe("Heat 55 out of 100");
    expect(heat.find(".heat-inputs").text()).toBe("312 points · 13 comments");
  });

  it("links the original with rel=noopener, saying it opens in a new tab", () => {
    const link = full("main .read-original a");
    expect(link.attr("target")).toBe("_blank");
    expect(link.text()).toBe("Read original article ↗ (opens in a new tab)");
    expect(link.find(".visually-hidden").text()).toBe(" (opens in a new tab)");
    expect(link.find("[aria-hidden=true]").text()).toBe(" ↗");
    expect(link.attr("href")).toBe("https://news.example.com/2026/06/open-weights-global-south");
    expect(link.attr("rel")).toContain("noopener");
  });

  it("shows the sentiment label, positives and concerns, each linking the comments it cites on Hacker News", () => {
    const $ = full;
    expect($("main .sentiment h2").text()).toBe("Community Sentiment");
    expect($("main .sentiment .sentiment-label").text()).toBe("mixed");
    expect($("main .sentiment .positives h3").text()).toBe("Positives");
    expect($("main .sentiment .concerns h3").text()).toBe("Concerns");
    expect(
      $("main .positives li a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    ).toEqual(["https://news.ycombinator.com/item?id=41000001", "https://news.ycombinator.com/item?id=41000002"]);
    expect($("main .concerns li a").attr("href")).toBe("https://news.ycombinator.com/item?id=41000003");
    expect($("main .discussion a").attr("href")).toBe("https://news.ycombinator.com/item?id=41000000");
    expect($("main .discussion a").text()).toContain("Hacker News");
  });

  it("lists up to five related articles with title, date and link", () => {
    const items = full("main .related li");
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    expect(full("main .related h2").text()).toBe("Related Articles");
    for (const item of items.toArray()) {
      expect(full(item).find("a").attr("href")).toMatch(/^\/articles\/[a-z0-9-]+\/$/);
      expect(full(item).find("time").attr("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(
      full("main .related a")
        .map((_, a) => full(a).attr("href"))
        .get(),
    ).not.toContain(FULL);
  });

  it("shows a related article's original title under its headline, as the seed does", async () => {
    const lines: string[] = [];
    for (const path of ALL_ARTICLES.filter((p) => p !== FULL)) {
      const $ = await page(path);
      $("main .related li")
        .filter((_, li) => $(li).find("a").attr("href") === FULL)
        .each((_, li) => void lines.push($(li).find(".related-original").text()));
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines)).toEqual(new Set(["Open weights reach the Global South | Example News"]));
  });

  it("ranks related articles by shared tags and title words", async () => {
    const $ = await page(ROBOTS);
    // "Robots Learn From Video" shares two tags and a title word; the clinic robot shares one tag.
    expect(
      $("main .related a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    ).toEqual(["/articles/2026-03-20-robots-learn-from-video/", "/articles/2025-01-05-an-old-clinic-robot/"]);
    expect(texts($, "main .related time")).toEqual(["Mar 20, 2026", "Jan 5, 2025"]);
  });

  it("links 'Suggest a fix' to the article's Markdown file in the repository", async () => {
    const link = full("main .article-footer a");
    expect(link.text()).toBe("Suggest a fix");
    expect(link.attr("href")).toBe(
      "https://github.com/themata-ai/themata/edit/main/content/articles/2026/2026-06-20-open-weights-reach-the-global-south.md",
    );
  });

  it("renders the editor's Markdown body under the summary, with raw HTML sanitised", () => {
    const note = full("main .summary .editor-note");
    expect(note.find("strong").text()).toBe("bold text");
    expect(note.find("a[href='https://example.org/more']").text()).toBe("a link");
    expect(note.html()).not.toMatch(/<script|onerror|javascript:/i);
    expect(
      full("script")
        .map((_, s) => full(s).attr("type"))
        .get(),
    ).toEqual(["application/ld+json"]);
  });

  it("carries canonical URL, OpenGraph, Twitter meta and a NewsArticle JSON-LD", () => {
    const $ = full;
    const url = `https://themata.test${FULL}`;
    expect($("link[rel=canonical]").attr("href")).toBe(url);
    expect($("meta[property='og:url']").attr("content")).toBe(url);
    expect($("meta[property='og:type']").attr("content")).toBe("article");
    expect($("meta[property='og:title']").attr("content")).toBe("Open Weights Reach the Global South");
    expect($("meta[property='og:image']").attr("content")).toMatch(/^https:\/\/themata\.test\/_astro\/.+\.webp$/);
    expect($("meta[name='twitter:card']").attr("content")).toBe("summary_large_image");
    expect($("meta[name=description]").attr("content")).toMatch(/^Universities in Kenya/);
    const ld = JSON.parse($("script[type='application/ld+json']").text());
    expect(ld).toMatchObject({
      "@type": "NewsArticle",
      headline: "Open Weights Reach the Global South",
      url,
      datePublished: "2026-06-20T00:00:00.000Z",
      isBasedOn: "https://news.example.com/2026/06/open-weights-global-south",
      author: { "@type": "Person", name: "Ama Mensah" },
      publisher: {
        "@type": "Organization",
        name: "Themata.AI",
        logo: { "@type": "ImageObject", url: "https://themata.test/icon-512.png" },
      },
    });
    expect(ld.image).toEqual([$("meta[property='og:image']").attr("content")]);
  });

  it("shares the article's picture, else its stored card, else the site's card, always as a large image", async () => {
    const bare = await page(BARE);
    const hostile = await page(HOSTILE);
    expect(bare("meta[property='og:image']").attr("content")).toBe("https://themata.test/cards/2026-06-15-a-bare-article.png");
    expect(bare("meta[name='twitter:image']").attr("content")).toBe("https://themata.test/cards/2026-06-15-a-bare-article.png");
    expect(bare("meta[property='og:image:width']").attr("content")).toBe("1200");
    expect(bare("meta[property='og:image:height']").attr("content")).toBe("630");
    expect(hostile("meta[property='og:image']").attr("content")).toBe("https://themata.test/social-card.png");
    for (const $ of [full, bare, hostile]) expect($("meta[name='twitter:card']").attr("content")).toBe("summary_large_image");
    // The card is copied into the site as stored: a 1200×630 PNG.
    const card = await readFile(join(site.outDir, "cards/2026-06-15-a-bare-article.png"));
    expect([card.readUInt32BE(16), card.readUInt32BE(20)]).toEqual([1200, 630]);
    const stored = await readFile(join(CONTENT, "articles/2026/cards/2026-06-15-a-bare-article.png"));
    expect(card.equals(stored)).toBe(true);
    // Without an author on the page, the publisher stands as author.
    expect(JSON.parse(bare("script[type='application/ld+json']").text()).author).toMatchObject({
      "@type": "Organization",
      name: "Themata.AI",
    });
  });

  it("offers PNG icons, an apple-touch-icon and a web manifest", async () => {
    const $ = full;
    expect($("link[rel=icon][type='image/png']").attr("href")).toBe("/favicon-32.png");
    expect($("link[rel=apple-touch-icon]").attr("href")).toBe("/apple-touch-icon.png");
    const manifest = JSON.parse(await readBuilt(site.outDir, $("link[rel=manifest]").attr("href")!));
    expect(manifest.icons.map((i: { src: string }) => i.src)).toContain("/icon-512.png");
    for (const icon of ["/favicon-32.png", "/apple-touch-icon.png", "/icon-192.png", "/icon-512.png", "/social-card.png"]) {
      expect((await readFile(join(site.outDir, icon))).subarray(1, 4).toString(), icon).toBe("PNG");
    }
  });

  it("marks the article for search: body, filters, sort keys and result meta; chrome ignored", () => {
    const $ = full;
    expect($("[data-pagefind-body]")).toHaveLength(1);
    expect($("main article[data-pagefind-body]")).toHaveLength(1);
    expect(texts($, "[data-pagefind-filter=tag]")).toEqual(["open-source-ai", "ai-sovereignty", "llms"]);
    expect($("[data-pagefind-filter=sentiment]").text()).toBe("mixed");
    expect($("[data-pagefind-filter=source]").text()).toBe("news.example.com");
    expect($("[data-pagefind-sort='date[datetime]']").attr("datetime")).toBe("2026-06-20");
    expect($("[data-pagefind-sort='heat[data-heat]']").attr("data-heat")).toBe("055");
    expect($("[data-pagefind-meta=title]").text()).toBe("Open Weights Reach the Global South");
    expect($("[data-pagefind-meta=source]").text()).toBe("news.example.com");
    expect($("[data-pagefind-meta=summary]").text()).toMatch(/^Universities/);
    for (const selector of [".site-header", ".sidebar", ".site-footer", "main .related", "main .article-footer"]) {
      expect($(selector).attr("data-pagefind-ignore"), selector).toBeDefined();
    }
  });

  it("notes a sample article visibly and links none of its comments or thread to Hacker News", async () => {
    const $ = await page(SAMPLE);
    expect($("main .sample-note").text()).toContain("Sample article");
    expect($("main .sentiment li").length).toBe(2);
    expect($("main .sentiment a")).toHaveLength(0);
    expect($("main .sentiment .cites").first().text()).toBe("(comment 990000016)");
    expect($("main .discussion").text()).toContain("news.ycombinator.com/item?id=990000001");
    expect($("a[href*='news.ycombinator.com']")).toHaveLength(0);
    expect(full("main .sample-note")).toHaveLength(0);
  });

  it("leaves out every missing optional block, with no empty heading", async () => {
    const $ = await page(BARE);
    for (const selector of [
      ".original-title",
      ".reading-time",
      ".heat",
      ".hero",
      ".editor-note",
      ".takeaways",
      ".sentiment",
      ".discussion",
      ".sample-note",
    ]) {
      expect($(`main ${selector}`), selector).toHaveLength(0);
    }
    for (const heading of $("main h1, main h2, main h3").toArray()) {
      const section = $(heading).parent();
      expect(section.text().trim().length, $(heading).text()).toBeGreaterThan($(heading).text().length);
    }
    expect(
      $("main h2")
        .map((_, h) => $(h).text())
        .get(),
    ).toEqual(["Summary", "Related Articles"]);
    // Without a heat figure, search still gets a heat sort key.
    expect($("[data-pagefind-sort='heat[data-heat]']").attr("data-heat")).toBe("000");
    expect($("main .meta time").text().trim()).toBe("June 15, 2026");
  });

  it("says when the summary rests on the discussion because the article could not be read in full", async () => {
    expect((await page(BARE))("main .extraction-note").text()).toContain("rests mostly on the community discussion");
    expect((await page(HOSTILE))("main .extraction-note").text()).toContain("Only part of the original article");
    expect(full("main .extraction-note")).toHaveLength(0);
  });

  it("prints a <script> planted in a title, summary, takeaway or sentiment bullet as text", async () => {
    const raw = await readBuilt(site.outDir, HOSTILE);
    const $ = await page(HOSTILE);
    expect($("script")).toHaveLength(1); // the JSON-LD only
    expect($("main [data-pagefind-meta=summary]").text()).toBe("Before <script>alert('summary')</script> after. A second sentence.");
    expect($("main .concerns li").text()).toContain("Planted <script>alert('bullet')</script> in a bullet.");
    expect($("main .takeaways li").text()).toBe("<b>not bold</b> stays text");
    expect($("main b")).toHaveLength(0);
    // Outside quoted attribute values (where `<` is inert), no planted tag survives unescaped.
    expect(raw.replace(/="[^"]*"/g, '=""')).not.toContain("<script>alert");
    expect(raw).toContain("&lt;script&gt;alert(&#39;summary&#39;)");
  });

  it("keeps a </script> in a title inside the JSON-LD as data", async () => {
    const $ = await page(HOSTILE);
    const ld = JSON.parse($("script[type='application/ld+json']").text());
    expect(ld.headline).toBe("Hostile </script><script>alert('title')</script> Title");
    const raw = await readBuilt(site.outDir, HOSTILE);
    expect(raw).toContain("Hostile \\u003c/script\\u003e");
  });
});

describe("home page", () => {
  it("shows the site name, tagline, RSS subscribe link and popular tags as #tag links", async () => {
    const $ = await page("/");
    expect($("main h1").text()).toBe("Themata.AI");
    expect($(".brand").text()).toBe("Themata.AI");
    expect($(".sidebar .tagline").text()).toMatch(/^AI is changing the world\. Don't stay behind\./);
    expect($(".sidebar .subscribe a[href='/rss.xml']")).toHaveLength(1);
    expect($(".sidebar .subscribe form")).toHaveLength(0); // no newsletter endpoint configured
    expect($(".popular-tags h2").text()).toBe("Popular tags:");
    expect($(".popular-tags a").first().attr("href")).toBe("/tags/open-source-ai/");
    expect(texts($, ".popular-tags a")[0]).toBe("#open-source-ai");
  });

  it("counts popular tags over the 90 days before the newest article's week only", async () => {
    // The newest article is on Saturday Jun 20, 2026: its week starts on Monday Jun 15.
    const $ = await page("/");
    const popular = texts($, ".popular-tags a");
    expect(popular.slice(0, 3)).toEqual(["#open-source-ai", "#robotics", "#world-models"]); // two articles each, ties by name
    expect(popular).toContain("#computer-vision"); // only on Mar 20: 87 days before Jun 15, inside
    expect(popular).not.toContain("#yann-lecun"); // only on Jun 18: in the newest week, counted from the next
    expect(popular).not.toContain("#healthcare"); // 2025
  });

  it("lists the latest articles as cards with title, source, date, heat, first sentence and tags", async () => {
    const $ = await page("/");
    const cards = $("main .card");
    expect(cards).toHaveLength(3);
    const first = cards.first();
    expect(first.find("h2 a").attr("href")).toBe(FULL);
    expect(first.find("h2 a").text()).toBe("Open Weights Reach the Global South");
    expect(first.find("img").attr("alt")).toBe("A map of the world with glowing network lines");
    expect(first.find(".meta").text()).toContain("news.example.com");
    expect(first.find("time").attr("datetime")).toBe("2026-06-20");
    expect(first.find(".heat-figure").text()).toBe("55/100");
    expect(first.find("p").last().text()).toBe(
      "Universities in Kenya, Brazil and Indonesia now fine-tune open-weight language models on local hardware.",
    );
    expect(texts($, "main .card").length).toBe(3);
    expect(
      first
        .find(".tags a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    ).toContain("/tags/llms/");
    expect(cards.eq(2).find("img")).toHaveLength(0);
  });

  it("paginates the latest articles, newest first, with previous and next links, up to the home pages' limit", async () => {
    const pages = await Promise.all(["/", "/2/"].map(page));
    const hrefs = pages.map(($) =>
      $("main .card h2 a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    );
    expect(hrefs.flat()).toEqual(ALL_ARTICLES.slice(0, 6));
    expect(pages[0]("a[rel=next]").attr("href")).toBe("/2/");
    expect(pages[0]("a[rel=prev]")).toHaveLength(0);
    expect(pages[1]("a[rel=prev]").attr("href")).toBe("/");
    expect(pages[1]("a[rel=next]")).toHaveLength(0);
    expect(pages[1]("link[rel=canonical]").attr("href")).toBe("https://themata.test/2/");
    await expect(page("/3/")).rejects.toThrow(/ENOENT/);
  });

  it("says on its last page how many older articles there are and links the archive", async () => {
    const $ = await page("/2/");
    expect($("main .older").text().replace(/\s+/g, " ")).toMatch(/^2 older articles: browse every article in the archive/);
    expect($("main .older a").first().attr("href")).toBe("/archive/");
    expect((await page("/"))("main .older")).toHaveLength(0);
  });
});

describe("tags", () => {
  it("lists every tag with its count on /tags/", async () => {
    const $ = await page("/tags/");
    const entries = texts($, "main .tag-index li");
    expect(entries[0]).toBe("#open-source-ai (5)");
    expect(entries).toContain("#healthcare (1)");
    expect(entries).toContain("#robotics (3)");
    expect(entries).toHaveLength(10);
  });

  it("shows a tag's articles newest first at /tags/<tag>/ with its count and feed, on the front page alone under two pages' worth", async () => {
    // 5 articles at 3 a page: numbered pages hold full pages counted from the oldest, and the front keeps 3 to 5.
    const first = await page("/tags/open-source-ai/");
    expect(first("main h1").text()).toBe("#open-source-ai");
    expect(first("main .intro").text()).toContain("5 articles");
    expect(first("main .card")).toHaveLength(5);
    expect(first("main .pagination")).toHaveLength(0);
    await expect(page("/tags/open-source-ai/1/")).rejects.toThrow(/ENOENT/);
    await expect(page("/tags/open-source-ai/2/")).rejects.toThrow(/ENOENT/);
    expect(first("main a[href='/tags/open-source-ai/rss.xml']")).toHaveLength(1);
    expect(first("link[rel=alternate][href='/tags/open-source-ai/rss.xml']")).toHaveLength(1);
    const all = first("main .card h2 a")
      .map((_, a) => first(a).attr("href"))
      .get();
    expect(all).toEqual([FULL, SAMPLE, BARE, HOSTILE, "/articles/2026-05-01-open-models-and-the-price-of-inference/"]);
  });
});

describe("feeds", () => {
  it("/rss.xml parses and holds the latest articles with title, link, date, summary and tags", async () => {
    const feed = parseFeed(await readBuilt(site.outDir, "/rss.xml"));
    expect(feed.title).toBe("Themata.AI");
    expect(feed.items).toHaveLength(8);
    const item = feed.items[0];
    expect(item.title).toBe("Open Weights Reach the Global South");
    expect(item.url).toBe(`https://themata.test${FULL}`);
    expect(item.published?.toISOString()).toBe("2026-06-20T00:00:00.000Z");
    expect(item.description).toMatch(/^Universities in Kenya/);
    expect(item.categories.map((c) => c.term)).toEqual(["open-source-ai", "ai-sovereignty", "llms"]);
    const hostile = feed.items.find((i) => i.url?.endsWith(HOSTILE));
    expect(hostile?.description).toBe("Before <script>alert('summary')</script> after. A second sentence.");
  });

  it("every feed names its own URL (atom:link rel=self) and its newest item's date as lastBuildDate", async () => {
    for (const [path, newest] of [
      ["/rss.xml", "Sat, 20 Jun 2026 00:00:00 GMT"],
      ["/tags/robotics/rss.xml", "Wed, 01 Apr 2026 00:00:00 GMT"],
      ["/digest/rss.xml", "Mon, 15 Jun 2026 00:00:00 GMT"],
    ]) {
      const raw = await readBuilt(site.outDir, path);
      expect(raw, path).toContain(`<atom:link href="https://themata.test${path}" rel="self" type="application/rss+xml"/>`);
      expect(raw, path).toContain(`xmlns:atom="http://www.w3.org/2005/Atom"`);
      expect(raw, path).toContain(`<lastBuildDate>${newest}</lastBuildDate>`);
    }
  });

  it("/tags/<tag>/rss.xml parses and holds only that tag's articles", async () => {
    const feed = parseFeed(await readBuilt(site.outDir, "/tags/robotics/rss.xml"));
    expect(feed.title).toBe("Themata.AI: #robotics");
    expect(feed.items.map((i) => i.title)).toEqual(["World Models Teach Robots to Plan", "Robots Learn From Video", "An Old Clinic Robot"]);
    for (const item of feed.items) expect(item.categories.map((c) => c.term)).toContain("robotics");
  });
});

describe("archive", () => {
  it("lists every month holding articles, newest first, grouped by year, with counts", async () => {
    const $ = await page("/archive/");
    expect($("main h1").text()).toBe("Archive");
    expect(texts($, "main .archive-year h2")).toEqual(["2026", "2025"]);
    expect(texts($, "main .archive-months li")).toEqual([
      "June 2026 (4)",
      "May 2026 (1)",
      "April 2026 (1)",
      "March 2026 (1)",
      "January 2025 (1)",
    ]);
    expect($("main .archive-months a").first().attr("href")).toBe("/archive/2026-06/");
  });

  it("gives each month a page of cards, newest first, paginated, with the neighbouring months", async () => {
    const first = await page("/archive/2026-06/");
    const second = await page("/archive/2026-06/2/");
    expect(first("main h1").text()).toBe("June 2026");
    const cards = [first, second].flatMap(($) =>
      $("main .card h2 a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    );
    expect(cards).toEqual([FULL, SAMPLE, BARE, HOSTILE]);
    expect(first("a[rel=next]").attr("href")).toBe("/archive/2026-06/2/");
    expect(texts(first, "main .month-nav a")).toEqual(["May 2026 →"]);
    const may = await page("/archive/2026-05/");
    expect(
      may("main .month-nav a")
        .map((_, a) => may(a).attr("href"))
        .get(),
    ).toEqual(["/archive/2026-06/", "/archive/2026-04/"]);
  });

  it("links each article's date to its month in the archive", () => {
    expect(full("main .meta a.date-link").attr("href")).toBe("/archive/2026-06/");
    expect(full("main .meta a.date-link time").attr("datetime")).toBe("2026-06-20");
  });

  /** Every page reachable from `start` by following the site's own links in built HTML, for paths `follow` accepts. */
  async function crawl(start: string, follow: (path: string) => boolean): Promise<Set<string>> {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (!path.endsWith("/")) continue;
      const $ = await page(path);
      for (const href of $("a[href]")
        .map((_, a) => $(a).attr("href"))
        .get()) {
        const url = new URL(href, `https://themata.test${path}`);
        if (url.origin !== "https://themata.test" || !url.pathname.startsWith("/")) continue;
        const next = url.pathname;
        if (seen.has(next)) continue;
        seen.add(next);
        if (follow(next)) queue.push(next);
      }
    }
    return seen;
  }

  it("a crawl from / following links reaches every article page, without search", async () => {
    const reached = await crawl("/", (path) => !path.startsWith("/search/"));
    for (const article of ALL_ARTICLES) expect(reached.has(article), article).toBe(true);
    // The archive alone reaches them too: home pages and archive pages only, no tag pages, no related links.
    const viaArchive = await crawl("/", (path) => /^\/(\d+\/)?$/.test(path) || path.startsWith("/archive/"));
    for (const article of ALL_ARTICLES) expect(viaArchive.has(article), article).toBe(true);
  });
});

describe("weekly digest", () => {
  it("gives each ISO week a page with its articles hottest first: title, source, summary and sentiment", async () => {
    const $ = await page("/digest/2026-w25/");
    expect($("main h1").text()).toBe("Week 25, 2026 (Jun 15 – Jun 21)");
    expect(
      $("main .digest h2 a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    ).toEqual([FULL, SAMPLE, BARE]);
    const first = $("main .digest > li").first();
    expect(first.find(".meta").text()).toContain("news.example.com");
    expect(first.find(".sentiment-label").text()).toBe("mixed");
    expect(first.find("p").text()).toMatch(/^Universities in Kenya/);
    expect($("main .so-far").text()).toContain("so far");
    expect($("a[rel=next]").attr("href")).toBe("/digest/2026-w24/");
    expect((await page("/digest/2026-w24/"))("main .so-far")).toHaveLength(0);
  });

  it("files early-January days under the ISO week's own year", async () => {
    const $ = await page("/digest/2025-w01/");
    expect($("main .digest h2 a").attr("href")).toBe("/articles/2025-01-05-an-old-clinic-robot/");
  });

  it("lists every week, newest first, the newest marked so far, with the digest feed", async () => {
    const $ = await page("/digest/");
    expect(texts($, "main .digest-weeks li")).toEqual([
      "Week 25, 2026 (Jun 15 – Jun 21) (3 articles, so far)",
      "Week 24, 2026 (Jun 8 – Jun 14) (1 article)",
      "Week 18, 2026 (Apr 27 – May 3) (1 article)",
      "Week 14, 2026 (Mar 30 – Apr 5) (1 article)",
      "Week 12, 2026 (Mar 16 – Mar 22) (1 article)",
      "Week 1, 2025 (Dec 30 – Jan 5) (1 article)",
    ]);
    expect($("main a[href='/digest/rss.xml']")).toHaveLength(1);
    expect($("link[rel=alternate][href='/digest/rss.xml']")).toHaveLength(1);
  });

  it("feeds one item per completed week, its content the week's digest; the week so far stays out", async () => {
    const raw = await readBuilt(site.outDir, "/digest/rss.xml");
    const feed = parseFeed(raw);
    expect(feed.title).toBe("Themata.AI weekly digest");
    expect(feed.items.map((i) => i.url)).toEqual(
      ["2026-w24", "2026-w18", "2026-w14", "2026-w12", "2025-w01"].map((key) => `https://themata.test/digest/${key}/`),
    );
    const week24 = feed.items[0];
    expect(week24.title).toBe("Themata weekly digest: Week 24, 2026 (Jun 8 – Jun 14)");
    expect(week24.published?.toISOString()).toBe("2026-06-15T00:00:00.000Z");
    expect(week24.content).toContain(`<a href="https://themata.test${HOSTILE}">Hostile `);
    expect(week24.content).toContain("community: negative");
    // The content is HTML with the title as text: a planted </script> is an entity in the HTML, itself escaped in the XML.
    expect(raw).toContain("Hostile &amp;#60;/script&amp;#62;");
    const encoded = raw.match(/<content:encoded>[^]*?<\/content:encoded>/g) ?? [];
    expect(encoded).toHaveLength(5);
    for (const content of encoded) expect(content).not.toMatch(/&lt;\/?script/);
    expect(feed.updated?.toISOString()).toBe("2026-06-15T00:00:00.000Z");
  });

  it("is offered in the subscribe block", async () => {
    const $ = await page("/");
    expect($(".sidebar .subscribe a[href='/digest/rss.xml']").text()).toBe("Weekly digest");
  });
});

describe("static pages, 404, sitemap and robots.txt", () => {
  it("renders about, privacy, cookies and contact from Markdown, linked from every footer as on the seed", async () => {
    for (const path of ["/about/", "/privacy/", "/cookies/", "/contact/"]) {
      const $ = await page(path);
      expect($("main h1").text().length, path).toBeGreaterThan(0);
      expect($("main p").length, path).toBeGreaterThan(0);
      expect($("[data-pagefind-body]"), path).toHaveLength(0);
    }
    const $ = full;
    expect(texts($, ".site-footer nav a")).toEqual(["Archive", "Weekly digest", "About", "Privacy", "Cookies", "Contact"]);
    expect($(".site-footer p").text()).toBe("© 2026 Themata.AI • All Rights Reserved");
  });

  it("shows the site notice (the demo's) at the top of every page's main content, kept out of search", async () => {
    for (const path of ["/", FULL, "/archive/", "/search/"]) {
      const $ = await page(path);
      expect($("main > .site-notice").text(), path).toBe("A notice on every page.");
      expect($("main > .site-notice").attr("data-pagefind-ignore"), path).toBeDefined();
    }
  });

  it("writes a 404 page kept out of search engines", async () => {
    const $ = await page("/404.html");
    expect($("main h1").text()).toBe("Page not found");
    expect($("meta[name=robots]").attr("content")).toBe("noindex");
  });

  it("lists every article, tag page and static page in the sitemap", async () => {
    const index = await readBuilt(site.outDir, "/sitemap-index.xml");
    expect(index).toContain("https://themata.test/sitemap-0.xml");
    const sitemap = await readBuilt(site.outDir, "/sitemap-0.xml");
    for (const path of [...ALL_ARTICLES, "/", "/2/", "/tags/", "/tags/robotics/", "/about/"]) {
      expect(sitemap, path).toContain(`<loc>https://themata.test${path}</loc>`);
    }
  });

  it("dates each article in the sitemap from its frontmatter (the discussion's last fetch, else publication)", async () => {
    const sitemap = await readBuilt(site.outDir, "/sitemap-0.xml");
    const entry = (path: string) =>
      new RegExp(`<url><loc>https://themata\\.test${path}</loc><lastmod>([^<]+)</lastmod>`).exec(sitemap)?.[1];
    expect(entry(FULL)).toBe("2026-06-21T06:00:00.000Z");
    expect(entry(BARE)).toBe("2026-06-15T00:00:00.000Z");
    expect(sitemap).toContain("<url><loc>https://themata.test/tags/</loc></url>");
  });

  it("points robots.txt at the sitemap index", async () => {
    const robots = await readBuilt(site.outDir, "/robots.txt");
    expect(robots).toContain("User-agent: *");
    expect(robots).toContain("Sitemap: https://themata.test/sitemap-index.xml");
  });
});

describe("valid HTML", () => {
  // One page of every kind, and the pages whose content is hostile or sparse (numbered tag pages: tests/build/tag-pages.test.ts).
  const KINDS = [
    "/",
    "/2/",
    FULL,
    SAMPLE,
    BARE,
    HOSTILE,
    "/tags/",
    "/tags/open-source-ai/",
    "/archive/",
    "/archive/2026-06/",
    "/archive/2026-06/2/",
    "/digest/",
    "/digest/2026-w25/",
    "/search/",
    "/about/",
    "/404.html",
  ];

  it("passes html-validate's recommended rules on every page kind", async () => {
    const validator = new HtmlValidate(htmlValidateConfig as ConfigData);
    const problems: string[] = [];
    for (const path of KINDS) {
      const report = await validator.validateString(await readBuilt(site.outDir, path), path);
      for (const result of report.results)
        for (const m of result.messages) problems.push(`${path} ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("every page", () => {
  it("has landmarks, a skip link to main, canonical URL, OpenGraph and Twitter meta, and no client script outside search", async () => {
    const files = await htmlFiles(site.outDir);
    expect(files.length).toBe(41);
    for (const file of files) {
      const path = relative(site.outDir, file);
      const $ = await loadHtml(site.outDir, path);
      expect($("header.site-header"), path).toHaveLength(1);
      expect($("nav"), path).not.toHaveLength(0);
      expect($("main#main"), path).toHaveLength(1);
      expect($("footer.site-footer"), path).toHaveLength(1);
      expect($("body > a.skip-link").attr("href"), path).toBe("#main");
      expect($("html").attr("lang"), path).toBe("en");
      expect($("link[rel=canonical]").attr("href"), path).toMatch(/^https:\/\/themata\.test\//);
      for (const meta of ["og:title", "og:description", "og:url", "og:type"]) {
        expect($(`meta[property='${meta}']`).attr("content"), `${path} ${meta}`).toBeTruthy();
      }
      expect($("meta[name='twitter:card']").attr("content"), path).toBeTruthy();
      expect($("meta[name=viewport]").attr("content"), path).toContain("width=device-width");
      if (path.startsWith("search/")) continue;
      const scripts = $("script")
        .map((_, s) => $(s).attr("type") ?? "")
        .get();
      expect(
        scripts.filter((type) => type !== "application/ld+json"),
        path,
      ).toEqual([]);
    }
  });

  it("styles light and dark themes with prefers-color-scheme", async () => {
    const $ = full;
    const href = $("link[rel=stylesheet]").attr("href");
    const css = href ? await readBuilt(site.outDir, href) : $("style").text();
    expect(css).toMatch(/prefers-color-scheme:\s*dark/);
    expect(css).toContain("--bg");
  });
});
