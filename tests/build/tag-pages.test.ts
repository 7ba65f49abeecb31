// Tag pages stay put as a tag grows: numbered pages count from the oldest article, so a night's
// new article re-renders only the tag's front page (and, when a numbered page appears, the page
// before it, whose "Newer" link moves). Three builds with one page cache, 3 articles a page.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "cheerio";
import { HtmlValidate, type ConfigData } from "html-validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import htmlValidateConfig from "../../.htmlvalidate.mjs";
import { articleFileText, generateArticles, type GeneratedArticle } from "../../scripts/bench/generate-content.ts";
import { cachedCopyPath } from "../../src/build/page-cache.ts";
import { PINNED_NODE, REPO_ROOT } from "../helpers/build-site.ts";

const TAG = "steady-growth";
const PAGE_SIZE = 3;
const DAY = 86_400_000;
const FRONT = `tags/${TAG}/index.html`;
const numbered = (k: number) => `tags/${TAG}/${k}/index.html`;

let work: string;
let content: string;
let cacheDir: string;
/** Every generated article gets the one tag, a day apart, so the rail's popular tags never move. */
const pool = [...generateArticles(12, 3)].map((article, i): GeneratedArticle => {
  const published = new Date(Date.UTC(2026, 5, 1) + i * DAY);
  const day = published.toISOString().slice(0, 10);
  const slug = `${day}-steady-${i + 1}`;
  return { file: `2026/${slug}.md`, slug, body: "", data: { ...article.data, published, tags: [TAG], url: `https://example.org/${slug}` } };
});

interface Build {
  outDir: string;
  /** The built files Astro rendered in this build (the others were reused from the cache). */
  rendered: Set<string>;
}
const builds: Build[] = [];

/** The first n articles (oldest first) as the content, then a build into the out dir the cache serves. */
async function buildWith(n: number): Promise<Build> {
  await rm(join(content, "articles"), { recursive: true, force: true });
  await mkdir(join(content, "articles", "2026"), { recursive: true });
  for (const article of pool.slice(0, n)) await writeFile(join(content, "articles", article.file), articleFileText(article));
  // As tests/helpers/build-site.ts does: a run folder of its own, so Astro's chunks stay out of the repo.
  const runDir = join(work, "run");
  const buildDir = join(runDir, "dist");
  const started = Date.now();
  const env = {
    ...process.env,
    THEMATA_CONTENT_DIR: content,
    THEMATA_OUT_DIR: buildDir,
    THEMATA_CACHE_DIR: cacheDir,
    THEMATA_DEPLOY_CHANGES: join(work, "changes.json"),
    THEMATA_PAGE_SIZE: String(PAGE_SIZE),
    THEMATA_SITE_URL: "https://themata.test",
    ASTRO_TELEMETRY_DISABLED: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
  await new Promise<void>((done, fail) => {
    execFile(
      PINNED_NODE,
      [join(REPO_ROOT, "scripts/build-site.ts"), "--root", REPO_ROOT],
      { cwd: runDir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`build of ${n} articles failed:\n${`${stdout}${stderr}`.slice(-4000)}`)) : done()),
    );
  });
  const rendered = new Set<string>();
  for (const file of [FRONT, ...[1, 2, 3, 4].map(numbered)]) {
    const copy = await stat(cachedCopyPath(cacheDir, file)).catch(() => null);
    if (copy && copy.mtimeMs >= started) rendered.add(file);
  }
  const outDir = join(work, `dist-${n}`);
  await rename(buildDir, outDir);
  return { outDir, rendered };
}

const html = (build: Build, file: string) => readFile(join(build.outDir, file), "utf8");
const cards = async (build: Build, file: string) =>
  load(await html(build, file))("main .card h2 a")
    .map((_, a) => /\/articles\/([^/]+)\/$/.exec(a.attribs.href)![1])
    .get();
