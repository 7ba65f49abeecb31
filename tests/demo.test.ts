import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArticleFiles, type ArticleFile } from "../src/article/files.ts";
import { PAGES_DIR } from "../src/article/schema.ts";
import { checkContent } from "../src/article/check.ts";
import type { RunReport } from "../src/ingest/report/report.ts";
import { buildSite, PINNED_NODE, readBuilt, REPO_ROOT, type BuiltSite } from "./helpers/build-site.ts";
import { nightRoutes, PLACEHOLDER_ORIGIN, type NightItem } from "../scripts/fixtures/fixture-night.ts";

// The demo's ingest step, run as a user runs it (`npm run demo -- --no-build`), into a temp folder.
let dir: string;
let demo: { code: number; output: string };
let report: RunReport;
let articles: ArticleFile[];
let expected: NightItem[];
let site: BuiltSite;

/** A link without origin, trailing slash or query: how the fixture's and the report's URLs are compared. */
const where = (url: string) => {
  const u = new URL(url);
  return u.hostname === "news.ycombinator.com" ? url : u.pathname.replace(/\/$/, "");
};
const articleAt = (path: string) => articles.find((a) => (a.data as { url: string }).url.includes(path))!;
const data = (file: ArticleFile) => file.data as Record<string, any>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-demo-"));
  expected = (await nightRoutes(PLACEHOLDER_ORIGIN)).items;
  demo = await new Promise((done) => {
    execFile(
      PINNED_NODE,
      ["scripts/demo.ts", "--dir", dir, "--no-build"],
      { cwd: REPO_ROOT, env: { ...process.env, CI: "1" } },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
  report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as RunReport;
  articles = await readArticleFiles(join(dir, "content/articles"));
  site = await buildSite(join(dir, "content"));
});

afterAll(async () => {
  await site?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm run demo (ingest step)", () => {
  it("turns every link of the fixture night into a new article, with nothing failed, and prints the summary table", () => {
    expect(demo.code, demo.output).toBe(0);
    expect(expected).toHaveLength(8);
    expect(report.totals).toMatchObject({ new: expected.length, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(report.sourceFailures).toEqual([]);
    expect(report.items.map((i) => where(i.url)).sort()).toEqual(expected.map((i) => where(i.url)).sort());
    expect(articles).toHaveLength(expected.length);
    expect(demo.output).toMatch(/new\s+updated\s+unchanged\s+skipped\s+failed[^\n]*\n8\s+0\s+0\s+0\s+0\s/);
    expect(demo.output).toContain(`Scratch folder: `);
  });

  it("keeps the JavaScript-only page as an article summarised from its discussion, titled as the story was", () => {
    const shell = expected.find((i) => i.kind === "js-shell")!;
    const article = data(articleAt(where(shell.url)));
    expect(article.extraction).toBe("none");
    expect(article.title).toBe(shell.title);
    expect(article.summary).toMatch(/discussion/i);
    expect(article.discussion).toMatchObject({ site: "hacker-news", id: shell.hnId });
  });

  it("turns the Ask HN post into an article about its discussion", () => {
    const ask = expected.find((i) => i.kind === "text-post")!;
    const article = data(articles.find((a) => data(a).url === ask.url)!);
    expect(article.title).toBe(ask.title);
    expect(article.source).toBe("news.ycombinator.com");
    expect(article.discussion).toMatchObject({ url: ask.url, id: ask.hnId });
    expect(article.sentiment.positives.length + article.sentiment.concerns.length).toBeGreaterThan(0);
  });

  it("stores the page's og:image as WebP beside the article, and leaves out an image that is missing", async () => {
    const withImage = expected.filter((i) => i.image);
    expect(withImage).toHaveLength(1);
    const file = articleAt(where(withImage[0]!.url));
    const slug = basename(file.path, ".md");
    expect(data(file).image).toEqual({ src: `./images/${slug}.webp`, alt: expect.stringMatching(/nodes/) });
    const bytes = await readFile(resolve(dirname(file.path), data(file).image.src));
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(bytes.subarray(8, 12).toString("latin1")).toBe("WEBP");
    expect(data(articleAt("/byteline/")).image).toBeUndefined();
    for (const article of articles.filter((a) => a !== file)) expect(data(article).image).toBeUndefined();
  });

  it("writes files that npm run check accepts", async () => {
    const checked = await checkContent({ articlesDir: join(dir, "content/articles"), pagesDir: join(REPO_ROOT, PAGES_DIR) });
    expect(checked.problems).toEqual([]);
    expect(checked.articles).toBe(expected.length);
  });

  it("writes files a site builds from: a page per article, with its picture", async () => {
    for (const file of articles) {
      const page = await readBuilt(site.outDir, `/articles/${basename(file.path, ".md")}/`);
      const title = String(data(file).title).replace(/&/g, "&amp;").replace(/'/g, "&#39;");
      expect(page).toContain(title);
    }
    const seed = articleAt("/techstrong/");
    const page = await readBuilt(site.outDir, `/articles/${basename(seed.path, ".md")}/`);
    const picture = /<img[^>]+src="(\/_astro\/[^"]+\.webp)"/.exec(page)?.[1];
    expect(picture).toBeDefined();
    expect((await stat(join(site.outDir, picture!))).size).toBeGreaterThan(0);
  });
});
