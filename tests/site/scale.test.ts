// 1,000 generated articles, built once: related articles, popular tags, pagination and feeds are
// checked against expectations computed here from the generated data, not by the site's helpers.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import type { CheerioAPI } from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleFileText, generateContent, type GeneratedArticle } from "../../scripts/bench/generate-content.ts";
import { titleWords } from "../../src/lib/related.ts";
import { buildSite, loadHtml, readBuilt, type BuiltSite } from "../helpers/build-site.ts";

const N = 1000;
const PAGE_SIZE = 20;
const HOME_PAGES = 10;
const FEED_SIZE = 50;
const SITE_URL = "https://themata.test";
const DAY = 86_400_000;

/** A known family: six articles sharing two tags nobody else has, so each one's related articles are the other five. */
const FAMILY_TAGS = ["scale-family-alpha", "scale-family-beta"];
const FAMILY_TITLES = [
  "Quokka Lanterns Drift",
  "Narwhal Ledgers Hum",
  "Ocelot Ferries Glow",
  "Pangolin Kites Rest",
  "Marmot Anvils Sing",
  "Tapir Beacons Wane",
];
/** An article whose only tag is its own: it has no related articles. */
const LONER_TAG = "scale-lonely-tag";

interface Item {
  id: string; // `<year>/<slug>`, as the collection names it
  slug: string;
  title: string;
  published: Date;
  tags: string[];
}

let content: string;
let site: BuiltSite;
let items: Item[]; // newest first, equal dates by id: the order every list uses
const bySlug = new Map<string, Item>();

function planted(slug: string, title: string, daysAgo: number, tags: string[], like: GeneratedArticle): GeneratedArticle {
  const published = new Date(Date.UTC(2026, 3, 1) - daysAgo * DAY);
  const day = published.toISOString().slice(0, 10);
  const fullSlug = `${day}-${slug}`;
  return {
    file: `${day.slice(0, 4)}/${fullSlug}.md`,
    slug: fullSlug,
    body: "",
    data: { ...like.data, title, originalTitle: undefined, published, tags, url: `https://example.org/${fullSlug}` },
  };
}

beforeAll(async () => {
  content = await mkdtemp(join(tmpdir(), "themata-scale-"));
  const generated = await generateContent(N, content, 7);
  const extra = [
    ...FAMILY_TITLES.map((title, i) => planted(`family-${i}`, title, i * 3, [...FAMILY_TAGS], generated[i])),
    planted("loner", "Axolotl Sundials Wait", 10, [LONER_TAG], generated[10]),
  ];
  for (const article of extra) await writeFile(join(content, "articles", article.file), articleFileText(article));
  items = [...generated, ...extra]
    .map((a) => ({
      id: a.file.replace(/\.md$/, ""),
      slug: a.slug,
      title: a.data.title,
      published: new Date(a.data.published as Date),
      tags: [...(a.data.tags ?? [])],
    }))
    .sort((a, b) => b.published.valueOf() - a.published.valueOf() || (a.id < b.id ? -1 : 1));
  for (const item of items) bySlug.set(item.slug, item);
  site = await buildSite(content, { env: { THEMATA_SITE_URL: SITE_URL, THEMATA_PAGE_SIZE: String(PAGE_SIZE) } });
}, 240_000);

afterAll(async () => {
  await site?.cleanup();
  if (content) await rm(content, { recursive: true, force: true });
});

const page = (path: string) => loadHtml(site.outDir, path);
const cardSlugs = ($: CheerioAPI) =>
  $("main .cards h2 a")
    .map((_, a) => slugOf($(a).attr("href")!))
    .get();
const slugOf = (href: string) => /\/articles\/([^/]+)\/$/.exec(new URL(href, SITE_URL).pathname)![1];
const path = (item: Item) => `/articles/${item.slug}/`;

/** Each tag's articles, newest first, counted from the generated files. */
function tagLists(): Map<string, Item[]> {
  const lists = new Map<string, Item[]>();
  for (const item of items) for (const tag of new Set(item.tags)) lists.set(tag, [...(lists.get(tag) ?? []), item]);
  return lists;
}

