// Incremental builds: after each kind of change, a warm build (reusing the previous build's pages
// and search shards) writes exactly the files a cold build of the same content writes; a bad or
// missing cache never yields a wrong site, only pages rendered again.
import { execFile } from "node:child_process";
import { appendFile, cp, mkdtemp, readFile, rename, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differingFiles } from "../../src/build/changes.ts";
import { listFiles } from "../../src/build/files.ts";
import { ASTRO_CACHE_COPIES, PAGE_CACHE_RECORD } from "../../src/build/page-cache.ts";
import { generateContent, type GeneratedArticle } from "../../scripts/bench/generate-content.ts";
import { applyNight } from "../../scripts/bench/night-change.ts";
import { PINNED_NODE, REPO_ROOT } from "../helpers/build-site.ts";

const ARCHIVE = 40;
let work: string;
/** A copy of the project (node_modules linked), so the template change never touches the repo. */
let root: string;
let content: string;
let articles: GeneratedArticle[];
/** The warm build's cache, kept from build to build. */
let warmCache: string;
let step = 0;

interface Build {
  outDir: string;
  output: string;
  changes: { added: string[]; changed: string[]; removed: string[]; unchanged: number };
  rendered: number;
  reused: number;
}

/**
 * One build with `cacheDir`, into the out dir that goes with it (Astro's code hash of a page
 * covers the out dir, so a cache serves one out dir); the site is then moved aside to compare.
 */
function build(cacheDir: string, label: string): Promise<Build> {
  const buildDir = `${cacheDir}-dist`;
  const outDir = join(work, `dist-${step++}-${label}`);
  const changesFile = join(work, `changes-${step}.json`);
  const env = {
    ...process.env,
    THEMATA_CONTENT_DIR: content,
    THEMATA_OUT_DIR: buildDir,
    THEMATA_CACHE_DIR: cacheDir,
    THEMATA_DEPLOY_CHANGES: changesFile,
    // Several shards on a small archive, so reuse of unchanged shards is exercised.
    THEMATA_SEARCH_SHARD_PAGES: "12",
    ASTRO_TELEMETRY_DISABLED: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
  return new Promise((done, fail) => {
    execFile(
      PINNED_NODE,
      [join(root, "scripts/build-site.ts")],
      { cwd: root, env, maxBuffer: 64 * 1024 * 1024 },
      async (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) return fail(new Error(`${label} build failed:\n${output.slice(-4000)}`));
        await rename(buildDir, outDir);
        const pages = /pages: (\d+) rendered, (\d+) reused/.exec(output);
        done({
          outDir,
          output,
          changes: JSON.parse(await readFile(changesFile, "utf8")),
          rendered: Number(pages?.[1]),
          reused: Number(pages?.[2]),
        });
      },
    );
  });
}

/** A warm build and a cold one of the same content; returns the warm build, having compared them. */
async function warmEqualsCold(label: string): Promise<{ warm: Build; cold: Build }> {
  const warm = await build(warmCache, `${label}-warm`);
  const coldCache = await mkdtemp(join(work, "cold-cache-"));
  const cold = await build(coldCache, `${label}-cold`);
  await rm(coldCache, { recursive: true, force: true });
  expect(await differingFiles(warm.outDir, cold.outDir), `${label}: files differing warm vs cold`).toEqual([]);
  return { warm, cold };
}

let previous: Build;

