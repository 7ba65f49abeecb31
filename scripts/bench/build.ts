/**
 * Build benchmark: builds the site from N generated articles, for each size asked, and prints
 * wall time, ms per article, peak RSS of the build's process tree, Pagefind indexing time,
 * dist/ size and the bytes a browser downloads for a first and a filtered search; as the
 * reference, the same articles built by a bare Astro page (title and body, no layout) in the
 * same run, and our time as a ratio of it.
 *   node scripts/bench/build.ts [--sizes 1000,10000,100000] [--work DIR] [--limit 12G] [--heap 4096]
 *                               [--no-reference] [--no-search-bytes] [--no-page-weight] [--json FILE]
 * Every build runs under the memory watchdog (scripts/bench/watchdog.ts) with the Node heap held
 * to --heap MB, in its own temp folders (THEMATA_CONTENT_DIR, THEMATA_OUT_DIR, THEMATA_CACHE_DIR):
 * content/ and dist/ are never touched.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateContent } from "./generate-content.ts";
import { formatBytes, parseBytes, watchTree } from "./watchdog.ts";
import { formatSearchBytes, measureSearchBytes, type SearchBytes } from "./search-bytes.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const NODE = join(REPO, "node_modules/.bin/node");
const ASTRO = join(REPO, "node_modules/astro/bin/astro.mjs");
const SEED = 1;
/** The search the byte count runs: a mid-frequency word, then the same with a tag filter. */
const QUERY = "robots";
const FILTER_TAG = "ai-safety";

export interface Step {
  ms: number;
  peakBytes: number;
  killed: boolean;
  code: number;
  output: string;
}

/** Runs a command under the watchdog; keeps the tail of its output for error reports. */
export function runWatched(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, limitBytes: number): Promise<Step> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const watch = watchTree(child, { limitBytes });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("close", (code) => {
      const { peakBytes, killed } = watch.stop();
      done({ ms: performance.now() - started, peakBytes, killed, code: code ?? 1, output });
    });
  });
}

export function failIfBad(what: string, step: Step): void {
  if (step.killed) throw new Error(`${what}: killed by the watchdog at ${formatBytes(step.peakBytes)} RSS`);
  if (step.code !== 0) throw new Error(`${what}: exit ${step.code}\n${step.output.slice(-4000)}`);
}

async function du(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return { bytes, files };
}

/** A folder with its own node_modules/ whose entries link to the repo's: packages resolve, caches stay local. */
async function linkedNodeModules(dir: string): Promise<void> {
  const local = join(dir, "node_modules");
  await mkdir(local, { recursive: true });
  for (const name of await readdir(join(REPO, "node_modules"))) {
    if (name === ".vite" || name === ".astro" || name === ".cache") continue;
    await symlink(join(REPO, "node_modules", name), join(local, name));
  }
}

/** The reference: a bare Astro project reading the same articles, one page per article, title and body. */
async function writeBareProject(dir: string, articlesDir: string): Promise<void> {
  await linkedNodeModules(dir);
  await mkdir(join(dir, "src/pages/articles"), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "bare-reference", private: true, type: "module" }));
  await writeFile(
    join(dir, "astro.config.mjs"),
    `import { defineConfig } from "astro/config";\nexport default defineConfig({ output: "static", outDir: "./dist", cacheDir: "./cache", devToolbar: { enabled: false } });\n`,
  );
  await writeFile(
    join(dir, "src/content.config.ts"),
    `import { defineCollection } from "astro:content";\nimport { glob } from "astro/loaders";\n` +
      `export const collections = { articles: defineCollection({ loader: glob({ pattern: "**/*.md", base: ${JSON.stringify(articlesDir)} }) }) };\n`,
  );
  await writeFile(
    join(dir, "src/pages/articles/[slug].astro"),
    `---\nimport { getCollection, render } from "astro:content";\n` +
      `export async function getStaticPaths() {\n  const entries = await getCollection("articles");\n` +
      `  return entries.map((entry) => ({ params: { slug: entry.id.slice(entry.id.lastIndexOf("/") + 1) }, props: { entry } }));\n}\n` +
      `const { entry } = Astro.props;\nconst { Content } = await render(entry);\n---\n` +
      `<html lang="en"><head><meta charset="utf-8" /><title>{entry.data.title}</title></head><body><h1>{entry.data.title}</h1><Content /></body></html>\n`,
  );
}