/** Articles `from`..`to` (1 the oldest), newest first. */
const slugs = (from: number, to: number) =>
  pool
    .slice(from - 1, to)
    .map((a) => a.slug)
    .reverse();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "themata-tag-pages-"));
  content = join(work, "content");
  cacheDir = join(work, "cache");
  await mkdir(join(work, "run"), { recursive: true });
  await symlink(join(REPO_ROOT, "node_modules"), join(work, "run", "node_modules"));
  // 10 articles: front 4, pages 2 and 1; then 11: front 5; then 12: front 3, pages 3, 2, 1.
  for (const n of [10, 11, 12]) builds.push(await buildWith(n));
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("tag pages numbered from the oldest", () => {
  it("hold full pages counted from the oldest article, the newest on the front page", async () => {
    const [ten, , twelve] = builds;
    expect(await cards(ten, FRONT)).toEqual(slugs(7, 10));
    expect(await cards(ten, numbered(2))).toEqual(slugs(4, 6));
    expect(await cards(ten, numbered(1))).toEqual(slugs(1, 3));
    await expect(html(ten, numbered(3))).rejects.toThrow(/ENOENT/);
    expect(await cards(twelve, FRONT)).toEqual(slugs(10, 12));
    expect(await cards(twelve, numbered(3))).toEqual(slugs(7, 9));
  });

  it("show the count and feed on the front page only, and link newer and older pages", async () => {
    const twelve = builds[2];
    const front = load(await html(twelve, FRONT));
    expect(front("main h1").text()).toBe(`#${TAG}`);
    expect(front("main .intro").text()).toContain("12 articles");
    expect(front(`main a[href='/tags/${TAG}/rss.xml']`)).toHaveLength(1);
    expect(front("main a[rel=prev]")).toHaveLength(0);
    expect(front("main a[rel=next]").attr("href")).toBe(`/tags/${TAG}/3/`);
    const links = async (k: number) => {
      const $ = load(await html(twelve, numbered(k)));
      return [$("main a[rel=prev]").attr("href"), $("main a[rel=next]").attr("href")];
    };
    expect(await links(3)).toEqual([`/tags/${TAG}/`, `/tags/${TAG}/2/`]);
    expect(await links(2)).toEqual([`/tags/${TAG}/3/`, `/tags/${TAG}/1/`]);
    expect(await links(1)).toEqual([`/tags/${TAG}/2/`, undefined]);
    const two = load(await html(twelve, numbered(2)));
    expect(two("main h1").text()).toBe(`#${TAG}, page 2`);
    expect(two("main .intro").text()).not.toMatch(/\d+ articles/);
    expect(two("main .pagination .count").text()).toBe("Page 2");
    expect(two(`main a[href='/tags/${TAG}/rss.xml']`)).toHaveLength(0);
    expect(two("link[rel=canonical]").attr("href")).toBe(`https://themata.test/tags/${TAG}/2/`);
  });

  it("re-render only the front page when an article is added", async () => {
    const [ten, eleven] = builds;
    expect(await html(eleven, FRONT)).not.toBe(await html(ten, FRONT));
    expect(await cards(eleven, FRONT)).toEqual(slugs(7, 11));
    for (const k of [1, 2]) expect(await html(eleven, numbered(k)), `page ${k}`).toBe(await html(ten, numbered(k)));
    expect([...eleven.rendered]).toEqual([FRONT]);
  });

  it("when a numbered page appears, re-render it, the front page and the page before it only", async () => {
    const [, eleven, twelve] = builds;
    expect(await html(twelve, numbered(1))).toBe(await html(eleven, numbered(1)));
    expect([...twelve.rendered].sort()).toEqual([FRONT, numbered(2), numbered(3)].sort());
    // Page 2 changed only in its "Newer" link, from the front page to page 3.
    expect((await html(twelve, numbered(2))).replace(`href="/tags/${TAG}/3/"`, `href="/tags/${TAG}/"`)).toBe(
      await html(eleven, numbered(2)),
    );
  });

  it("pass html-validate's recommended rules, front and numbered", async () => {
    const validator = new HtmlValidate(htmlValidateConfig as ConfigData);
    const problems: string[] = [];
    for (const file of [FRONT, numbered(1), numbered(3)]) {
      const report = await validator.validateString(await html(builds[2], file), file);
      for (const result of report.results)
        for (const m of result.messages) problems.push(`${file} ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
    expect(problems).toEqual([]);
  });
});