/** The changes list matches the files that differ from the previous build. */
async function expectChangesListed(current: Build): Promise<void> {
  const differing = await differingFiles(previous.outDir, current.outDir);
  expect([...current.changes.added, ...current.changes.changed, ...current.changes.removed].sort()).toEqual(differing);
  previous = current;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "themata-incremental-"));
  root = join(work, "project");
  for (const entry of ["astro.config.mjs", "package.json", "package-lock.json", "tsconfig.json", "src", "public", "scripts"]) {
    await cp(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
  }
  await symlink(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  content = join(work, "content");
  articles = await generateContent(ARCHIVE, content);
  warmCache = join(work, "warm-cache");
  previous = await build(warmCache, "first");
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("warm build equals cold build", () => {
  it("starts cold, rendering every page", () => {
    expect(previous.output).toMatch(/build: cold \(no page cache\)/);
    expect(previous.reused).toBe(0);
    expect(previous.rendered).toBeGreaterThan(ARCHIVE);
  });

  it("with nothing changed, reuses every page and shard and changes no file", async () => {
    const { warm } = await warmEqualsCold("unchanged");
    expect(warm.rendered).toBe(0);
    expect(warm.output).toMatch(/, 0 re-indexed\)/);
    expect(warm.changes.added.length + warm.changes.changed.length + warm.changes.removed.length).toBe(0);
    await expectChangesListed(warm);
  }, 300_000);

  it("after new articles", async () => {
    articles = await applyNight(content, articles, { added: 3 });
    const { warm } = await warmEqualsCold("new");
    expect(warm.reused).toBeGreaterThan(0);
    expect(warm.changes.added).toContain(`articles/${articles.at(-1)!.slug}/index.html`);
    await expectChangesListed(warm);
  }, 300_000);

  it("after edited articles, leaving the earlier build's site as it was", async () => {
    const before = articles;
    articles = await applyNight(content, articles, { edited: 2 });
    const edit = articles.find((article, i) => article.data.title !== before[i]?.data.title)!;
    const page = (dir: string) => readFile(join(dir, "articles", edit.slug, "index.html"), "utf8");
    const earlier = await page(previous.outDir);
    const { warm } = await warmEqualsCold("edited");
    // Built pages are hard links into the cache: the page rendered again must not change the earlier site kept aside.
    expect(await page(previous.outDir)).toBe(earlier);
    expect(await page(warm.outDir)).not.toBe(earlier);
    expect(warm.reused).toBeGreaterThan(0);
    await expectChangesListed(warm);
  }, 300_000);

  it("after a deleted article", async () => {
    const before = new Set(articles.map((a) => a.slug));
    articles = await applyNight(content, articles, { deleted: 1 });
    const gone = [...before].find((slug) => !articles.some((a) => a.slug === slug))!;
    const { warm } = await warmEqualsCold("deleted");
    expect(warm.changes.removed).toContain(`articles/${gone}/index.html`);
    await expectChangesListed(warm);
  }, 300_000);

  it("after points refreshed", async () => {
    articles = await applyNight(content, articles, { refreshed: 3 });
    const { warm } = await warmEqualsCold("refreshed");
    expect(warm.reused).toBeGreaterThan(0);
    await expectChangesListed(warm);
  }, 300_000);

  it("after a new week's articles move the popular tags, rewriting the rail of every reused page", async () => {
    // One article a day for eight days: the newest article's week starts later, so the rail's window moves.
    for (let day = 0; day < 8; day++) articles = await applyNight(content, articles, { added: 1 });
    const { warm } = await warmEqualsCold("new-week");
    // Reused pages carried last week's block, in the built site and the cache: warm == cold proves each was rewritten.
    const rewritten = Number(/popular tags rewritten in (\d+) files/.exec(warm.output)?.[1]);
    expect(warm.reused).toBeGreaterThan(0);
    expect(rewritten).toBeGreaterThan(0);
    await expectChangesListed(warm);
  }, 300_000);

  it("after a component changes, re-rendering the pages that use it and no other", async () => {
    // SentimentPoints is on article pages only: tag pages and feeds are reused.
    const component = join(root, "src/components/SentimentPoints.astro");
    await writeFile(component, (await readFile(component, "utf8")).replace("</ul>", '</ul><p class="template-changed">changed</p>'));
    const { warm } = await warmEqualsCold("template");
    const page = await readFile(join(warm.outDir, "articles", articles.find((a) => a.data.sentiment)!.slug, "index.html"), "utf8");
    expect(page).toContain("template-changed");
    expect(warm.rendered).toBeGreaterThanOrEqual(articles.length);
    expect(warm.reused).toBeGreaterThan(0);
    await expectChangesListed(warm);
  }, 300_000);
});

describe("a bad cache falls back to rendering", () => {
  it("renders again a cached page whose copy is missing, truncated or altered", async () => {
    const copies = (await listFiles(join(warmCache, ASTRO_CACHE_COPIES))).filter((f) => f.startsWith("articles/"));
    const [missing, truncated, altered] = copies;
    await rm(join(warmCache, ASTRO_CACHE_COPIES, missing));
    await truncate(join(warmCache, ASTRO_CACHE_COPIES, truncated), 100);
    await appendFile(join(warmCache, ASTRO_CACHE_COPIES, altered), "<!-- altered -->");
    const { warm } = await warmEqualsCold("bad-copies");
    expect(warm.output).toMatch(/3 dropped \(rendered again\)/);
    for (const file of [missing, truncated, altered]) expect(warm.output).toContain(file);
    expect(warm.rendered).toBe(3);
  }, 300_000);

  it("renders every editor's note again when Astro's content store is not the one recorded", async () => {
    // The store keeps each note's rendered HTML; a stale or tampered store must not reach a page.
    const store = join(warmCache, "data-store.json");
    const note = articles
      .find((article) => article.body)!
      .body.split("\n")[0]!
      .split(" ")
      .slice(0, 6)
      .join(" ");
    const text = await readFile(store, "utf8");
    expect(text).toContain(note);
    await writeFile(store, text.replace(note, "A note nobody wrote"));
    // The article page's code changes too, so the noted page is rendered (from the store) this build.
    const page = join(root, "src/pages/articles/[slug].astro");
    await writeFile(page, (await readFile(page, "utf8")).replace("</BaseLayout>", '<p class="page-changed">changed</p></BaseLayout>'));
    const { warm } = await warmEqualsCold("altered-store");
    const noted = articles.find((article) => article.body)!;
    const html = await readFile(join(warm.outDir, "articles", noted.slug, "index.html"), "utf8");
    expect(html).toContain("page-changed");
    expect(html).not.toContain("A note nobody wrote");
  }, 300_000);

  it("builds cold when the cache's record of its files is missing", async () => {
    await rm(join(warmCache, PAGE_CACHE_RECORD));
    const { warm } = await warmEqualsCold("no-record");
    expect(warm.output).toMatch(/build: cold \(the page cache has no record of its files/);
    expect(warm.reused).toBe(0);
  }, 300_000);
});