describe("1,000 generated articles", () => {
  it("builds a page for every article", async () => {
    const sitemap = await readBuilt(site.outDir, "/sitemap-0.xml");
    const urls = new Set(sitemap.match(/<loc>[^<]+<\/loc>/g)!.map((loc) => loc.slice(5, -6)));
    for (const item of items) expect(urls.has(`${SITE_URL}${path(item)}`), item.slug).toBe(true);
  });

  it("lists only the latest articles on the home pages, newest first, 20 a page", async () => {
    const first = await page("/");
    expect(cardSlugs(first)).toEqual(items.slice(0, PAGE_SIZE).map((i) => i.slug));
    const last = await page(`/${HOME_PAGES}/`);
    expect(cardSlugs(last)).toEqual(items.slice((HOME_PAGES - 1) * PAGE_SIZE, HOME_PAGES * PAGE_SIZE).map((i) => i.slug));
    expect(last("main .pagination a[rel=next]")).toHaveLength(0);
    expect(last("main .older").text()).toContain(`${(items.length - HOME_PAGES * PAGE_SIZE).toLocaleString("en-US")} older articles`);
    await expect(readBuilt(site.outDir, `/${HOME_PAGES + 1}/`)).rejects.toThrow();
  });

  it("pages a busy and a middling tag from the oldest: page k holds its k-th 20 oldest, the front page the newest rest", async () => {
    const lists = tagLists();
    const [busiest] = [...lists].sort((a, b) => b[1].length - a[1].length);
    const mid = [...lists].find(([, list]) => list.length > PAGE_SIZE * 3 && list.length < PAGE_SIZE * 5)!;
    for (const [tag, list] of [busiest, mid]) {
      const oldestFirst = [...list].reverse();
      const numbered = Math.floor(list.length / PAGE_SIZE) - 1;
      const onFront = list.length - numbered * PAGE_SIZE;
      expect(onFront, tag).toBeGreaterThanOrEqual(PAGE_SIZE);
      expect(onFront, tag).toBeLessThan(2 * PAGE_SIZE);
      const front = await page(`/tags/${tag}/`);
      expect(cardSlugs(front), `${tag} front page`).toEqual(list.slice(0, onFront).map((i) => i.slug));
      expect(front("main .intro").text(), tag).toContain(`${list.length} articles`);
      expect(front("main .pagination a[rel=next]").attr("href"), tag).toBe(`/tags/${tag}/${numbered}/`);
      for (const k of [1, 2, numbered]) {
        const $ = await page(`/tags/${tag}/${k}/`);
        const held = oldestFirst.slice((k - 1) * PAGE_SIZE, k * PAGE_SIZE).reverse();
        expect(cardSlugs($), `${tag} page ${k}`).toEqual(held.map((i) => i.slug));
        expect($("main .pagination a[rel=prev]").attr("href"), `${tag} page ${k}`).toBe(
          k === numbered ? `/tags/${tag}/` : `/tags/${tag}/${k + 1}/`,
        );
        expect($("main .pagination .count").text(), `${tag} page ${k}`).toBe(`Page ${k}`);
      }
      await expect(readBuilt(site.outDir, `/tags/${tag}/${numbered + 1}/`)).rejects.toThrow();
      await expect(readBuilt(site.outDir, `/tags/${tag}/0/`)).rejects.toThrow();
    }
    const index = await page("/tags/");
    const counts = new Map(
      index("main .tag-index li")
        .map((_, li) => [[index(li).find("a").text().slice(1), Number(/\((\d+)\)/.exec(index(li).text())![1])]])
        .get() as [string, number][],
    );
    expect(counts.size).toBe(lists.size);
    for (const [tag, list] of lists) expect(counts.get(tag), tag).toBe(list.length);
  });

  it("shows the 10 tags most used in the 90 days before the newest article's week", async () => {
    const newestDay = Math.floor(items[0].published.valueOf() / DAY);
    const weekStart = (newestDay - ((newestDay + 3) % 7)) * DAY; // Monday: 1970-01-01 was a Thursday
    const counts = new Map<string, number>();
    for (const item of items) {
      if (item.published.valueOf() < weekStart - 90 * DAY || item.published.valueOf() >= weekStart) continue;
      for (const tag of new Set(item.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([tag]) => `#${tag}`);
    const $ = await page(path(items[500]));
    expect(
      $(".popular-tags a")
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(expected);
  });

  it("feeds carry the latest 50 items, for the site and for each tag", async () => {
    const lists = tagLists();
    const site50 = parseFeed(await readBuilt(site.outDir, "/rss.xml"));
    expect(site50.items.map((i) => i.url)).toEqual(items.slice(0, FEED_SIZE).map((i) => `${SITE_URL}${path(i)}`));
    const [busiest, busy] = [...lists].sort((a, b) => b[1].length - a[1].length);
    const small = [...lists].find(([, list]) => list.length > 3 && list.length < FEED_SIZE)!;
    for (const [tag, list] of [busiest, busy, small]) {
      const feed = parseFeed(await readBuilt(site.outDir, `/tags/${tag}/rss.xml`));
      expect(
        feed.items.map((i) => i.url),
        tag,
      ).toEqual(list.slice(0, FEED_SIZE).map((i) => `${SITE_URL}${path(i)}`));
    }
  });

  it("relates each of the known family to the other five, newest first", async () => {
    const family = items.filter((i) => i.tags.includes(FAMILY_TAGS[0]));
    expect(family).toHaveLength(6);
    for (const member of family) {
      const $ = await page(path(member));
      const related = $("main .related a")
        .map((_, a) => slugOf($(a).attr("href")!))
        .get();
      expect(related, member.slug).toEqual(family.filter((other) => other !== member).map((other) => other.slug));
    }
    const loner = await page(path(items.find((i) => i.tags.includes(LONER_TAG))!));
    expect(loner("main .related")).toHaveLength(0);
  });

  it("ranks related articles by rarity-weighted shared tags and shared title words, never missing a better one from a small tag", async () => {
    const lists = tagLists();
    const rarity = (tag: string) => Math.log1p(items.length / lists.get(tag)!.length);
    const score = (a: Item, b: Item) => {
      const own = titleWords(a.title);
      let words = 0;
      for (const word of titleWords(b.title)) if (own.has(word)) words++;
      return [...new Set(a.tags)].filter((t) => b.tags.includes(t)).reduce((sum, t) => sum + rarity(t), 0) + 0.5 * words;
    };
    const sample = items.filter((_, i) => i % 37 === 5);
    for (const article of sample) {
      const $ = await page(path(article));
      const related = $("main .related a")
        .map((_, a) => bySlug.get(slugOf($(a).attr("href")!))!)
        .get() as Item[];
      expect(related.length, article.slug).toBe(5);
      const scores = related.map((other) => score(article, other));
      for (const [i, other] of related.entries()) {
        expect(other.slug).not.toBe(article.slug);
        expect(
          other.tags.some((t) => article.tags.includes(t)),
          `${other.slug} shares a tag with ${article.slug}`,
        ).toBe(true);
        if (i > 0)
          expect(scores[i], `${article.slug}: related ${i} scores no more than ${i - 1}`).toBeLessThanOrEqual(scores[i - 1] + 1e-9);
      }
      // A tag with at most 51 articles is searched whole, so none of them may beat the fifth.
      const fifth = scores[4];
      for (const tag of article.tags) {
        const list = lists.get(tag)!;
        if (list.length > 51) continue;
        for (const other of list) {
          if (other === article || related.includes(other)) continue;
          expect(score(article, other), `${other.slug} (via #${tag}) would beat the fifth related of ${article.slug}`).toBeLessThanOrEqual(
            fifth + 1e-9,
          );
        }
      }
    }
  });
});