interface SizeResult {
  articles: number;
  pages: number;
  buildMs: number;
  searchIndexMs: number;
  totalMs: number;
  msPerArticle: number;
  peakBytes: number;
  searchPeakBytes: number;
  distBytes: number;
  distFiles: number;
  referenceMs?: number;
  referencePeakBytes?: number;
  ratio?: number;
  search?: SearchBytes[];
  pageWeight?: string;
  checks: string[];
  loadBefore: number;
  loadAfter: number;
}

/** Facts every size must show: bounded feeds, a split sitemap past 50,000 URLs. */
async function siteChecks(dist: string): Promise<string[]> {
  const rss = await readFile(join(dist, "rss.xml"), "utf8");
  const index = await readFile(join(dist, "sitemap-index.xml"), "utf8");
  const sitemaps = index.match(/<sitemap>/g)?.length ?? 0;
  let urls = 0;
  for (let i = 0; i < sitemaps; i++) urls += (await readFile(join(dist, `sitemap-${i}.xml`), "utf8")).match(/<url>/g)?.length ?? 0;
  const homePages = (await readdir(dist)).filter((name) => /^\d+$/.test(name)).length + 1;
  return [`rss.xml ${rss.match(/<item>/g)?.length ?? 0} items`, `sitemap ${urls} URLs in ${sitemaps} file(s)`, `home ${homePages} pages`];
}

async function benchSize(
  n: number,
  work: string,
  opts: { limitBytes: number; heapMb: number; reference: boolean; searchBytes: boolean; pageWeight: boolean },
): Promise<SizeResult> {
  const contentDir = join(work, `content-${n}`);
  const marker = join(contentDir, `.generated-${n}-seed-${SEED}`);
  if (!existsSync(marker)) {
    await rm(contentDir, { recursive: true, force: true });
    const started = performance.now();
    await generateContent(n, contentDir, SEED);
    await writeFile(marker, "");
    console.log(`[${n}] generated ${n} articles in ${((performance.now() - started) / 1000).toFixed(1)} s → ${contentDir}`);
  }
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_OPTIONS: `--max-old-space-size=${opts.heapMb}`,
    ASTRO_TELEMETRY_DISABLED: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  });

  // Our build, in a run folder of its own: Astro puts its prerender chunks beside outDir when
  // outDir is under the working directory (else in the repo's .astro/, shared by every build).
  const run = join(work, `site-${n}`);
  await rm(run, { recursive: true, force: true });
  await mkdir(run, { recursive: true });
  await symlink(join(REPO, "node_modules"), join(run, "node_modules"));
  const dist = join(run, "dist");
  const siteEnv = env({ THEMATA_CONTENT_DIR: resolve(contentDir), THEMATA_OUT_DIR: dist, THEMATA_CACHE_DIR: join(run, "cache") });
  const loadBefore = loadavg()[0];
  console.log(`[${n}] astro build (load average ${loadBefore.toFixed(2)} on ${cpus().length} cores)…`);
  const build = await runWatched(NODE, [ASTRO, "build", "--root", REPO], run, siteEnv, opts.limitBytes);
  failIfBad(`[${n}] astro build`, build);
  console.log(`[${n}] astro build ${(build.ms / 1000).toFixed(1)} s, peak ${formatBytes(build.peakBytes)}; search index…`);
  const index = await runWatched(NODE, [join(REPO, "scripts/index-search.ts"), dist], run, siteEnv, opts.limitBytes);
  failIfBad(`[${n}] search index`, index);
  const loadAfter = loadavg()[0];
  const pages = Number(/(\d+) page\(s\) built/.exec(build.output)?.[1] ?? 0);
  const size = await du(dist);
  const result: SizeResult = {
    articles: n,
    pages,
    buildMs: build.ms,
    searchIndexMs: index.ms,
    totalMs: build.ms + index.ms,
    msPerArticle: (build.ms + index.ms) / n,
    peakBytes: Math.max(build.peakBytes, index.peakBytes),
    searchPeakBytes: index.peakBytes,
    distBytes: size.bytes,
    distFiles: size.files,
    checks: await siteChecks(dist),
    loadBefore,
    loadAfter,
  };
  console.log(
    `[${n}] search index ${(index.ms / 1000).toFixed(1)} s, peak ${formatBytes(index.peakBytes)}; dist ${formatBytes(size.bytes)} in ${size.files} files; ${result.checks.join("; ")}`,
  );

  if (opts.searchBytes) {
    const q = encodeURIComponent(QUERY);
    result.search = await measureSearchBytes(dist, [`/search/?q=${q}`, `/search/?q=${q}&tag=${FILTER_TAG}`]);
    for (const s of result.search) console.log(`[${n}] ${formatSearchBytes(s)}`);
  }
  if (opts.pageWeight) {
    const weight = await runWatched(NODE, [join(REPO, "scripts/bench/page-weight.ts"), "--dist", dist], REPO, env({}), opts.limitBytes);
    result.pageWeight = weight.output.trim();
    console.log(result.pageWeight.replace(/^/gm, `[${n}] `));
    if (weight.code !== 0) console.log(`[${n}] PAGE WEIGHT OVER BUDGET`);
  }
  await rm(run, { recursive: true, force: true });

  if (opts.reference) {
    const bare = join(work, `bare-${n}`);
    await rm(bare, { recursive: true, force: true });
    await writeBareProject(bare, join(resolve(contentDir), "articles"));
    console.log(`[${n}] reference: bare Astro page…`);
    const reference = await runWatched(NODE, [ASTRO, "build"], bare, env({}), opts.limitBytes);
    failIfBad(`[${n}] reference build`, reference);
    result.referenceMs = reference.ms;
    result.referencePeakBytes = reference.peakBytes;
    result.ratio = result.totalMs / reference.ms;
    console.log(
      `[${n}] reference ${(reference.ms / 1000).toFixed(1)} s, peak ${formatBytes(reference.peakBytes)}; ours ${result.ratio.toFixed(2)}× of it`,
    );
    await rm(bare, { recursive: true, force: true });
  }
  return result;
}

