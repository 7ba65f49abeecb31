/**
 * Ingest benchmark: the real `npm run ingest` CLI over N items from the fixture night on loopback,
 * every response held back by an injected latency. Prints items/s against the bound the
 * fetcher's concurrency allows, the peak RSS of the ingest process (under the memory watchdog),
 * and an immediate rerun, which must make no full GET of an unchanged page (counted from the
 * fixture server's request log). Exits 1 when a run fails or that rule is broken.
 * Usage: node scripts/bench/ingest.ts [--items 200] [--latency 100] [--limit 2G]
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/ingest/config.ts";
import type { RunReport } from "../../src/ingest/report/report.ts";
import type { RecordedRequest } from "../fixtures/fixture-web.ts";
import { NIGHT_SINCE, nightRoutes, PLACEHOLDER_ORIGIN, startFixtureNight, writeNightConfig } from "../fixtures/fixture-night.ts";
import { formatBytes, parseBytes, watchTree } from "./watchdog.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const { values } = parseArgs({
  options: {
    items: { type: "string", default: "200" },
    latency: { type: "string", default: "100" },
    limit: { type: "string", default: "2G" },
  },
});
const BASE_ITEMS = (await nightRoutes(PLACEHOLDER_ORIGIN)).items.length;
const itemCount = Number(values.items);
const latencyMs = Number(values.latency);
const limitBytes = parseBytes(values.limit);
if (!Number.isInteger(itemCount) || itemCount < BASE_ITEMS)
  throw new Error(`--items must be a whole number of at least ${BASE_ITEMS} (the fixture night's own)`);

const night = await startFixtureNight({ latencyMs, extraItems: itemCount - BASE_ITEMS });
const dir = await mkdtemp(join(tmpdir(), "themata-bench-ingest-"));
const configFile = join(dir, "themata.config.json");
// The night's dates are fixed; widen the refresh window so its articles count as recent, as a
// real night's do the next morning (a rerun then refreshes their points, comments and heat).
const daysSinceNight = Math.ceil((Date.now() - NIGHT_SINCE.getTime()) / 86_400_000);
await writeNightConfig(configFile, night.web.url, (config) => {
  config.refreshWindowDays = daysSinceNight + 7;
  (config.sources as { hackerNews: { maxStories: number } }).hackerNews.maxStories = Math.max(200, itemCount);
});
const loaded = await loadConfig(configFile);
if (!loaded.ok) throw new Error(loaded.reason);
const { perHostConcurrency, globalConcurrency } = loaded.value.fetch;

/** Article pages of the night, by path (no trailing slash): what "a page" means in the request log. */
const pagePaths = new Set(night.items.filter((i) => i.kind !== "text-post").map((i) => new URL(i.url).pathname.replace(/\/$/, "")));
const isPage = (r: RecordedRequest) => pagePaths.has(r.path.split("?")[0]!.replace(/\/$/, ""));

interface RunFigures {
  label: string;
  code: number;
  killed: boolean;
  wallMs: number;
  /** When the first item settled (was written, or failed), from spawn. */
  firstSettledMs: number | null;
  peakRss: number;
  report: RunReport | null;
  requests: RecordedRequest[];
  output: string;
}

/** One `npm run ingest` as a child process under the watchdog; its requests are those the server logged meanwhile. */
async function ingest(label: string): Promise<RunFigures> {
  const reportFile = join(dir, "report.json");
  await rm(reportFile, { force: true });
  const first = night.web.requests.length;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, "scripts/ingest.ts"),
      "--config",
      configFile,
      "--allow-host",
      night.web.hostPort,
      "--report",
      reportFile,
      "--since",
      NIGHT_SINCE.toISOString(),
    ],
    { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } },
  );
  const watch = watchTree(child, { limitBytes, intervalMs: 50 });
  let output = "";
  let firstSettledMs: number | null = null;
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => {
    output += d;
    // In CI mode the CLI prints one line per settled item: the first says when writing began.
    if (firstSettledMs === null && /^(new|updated|unchanged|skipped|failed) /m.test(String(d)))
      firstSettledMs = performance.now() - started;
  });
  const code = await new Promise<number>((done) => child.on("close", (c, signal) => done(c ?? (signal ? 137 : 1))));
  const wallMs = performance.now() - started;
  const { peakBytes, killed } = watch.stop();
  let report: RunReport | null;
  try {
    report = JSON.parse(await readFile(reportFile, "utf8")) as RunReport;
  } catch {
    report = null;
  }
  return { label, code, killed, wallMs, firstSettledMs, peakRss: peakBytes, report, requests: night.web.requests.slice(first), output };
}

const runs: RunFigures[] = [];
try {
  runs.push(await ingest("first run (cold)"));
  runs.push(await ingest("immediate rerun"));
  // The same night again with the articles gone but the HTTP cache kept: every page is asked for
  // again, so this is where conditional GETs show (a pending batch's items are prepared this way).
  await rm(join(dir, "content"), { recursive: true, force: true });
  await rm(join(dir, "state"), { recursive: true, force: true });
  runs.push(await ingest("rerun, articles deleted, cache kept"));
} finally {
  await night.close();
}

