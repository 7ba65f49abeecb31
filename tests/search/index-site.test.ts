// Pagefind indexing: article pages only, their chrome left out, and a failed build on a bad site.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  countArticleFiles,
  DEFAULT_SHARD_PAGES,
  findArticlePages,
  indexSite,
  outDirFromEnv,
  pageSortDate,
  planShards,
  shardPagesFromEnv,
} from "../../src/search/index-site.ts";
import { recentFrom } from "../../src/search/shards.ts";
import { fileHash } from "../../src/build/files.ts";
import { indexedPart } from "../../src/search/shard-cache.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "themata-search-index-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><title>t</title></head><body>
<nav data-pagefind-ignore>chromeword navigation</nav>${body}<footer>chromeword footer</footer></body></html>`;
}
function articlePage(slug: string, heat: number, marked = true): string {
  const attr = marked ? " data-pagefind-body" : "";
  return page(`<main${attr}><h1 data-pagefind-meta="title">Article ${slug}</h1>
<span data-pagefind-filter="tag">open-source-ai</span>
<span data-pagefind-sort="heat">${heat}</span>
<p>sovereignty ${slug}</p></main>`);
}
async function writePage(outDir: string, path: string, html: string): Promise<void> {
  await mkdir(join(outDir, path, ".."), { recursive: true });
  await writeFile(join(outDir, path), html);
}
/** The records Pagefind stored, one per page (fragments are gzipped JSON after a signature). */
async function indexedRecords(outDir: string): Promise<{ url: string; content: string; filters: Record<string, string[]> }[]> {
  const dir = join(outDir, "pagefind", "fragment");
  const names = await readdir(dir);
  const records = await Promise.all(
    names.map(async (name) =>
      JSON.parse(
        gunzipSync(await readFile(join(dir, name)))
          .toString("utf8")
          .replace(/^pagefind_dcd/, ""),
      ),
    ),
  );
  return records.sort((a, b) => a.url.localeCompare(b.url));
}
/** Page count Pagefind recorded for English in the bundle it wrote. */
async function indexedCount(outDir: string): Promise<number> {
  const entry = JSON.parse(await readFile(join(outDir, "pagefind", "pagefind-entry.json"), "utf8"));
  return entry.languages.en.page_count;
}

describe("indexSite", () => {
  it("indexes the article pages and nothing else, and writes the bundle into <outDir>/pagefind", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "index.html", page("<main data-pagefind-body>home sovereignty</main>"));
    await writePage(outDir, "tags/open-source-ai/index.html", page("<main>tag page</main>"));
    await writePage(outDir, "articles/a-one/index.html", articlePage("a-one", 55));
    await writePage(outDir, "articles/a-two/index.html", articlePage("a-two", 70));

    const result = await indexSite(outDir, { expectedArticles: 2 });
    expect(result).toMatchObject({ ok: true, value: { pages: 2, articlePages: 2, bundleDir: join(outDir, "pagefind") } });
    expect(await indexedCount(outDir)).toBe(2);
    const records = await indexedRecords(outDir);
    expect(records.map((record) => record.url)).toEqual(["/articles/a-one/", "/articles/a-two/"]);
    expect(records[0].content).toContain("sovereignty a-one");
    expect(records[0].filters).toEqual({ tag: ["open-source-ai"] });
    // navigation and footer stay out of the index
    expect(records.some((record) => record.content.includes("chromeword"))).toBe(false);
    const bundle = await readdir(join(outDir, "pagefind"));
    expect(bundle).toEqual(expect.arrayContaining(["pagefind.js", "pagefind-entry.json"]));
    expect(bundle.some((name) => name.endsWith(".pf_meta"))).toBe(true);
  });

  it("fails, naming the page, when article pages lack the data-pagefind-body marker", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "articles/a-one/index.html", articlePage("a-one", 55, false));
    const result = await indexSite(outDir, { expectedArticles: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/articles\/a-one\/index\.html has no data-pagefind-body/);
  });

  it("fails when only some article pages carry the marker", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "articles/a-one/index.html", articlePage("a-one", 55));
    await writePage(outDir, "articles/a-two/index.html", articlePage("a-two", 70, false));
    const result = await indexSite(outDir, { expectedArticles: 2 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe("only 1 of 2 article pages carry data-pagefind-body");
    await expect(readdir(join(outDir, "pagefind"))).rejects.toThrow(/ENOENT/);
  });

  it("fails when articles exist but no article page was built", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "index.html", page("<main>home</main>"));
    const result = await indexSite(outDir, { expectedArticles: 3 });
    expect(result).toEqual({ ok: false, reason: `3 articles exist but ${outDir}/articles/ holds no built article page` });
  });

  it("writes an empty index for a site with no articles", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "index.html", page("<main>home</main>"));
    const result = await indexSite(outDir, { expectedArticles: 0 });
    expect(result).toMatchObject({ ok: true, value: { pages: 0, articlePages: 0 } });
  });
});

describe("helpers", () => {
  it("finds built article pages as articles/<slug>/index.html, ignoring other entries", async () => {
    const outDir = await tempDir();
    await writePage(outDir, "articles/b/index.html", "x");
    await writePage(outDir, "articles/a/index.html", "x");
    await writePage(outDir, "articles/stray.txt", "x");
    expect(await findArticlePages(outDir)).toEqual(["articles/a/index.html", "articles/b/index.html"]);
    expect(await findArticlePages(join(outDir, "missing"))).toEqual([]);
  });

  it("counts Markdown files through year folders", async () => {
    const dir = await tempDir();
    await writePage(dir, "2025/x.md", "");
    await writePage(dir, "2026/y.md", "");
    await writePage(dir, "2026/images/y.webp", "");
    expect(await countArticleFiles(dir)).toBe(2);
    expect(await countArticleFiles(join(dir, "missing"))).toBe(0);
  });

  it("reads the out dir from THEMATA_OUT_DIR, defaulting to dist", () => {
    expect(outDirFromEnv({ THEMATA_OUT_DIR: "/tmp/out" })).toBe("/tmp/out");
    expect(outDirFromEnv({})).toBe("dist");
  });
});

describe("index shards (bounded Pagefind memory)", () => {
  const dated = (path: string, date: string) => ({ path, date });

  it("reads an article page's date from its date sort key", () => {
    expect(pageSortDate('<li><time datetime="2026-06-24" data-pagefind-sort="date[datetime]">June 24</time></li>')).toBe("2026-06-24");
    expect(pageSortDate('<time data-pagefind-sort="date[datetime]" datetime="2025-01-02">x</time>')).toBe("2025-01-02");
    expect(pageSortDate('<time datetime="2025-01-02">not the sort key</time>')).toBe("");
  });

  it("keeps a small archive in one index, else splits it into the recent months, then years", () => {
    const pages = [
      dated("articles/a/index.html", "2026-03-01"),
      dated("articles/b/index.html", "2024-05-01"),
      dated("articles/c/index.html", "2026-01-01"),
      dated("articles/g/index.html", "2026-02-10"),
      dated("articles/d/index.html", "2025-02-01"),
      dated("articles/f/index.html", "2023-02-01"),
      dated("articles/e/index.html", ""),
    ];
    expect(planShards(pages, 7).map((s) => [s.id, s.dir, s.pages.length])).toEqual([["all", "pagefind", 7]]);
    expect(planShards(pages, 7, 3).map((s) => [s.id, s.dir, s.pages, s.newest, s.oldest])).toEqual([
      ["recent", "pagefind", ["articles/a/index.html", "articles/g/index.html"], "2026-03-01", "2026-02-10"],
      ["2026", "pagefind/2026", ["articles/c/index.html"], "2026-01-01", "2026-01-01"],
      ["2025", "pagefind/2025", ["articles/d/index.html"], "2025-02-01", "2025-02-01"],
      ["2024", "pagefind/2024", ["articles/b/index.html"], "2024-05-01", "2024-05-01"],
      ["2023", "pagefind/2023", ["articles/f/index.html"], "2023-02-01", "2023-02-01"],
      ["undated", "pagefind/undated", ["articles/e/index.html"], "", ""],
    ]);
  });

  it("takes the recent shard from the first day of the month before the newest article's", () => {
    expect(recentFrom("2026-06-20")).toBe("2026-05-01");
    expect(recentFrom("2026-01-03")).toBe("2025-12-01");
  });

  it("splits a year too large for one shard into runs of whole months, never over the limit", () => {
    const year = Array.from({ length: 120 }, (_, i) =>
      dated(`articles/p${i}/index.html`, `2025-${String((i % 12) + 1).padStart(2, "0")}-05`),
    );
    const shards = planShards([...year, dated("articles/new/index.html", "2026-06-01")], 25, 10);
    expect(shards.map((s) => [s.id, s.pages.length, s.oldest.slice(0, 7), s.newest.slice(0, 7)])).toEqual([
      ["recent", 1, "2026-06", "2026-06"],
      ["2025.6", 20, "2025-11", "2025-12"],
      ["2025.5", 20, "2025-09", "2025-10"],
      ["2025.4", 20, "2025-07", "2025-08"],
      ["2025.3", 20, "2025-05", "2025-06"],
      ["2025.2", 20, "2025-03", "2025-04"],
      ["2025.1", 20, "2025-01", "2025-02"],
    ]);
  });

  it("keeps older shards as they were when a night adds articles", () => {
    const archive = Array.from({ length: 300 }, (_, i) =>
      dated(`articles/p${i}/index.html`, new Date(Date.UTC(2024, 0, 1) + i * 3 * 86_400_000).toISOString().slice(0, 10)),
    );
    const night = Array.from({ length: 5 }, (_, i) => dated(`articles/n${i}/index.html`, "2026-06-18"));
    const before = planShards(archive, 40, 10);
    const after = planShards([...archive, ...night], 40, 10);
    const older = (plan: typeof before) => plan.filter((s) => !s.id.startsWith("recent"));
    expect(older(after)).toEqual(older(before));
    expect(after[0].pages).toEqual(expect.arrayContaining(night.map((p) => p.path)));
  });

  it("indexes each shard into its own bundle and lists them in pagefind/shards.json", async () => {
    const outDir = await tempDir();
    const dates = { "a-one": "2026-02-01", "a-two": "2026-01-01", "b-old": "2025-06-01" };
    for (const [slug, date] of Object.entries(dates)) {
      const html = articlePage(slug, 50).replace("<p>", `<time datetime="${date}" data-pagefind-sort="date[datetime]"></time><p>`);
      await writePage(outDir, `articles/${slug}/index.html`, html);
    }
    const result = await indexSite(outDir, { expectedArticles: 3, maxShardPages: 2 });
    expect(result).toMatchObject({ ok: true, value: { pages: 3, articlePages: 3, shards: 2 } });
    const manifest = JSON.parse(await readFile(join(outDir, "pagefind", "shards.json"), "utf8"));
    expect(manifest).toEqual({
      shards: [
        { id: "recent", path: "", pages: 2, newest: "2026-02-01", oldest: "2026-01-01" },
        { id: "2025", path: "2025/", pages: 1, newest: "2025-06-01", oldest: "2025-06-01" },
      ],
    });
    expect((await indexedRecords(outDir)).map((r) => r.url)).toEqual(["/articles/a-one/", "/articles/a-two/"]);
    const old = JSON.parse(await readFile(join(outDir, "pagefind", "2025", "pagefind-entry.json"), "utf8"));
    expect(old.languages.en.page_count).toBe(1);
  });

  it("copies unchanged shards from the cache, re-indexing only a shard whose pages changed or whose stored files do not check out", async () => {
    const outDir = await tempDir();
    const cacheDir = await tempDir();
    const dates = { "a-one": "2026-02-01", "a-two": "2026-01-01", "b-old": "2025-06-01", "c-older": "2024-03-01" };
    const write = async (slug: string, date: string, extra = "") =>
      writePage(
        outDir,
        `articles/${slug}/index.html`,
        articlePage(slug + extra, 50).replace("<p>", `<time datetime="${date}" data-pagefind-sort="date[datetime]"></time><p>`),
      );
    for (const [slug, date] of Object.entries(dates)) await write(slug, date);
    const bundle = async () =>
      Object.fromEntries(
        await Promise.all(
          (await readdir(join(outDir, "pagefind"), { recursive: true }))
            .sort()
            .map(async (f) => [f, await fileHash(join(outDir, "pagefind", f))]),
        ),
      );
    const first = await indexSite(outDir, { expectedArticles: 4, maxShardPages: 2, cacheDir });
    expect(first).toMatchObject({ ok: true, value: { shards: 3, reindexed: 3 } });
    const cold = await bundle();

    const again = await indexSite(outDir, { expectedArticles: 4, maxShardPages: 2, cacheDir });
    expect(again).toMatchObject({ ok: true, value: { pages: 4, shards: 3, reindexed: 0 } });
    expect(await bundle()).toEqual(cold);

    await write("b-old", dates["b-old"], " edited");
    expect(await indexSite(outDir, { expectedArticles: 4, maxShardPages: 2, cacheDir })).toMatchObject({
      ok: true,
      value: { reindexed: 1 },
    });

    const stored = join(cacheDir, "search", "2024", "pagefind-entry.json");
    await writeFile(stored, (await readFile(stored, "utf8")).replace("{", "{ "));
    expect(await indexSite(outDir, { expectedArticles: 4, maxShardPages: 2, cacheDir })).toMatchObject({
      ok: true,
      value: { reindexed: 1 },
    });
    expect((await bundle())["2024/pagefind-entry.json"]).toEqual(cold["2024/pagefind-entry.json"]);
  });

  it("does not read again a page the page cache vouches for, and reads one whose hash moved", async () => {
    const outDir = await tempDir();
    const cacheDir = await tempDir();
    const pagePath = (slug: string) => `articles/${slug}/index.html`;
    const html = (slug: string, date: string) =>
      articlePage(slug, 50).replace("<p>", `<time datetime="${date}" data-pagefind-sort="date[datetime]"></time><p>`);
    const dates = { "a-one": "2026-02-01", "b-old": "2025-06-01", "c-older": "2024-03-01" };
    for (const [slug, date] of Object.entries(dates)) await writePage(outDir, pagePath(slug), html(slug, date));
    const pageHashes = new Map<string, string>();
    for (const slug of Object.keys(dates)) pageHashes.set(pagePath(slug), (await fileHash(join(outDir, pagePath(slug))))!);
    const options = { expectedArticles: 3, maxShardPages: 1, cacheDir, pageHashes };
    expect(await indexSite(outDir, options)).toMatchObject({ ok: true, value: { shards: 3, reindexed: 3 } });

    // The page on disk now says another year, but the cache vouches for its old bytes: it is not read, and nothing moves.
    await writePage(outDir, pagePath("b-old"), html("b-old", "2023-01-01"));
    expect(await indexSite(outDir, options)).toMatchObject({ ok: true, value: { shards: 3, reindexed: 0 } });
    // Once its hash is the new page's, it is read: it joins another year's shard.
    pageHashes.set(pagePath("b-old"), (await fileHash(join(outDir, pagePath("b-old"))))!);
    const moved = await indexSite(outDir, options);
    expect(moved).toMatchObject({ ok: true, value: { shards: 3, reindexed: 1 } });
    const manifest = JSON.parse(await readFile(join(outDir, "pagefind", "shards.json"), "utf8"));
    expect(manifest.shards.map((s: { id: string }) => s.id)).toEqual(["recent", "2024", "2023"]);
  });

  it("links restored shards' files from the cache rather than copying them", async () => {
    const outDir = await tempDir();
    const cacheDir = await tempDir();
    for (const [slug, date] of [
      ["a-one", "2026-02-01"],
      ["b-old", "2025-06-01"],
    ])
      await writePage(
        outDir,
        `articles/${slug}/index.html`,
        articlePage(slug, 50).replace("<p>", `<time datetime="${date}" data-pagefind-sort="date[datetime]"></time><p>`),
      );
    await indexSite(outDir, { expectedArticles: 2, maxShardPages: 1, cacheDir });
    expect(await indexSite(outDir, { expectedArticles: 2, maxShardPages: 1, cacheDir })).toMatchObject({ value: { reindexed: 0 } });
    const [built, stored] = await Promise.all([
      stat(join(outDir, "pagefind", "2025", "pagefind-entry.json")),
      stat(join(cacheDir, "search", "2025", "pagefind-entry.json")),
    ]);
    expect(built.ino).toBe(stored.ino);
  });

  it("reads the shard size from THEMATA_SEARCH_SHARD_PAGES, defaulting to 1,000", () => {
    expect(shardPagesFromEnv({ THEMATA_SEARCH_SHARD_PAGES: "500" })).toBe(500);
    expect(shardPagesFromEnv({ THEMATA_SEARCH_SHARD_PAGES: "nope" })).toBe(DEFAULT_SHARD_PAGES);
    expect(DEFAULT_SHARD_PAGES).toBe(1_000);
  });
});

describe("what a shard's key reads of a page", () => {
  const page = (related: string, text: string) =>
    `<html lang="en"><body><nav>menu</nav><article class="article" data-pagefind-body><h1>T</h1><p>${text}</p>` +
    `<section class="related" aria-labelledby="r" data-pagefind-ignore="all"><ul><li>${related}</li></ul></section>` +
    `<footer class="article-footer" data-pagefind-ignore="all">fix</footer></article><aside>rail ${related}</aside></body></html>`;

  it("ignores what Pagefind skips (chrome, related articles, the article's footer) and keeps what it indexes", () => {
    const base = indexedPart(page("one", "words"), "data-pagefind-body");
    expect(indexedPart(page("two", "words"), "data-pagefind-body")).toBe(base);
    expect(indexedPart(page("one", "other words"), "data-pagefind-body")).not.toBe(base);
    expect(base).toContain("<p>words</p>");
    expect(base).not.toContain("related");
  });
});