function table(results: SizeResult[]): string {
  const s = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(1)} s`);
  const rows = [
    [
      "articles",
      "pages",
      "astro build",
      "search index",
      "total",
      "ms/article",
      "peak RSS",
      "dist",
      "bare ref",
      "ratio",
      "1st query",
      "filtered",
    ],
    ...results.map((r) => [
      r.articles.toLocaleString("en-US"),
      r.pages.toLocaleString("en-US"),
      s(r.buildMs),
      s(r.searchIndexMs),
      s(r.totalMs),
      r.msPerArticle.toFixed(2),
      formatBytes(r.peakBytes),
      formatBytes(r.distBytes),
      s(r.referenceMs),
      r.ratio === undefined ? "–" : `${r.ratio.toFixed(2)}×`,
      r.search ? formatBytes(r.search[0].total) : "–",
      r.search ? formatBytes(r.search[1].total) : "–",
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`).join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,10000,100000" },
      work: { type: "string" },
      limit: { type: "string", default: "12G" },
      heap: { type: "string", default: "4096" },
      "no-reference": { type: "boolean", default: false },
      "no-search-bytes": { type: "boolean", default: false },
      "no-page-weight": { type: "boolean", default: false },
      json: { type: "string" },
    },
  });
  const sizes = values.sizes.split(",").map((x) => Number(x.replace(/k$/i, "000")));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error("--sizes: a comma-separated list of article counts, e.g. 1000,10000 or 1k,10k");
    process.exit(2);
  }
  // Generated content is kept in --work between runs (it is deterministic); builds are removed.
  const work = values.work ?? (await mkdtemp(join(tmpdir(), "themata-bench-")));
  await mkdir(work, { recursive: true });
  const results: SizeResult[] = [];
  for (const n of sizes) {
    results.push(
      await benchSize(n, work, {
        limitBytes: parseBytes(values.limit),
        heapMb: Number(values.heap),
        reference: !values["no-reference"],
        searchBytes: !values["no-search-bytes"],
        pageWeight: !values["no-page-weight"],
      }),
    );
    if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2));
  }
  console.log(
    `\nNode heap ${values.heap} MB, watchdog ${values.limit}, ${cpus().length} cores; load average before/after each size: ${results.map((r) => `${r.loadBefore.toFixed(1)}/${r.loadAfter.toFixed(1)}`).join(", ")}`,
  );
  console.log(table(results));
}