// ---- Figures ----

const seconds = (ms: number) => (ms / 1000).toFixed(1);
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

/** Requests the run needed, over what the fetcher may have in flight at once, each taking `latencyMs`. */
function boundItemsPerSecond(run: RunFigures): number {
  const atOnce = Math.min(perHostConcurrency, globalConcurrency); // one host: 127.0.0.1
  const seconds = (run.requests.length * latencyMs) / atOnce / 1000;
  return (run.report?.items.length ?? 0) / seconds;
}

const rows = [
  [
    "run",
    "items",
    "new",
    "unchanged",
    "failed",
    "wall s",
    "1st item s",
    "items/s",
    "bound/s",
    "requests",
    "200",
    "304",
    "page GETs full/304",
    "peak RSS",
  ],
];
for (const run of runs) {
  const t = run.report?.totals;
  const pages = run.requests.filter(isPage);
  rows.push([
    run.label,
    String(run.report?.items.length ?? "-"),
    String(t?.new ?? "-"),
    String(t?.unchanged ?? "-"),
    String(t?.failed ?? "-"),
    seconds(run.wallMs),
    run.firstSettledMs === null ? "-" : seconds(run.firstSettledMs),
    ((run.report?.items.length ?? 0) / (run.wallMs / 1000)).toFixed(1),
    boundItemsPerSecond(run).toFixed(1),
    String(run.requests.length),
    String(run.requests.filter((r) => r.status === 200).length),
    String(run.requests.filter((r) => r.status === 304).length),
    `${pages.filter((r) => r.status === 200).length}/${pages.filter((r) => r.status === 304).length}`,
    formatBytes(run.peakRss),
  ]);
}

const cold = runs[0]!;
console.log(
  `Ingest benchmark: ${itemCount} items (${BASE_ITEMS} from the fixture night, ${itemCount - BASE_ITEMS} generated), ${latencyMs} ms per response, one host (127.0.0.1)`,
);
console.log(
  `fetch: perHostConcurrency ${perHostConcurrency}, globalConcurrency ${globalConcurrency}; refreshWindowDays ${daysSinceNight + 7} (the night counts as recent)\n`,
);
console.log(table(rows));
const perItem = cold.requests.length / Math.max(1, cold.report?.items.length ?? 1);
console.log(
  `\nbound/s = items ÷ (requests × ${latencyMs} ms ÷ ${Math.min(perHostConcurrency, globalConcurrency)} at once): all on one host, so perHostConcurrency ${perHostConcurrency} ` +
    `caps requests in flight; the first run needed ${perItem.toFixed(2)} requests per item (page, HN thread, og:image; robots.txt, search pages and the feed once).`,
);
console.log(
  `1st item s: when the first item settled; the pipeline fetches and reads every item before it summarizes and writes any (src/ingest/pipeline.ts).`,
);
console.log(
  `items/s counts the whole process (start-up, config, discovery) from spawn to exit; peak RSS is the ingest process's, sampled every 50 ms (limit ${values.limit}).`,
);
console.log(`most requests in flight at once (whole benchmark): ${night.web.maxInFlight}`);

// ---- Rules ----

const problems: string[] = [];
for (const run of runs) {
  if (run.killed) problems.push(`${run.label}: killed by the memory watchdog past ${values.limit}`);
  else if (run.code !== 0 || !run.report) problems.push(`${run.label}: the ingest exited with ${run.code}\n${run.output.slice(-2000)}`);
  else if (run.report.totals.failed > 0) problems.push(`${run.label}: ${run.report.totals.failed} items failed`);
}
// Every item is written the first time; a rerun refreshes those with a discussion (feed items have none).
for (const run of [runs[0]!, runs[2]!]) {
  if (run.report && run.report.totals.new !== itemCount)
    problems.push(`${run.label}: ${run.report.totals.new} new articles, expected ${itemCount}`);
}
for (const run of runs.slice(1)) {
  const full = run.requests.filter((r) => isPage(r) && r.status !== 304);
  if (full.length > 0)
    problems.push(`${run.label}: ${full.length} page requests were not answered 304, e.g. ${full[0]!.path} → ${full[0]!.status}`);
  const unconditional = run.requests.filter((r) => isPage(r) && !r.headers["if-none-match"] && !r.headers["if-modified-since"]);
  if (unconditional.length > 0)
    problems.push(`${run.label}: ${unconditional.length} page requests were not conditional, e.g. ${unconditional[0]!.path}`);
}
const rerun = runs[1]!;
if (rerun.report && rerun.report.totals.new > 0)
  problems.push(`immediate rerun: wrote ${rerun.report.totals.new} new articles; it should find every link written`);

await rm(dir, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`\nFAILED:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(
  `\nimmediate rerun: no full GET of an unchanged page (${rerun.requests.filter(isPage).length} page requests; every link was already an article)`,
);
