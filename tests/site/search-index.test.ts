// The search index a build writes: one record per article page with the meta, filters and text the search page uses, and no chrome.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parseArticleText } from "../../src/article/files.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleFileSchema, type ArticleData } from "../../src/article/schema.ts";
import { buildSite, loadHtml, readBuilt, type BuiltSite } from "../helpers/build-site.ts";

const CONTENT = fileURLToPath(new URL("../browser/fixtures/content", import.meta.url));
const ARTICLES = join(CONTENT, "articles");

interface IndexRecord {
  url: string;
  content: string;
  filters: Record<string, string[]>;
  meta: Record<string, string>;
}

let site: BuiltSite;
let records: IndexRecord[];
let articles: { slug: string; data: ArticleData }[];

beforeAll(async () => {
  site = await buildSite(CONTENT, { search: true });
  const fragments = join(site.outDir, "pagefind", "fragment");
  // Pagefind fragments are gzipped JSON after a `pagefind_dcd` signature.
  records = await Promise.all(
    (await readdir(fragments)).map(async (name) =>
      JSON.parse(
        gunzipSync(await readFile(join(fragments, name)))
          .toString("utf8")
          .replace(/^pagefind_dcd/, ""),
      ),
    ),
  );
  const files = (await readdir(ARTICLES, { recursive: true })).filter((name) => name.endsWith(".md"));
  articles = await Promise.all(
    files.map(async (file) => ({
      slug: file.split("/").pop()!.replace(/\.md$/, ""),
      data: articleFileSchema.parse(parseArticleText(file, await readFile(join(ARTICLES, file), "utf8")).data),
    })),
  );
});

afterAll(async () => {
  await site?.cleanup();
});

describe("search index built with the site", () => {
  it("logs how many article pages it indexed", () => {
    expect(site.output).toMatch(/search index: 5 of 5 article pages indexed in \d+ ms/);
  });

  it("holds exactly the article pages", () => {
    expect(records.map((record) => record.url).sort()).toEqual(articles.map(({ slug }) => `/articles/${slug}/`).sort());
  });

  it("gives each article the title, source, ISO date and summary that results show", () => {
    for (const { slug, data } of articles) {
      const record = records.find((r) => r.url === `/articles/${slug}/`)!;
      expect(record.meta, slug).toMatchObject({
        title: data.title,
        source: data.source,
        date: data.published.toISOString().slice(0, 10),
        summary: data.summary,
      });
    }
  });

  it("files each article under its tags, sentiment label and source", () => {
    for (const { slug, data } of articles) {
      const record = records.find((r) => r.url === `/articles/${slug}/`)!;
      expect(record.filters.tag?.slice().sort(), slug).toEqual([...data.tags].sort());
      expect(record.filters.sentiment, slug).toEqual([data.sentiment!.label]);
      expect(record.filters.source, slug).toEqual([data.source]);
    }
  });

  it("indexes the article's text but not the page chrome", async () => {
    const record = records.find((r) => r.url.includes("open-models-reach-the-global-south"))!;
    expect(record.content).toContain("Open models let universities in the Global South");
    expect(record.content).toContain("The first takeaway of Open models reach the Global South");
    const home = await loadHtml(site.outDir, "/");
    const tagline = home(".tagline").first().text().trim();
    expect(tagline.length).toBeGreaterThan(0);
    const chromes = [
      tagline,
      "Skip to content",
      "Popular tags",
      "All Rights Reserved",
      "Read original article",
      "Sample article",
      "Related Articles",
    ];
    // the article page shows them all, so their absence from the index is the markup at work
    const page = (await loadHtml(site.outDir, record.url)).text();
    for (const chrome of chromes) expect(page, chrome).toContain(chrome);
    for (const record of records) {
      for (const chrome of chromes) {
        expect(record.content, `${record.url} holds "${chrome}"`).not.toContain(chrome);
      }
    }
  });
});

describe("search index size", () => {
  it("leaves the cited comment ids out of the indexed text", async () => {
    const record = records.find((r) => r.url.includes("robots-learn-from-video"))!;
    expect((await loadHtml(site.outDir, record.url)).text()).toContain("comment 990009001");
    for (const record of records) expect(record.content, record.url).not.toMatch(/comment \d+/);
  });
});

describe("search page markup", () => {
  it("labels every control and announces the results count", async () => {
    const $ = await loadHtml(site.outDir, "/search/");
    expect($("form[role=search]")).toHaveLength(1);
    for (const id of ["search-query", "search-tag", "search-sentiment", "search-source", "search-sort"]) {
      expect($(`label[for=${id}]`).text().trim(), id).not.toBe("");
      expect($(`#${id}`), id).toHaveLength(1);
    }
    expect($("[role=status]").attr("aria-live")).toBe("polite");
    expect($("[data-search-nojs]").text()).toContain("needs JavaScript");
    expect(
      $("#search-sort option")
        .map((_, o) => $(o).text())
        .get(),
    ).toEqual(["Newest first", "Best match", "Oldest first", "Hottest first"]);
    expect($("#search-sort option:first-child").attr("value")).toBe(""); // newest first is the default, with no sort in the address
  });

  it("carries one small module script that loads Pagefind at run time", async () => {
    const $ = await loadHtml(site.outDir, "/search/");
    const scripts = $("script").not('[type="application/ld+json"]');
    expect(scripts).toHaveLength(1);
    expect(scripts.attr("type")).toBe("module");
    const src = scripts.attr("src");
    const code = src ? await readBuilt(site.outDir, src) : scripts.text();
    expect(code).toContain("/pagefind/pagefind.js");
    // The page's whole client: form, result cards, highlighting, suggestions (the vocabulary itself loads only on a miss).
    expect(code.length).toBeLessThan(10_000);
  });
});
