/**
 * Nightly build benchmark: builds an archive of N generated articles cold, applies a night's
 * change (50 new, 3 edited, 1 deleted, points refreshed on 20), builds warm from the cache, then
 * builds the changed archive cold in a fresh cache, and compares the warm and cold sites file by
 * file. Prints for each build: wall time, pages rendered and reused, search shards re-indexed,
 * peak RSS of the process tree, files changed since the previous build, and whether warm == cold.
 *   node scripts/bench/nightly.ts [--size 10000] [--work DIR] [--limit 12G] [--heap 4096] [--no-compare] [--keep DIR] [--concurrency N]
 * --no-compare skips the second cold build and the comparison (for a quick figure at 100k);
 * --keep DIR keeps the warm build's site there (for `search-bytes.ts --dist DIR`); --concurrency sets
 * Astro's build.concurrency (THEMATA_BUILD_CONCURRENCY) for every build.
 * Every build runs `scripts/build-site.ts` (what `npm run build` runs) under the memory watchdog.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { differingFiles } from "../../src/build/changes.ts";
import { failIfBad, runWatched } from "./build.ts";
import { generateContent, generateArticles } from "./generate-content.ts";
import { applyNight, NIGHT } from "./night-change.ts";
import { formatBytes, parseBytes } from "./watchdog.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const NODE = join(REPO, "node_modules/.bin/node");
const BUILD = join(REPO, "scripts/build-site.ts");
const SEED = 1;

interface BuildFigures {
  label: string;
  ms: number;
  peakBytes: number;
  rendered: number;
  reused: number;
  shards: number;
  reindexed: number;
  filesChanged: number;
  astroMs: number;
  searchMs: number;
}

function figures(label: string, ms: number, peakBytes: number, output: string): BuildFigures {
  const num = (re: RegExp, i = 1) => Number(re.exec(output)?.[i] ?? NaN);
  const files = /files: (\d+) added, (\d+) changed, (\d+) removed/.exec(output);
  return {
    label,
    ms,
    peakBytes,
    rendered: num(/pages: (\d+) rendered/),
    reused: num(/rendered, (\d+) reused/),
    shards: num(/\((\d+) shards?, \d+ re-indexed\)/),
    reindexed: num(/, (\d+) re-indexed\)/),
    filesChanged: files ? Number(files[1]) + Number(files[2]) + Number(files[3]) : NaN,
    astroMs: num(/astro (\d+) ms/),
    searchMs: num(/indexed in (\d+) ms/),
  };
}

function table(rows: BuildFigures[], equal: string): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const cells = [
    [
      "build",
      "wall",
      "astro",
      "search",
      "pages rendered",
      "pages reused",
      "shards re-indexed",
      "peak RSS",
      "files changed",
      "warm == cold",
    ],
    ...rows.map((r) => [
      r.label,
      s(r.ms),
      s(r.astroMs),
      s(r.searchMs),
      r.rendered.toLocaleString("en-US"),
      r.reused.toLocaleString("en-US"),
      `${r.reindexed} of ${r.shards}`,
      formatBytes(r.peakBytes),
      r.filesChanged.toLocaleString("en-US"),
      r.label === "warm" ? equal : "",
    ]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`).join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "10000" },
      work: { type: "string" },
      limit: { type: "string", default: "12G" },
      heap: { type: "string", default: "4096" },
      "no-compare": { type: "boolean", default: false },
      keep: { type: "string" },
      concurrency: { type: "string" },
    },
  });
  const n = Number(values.size.replace(/k$/i, "000"));
  const work = values.work ?? (await mkdtemp(join(tmpdir(), "themata-nightly-")));
  await mkdir(work, { recursive: true });
  const base = join(work, `content-${n}`);
  const marker = join(base, `.generated-${n}-seed-${SEED}`);
  if (!existsSync(marker)) {
    await rm(base, { recursive: true, force: true });
    await generateContent(n, base, SEED);
    await writeFile(marker, "");
  }
  const run = join(work, `nightly-${n}`);
  await rm(run, { recursive: true, force: true });
  await mkdir(run, { recursive: true });
  await symlink(join(REPO, "node_modules"), join(run, "node_modules"));
  const content = join(run, "content");
  await cp(base, content, { recursive: true });

  // Each cache builds into its own out dir (Astro's code hash of a page covers the out dir, so a
  // cache serves one out dir, as dist/ is in production); the site is then moved aside to compare.
  const build = async (label: string, cacheDir: string, outDir: string): Promise<BuildFigures> => {
    const buildDir = `${cacheDir}-dist`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: `--max-old-space-size=${values.heap}`,
      THEMATA_CONTENT_DIR: content,
      THEMATA_OUT_DIR: buildDir,
      THEMATA_CACHE_DIR: cacheDir,
      THEMATA_DEPLOY_CHANGES: join(run, `${label.replace(/\W+/g, "-")}-changes.json`),
      ...(values.concurrency ? { THEMATA_BUILD_CONCURRENCY: values.concurrency } : {}),
      ASTRO_TELEMETRY_DISABLED: "1",
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    };
    console.log(`[${n}] ${label} build…`);
    const step = await runWatched(NODE, [BUILD, "--root", REPO], run, env, parseBytes(values.limit));
    failIfBad(`[${n}] ${label} build`, step);
    await rename(buildDir, outDir);
    const result = figures(label, step.ms, step.peakBytes, step.output);
    console.log(
      `[${n}] ${label}: ${(step.ms / 1000).toFixed(1)} s, ${result.rendered} rendered, ${result.reused} reused, ${result.reindexed} of ${result.shards} shards re-indexed, peak ${formatBytes(step.peakBytes)}`,
    );
    // Where the time went, as the build itself reports it.
    for (const line of step.output.split("\n")) if (/^(build: (pages|files):|search index:)/.test(line)) console.log(`  ${line}`);
    return result;
  };

  const cache = join(run, "cache");
  const cold = await build("cold", cache, join(run, "dist-cold"));
  await applyNight(content, [...generateArticles(n, SEED)], NIGHT);
  console.log(`[${n}] night applied: ${NIGHT.added} new, ${NIGHT.edited} edited, ${NIGHT.deleted} deleted, ${NIGHT.refreshed} refreshed`);
  const warm = await build("warm", cache, join(run, "dist-warm"));
  const rows = [cold, warm];
  let differing: string[] = [];
  let equal = "not compared";
  if (!values["no-compare"]) {
    rows.push(await build("cold, after the night", join(run, "cache-fresh"), join(run, "dist-cold-after")));
    differing = await differingFiles(join(run, "dist-warm"), join(run, "dist-cold-after"));
    equal = differing.length === 0 ? "yes" : `NO: ${differing.length} files differ (${differing.slice(0, 5).join(", ")})`;
  }
  console.log(
    `\n${n.toLocaleString("en-US")} articles, ${cpus().length} cores, Node heap ${values.heap} MB, build.concurrency ${values.concurrency ?? 4}, load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(table(rows, equal));
  if (values.keep) {
    await rm(values.keep, { recursive: true, force: true });
    await rename(join(run, "dist-warm"), values.keep);
  }
  await rm(run, { recursive: true, force: true });
  if (differing.length > 0) process.exit(1);
}
