/**
 * Night benchmark: the real `npm run ingest` CLI, unattended, over N items of the fixture night on
 * loopback with latency on every response, a share of them hostile (deeply nested pages, chains of
 * dripping redirects, 503s whose bodies drip and ask for Retry-After 29), summarized by the real
 * Anthropic SDK against the stub, which refuses every Nth call with 429 or 529. Prints items
 * written, failed, deferred; total time against the run deadline; the slowest item against its
 * deadline; peak RSS (under the memory watchdog); model retries; spend against the cap. Exits 1
 * when a target is missed: no item longer than its deadline plus 5 s, the cap never passed, every
 * item that can be written written.
 * Usage: node scripts/bench/night.ts [--items 200] [--latency 50] [--hostile 0.05] [--overload-every 10]
 *        [--item-deadline-ms 10000] [--run-deadline-s 300] [--cap 1] [--nesting 1000] [--limit 2G]
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { RunReport } from "../../src/ingest/report/report.ts";
import { startAnthropicStub, type MessagesReply } from "../fixtures/anthropic-stub.ts";
import { delayed, drippingRedirect, drippingUnavailable, html, redirect, startFixtureWeb, type Route } from "../fixtures/fixture-web.ts";
import { NIGHT_SINCE, nightRoutes, PLACEHOLDER_ORIGIN, startFixtureNight, writeNightConfig } from "../fixtures/fixture-night.ts";
import { formatBytes, parseBytes, watchTree } from "./watchdog.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const { values } = parseArgs({
  options: {
    items: { type: "string", default: "200" },
    latency: { type: "string", default: "50" },
    hostile: { type: "string", default: "0.05" },
    "overload-every": { type: "string", default: "10" },
    "item-deadline-ms": { type: "string", default: "10000" },
    "run-deadline-s": { type: "string", default: "300" },
    cap: { type: "string", default: "1" },
    nesting: { type: "string", default: "1000" },
    limit: { type: "string", default: "2G" },
  },
});
const BASE_ITEMS = (await nightRoutes(PLACEHOLDER_ORIGIN)).items.length;
const itemCount = Number(values.items);
const latencyMs = Number(values.latency);
const overloadEvery = Number(values["overload-every"]);
const itemDeadlineMs = Number(values["item-deadline-ms"]);
const runDeadlineSeconds = Number(values["run-deadline-s"]);
const capUsd = Number(values.cap);
const nesting = Number(values.nesting);
const limitBytes = parseBytes(values.limit);
if (!Number.isInteger(itemCount) || itemCount < BASE_ITEMS) throw new Error(`--items must be a whole number of at least ${BASE_ITEMS}`);

// ---- The night: the fixture night plus generated stories, some of them made hostile ----

const night = await startFixtureNight({ latencyMs, extraItems: itemCount - BASE_ITEMS });
// Hostile pages live on their own host, as on the real web: the night's links redirect there, so
// their drips hold that host's request slots, not those of the host serving the good pages.
const hostileWeb = await startFixtureWeb({}, { host: "127.0.0.2" });
const generated = night.items.slice(BASE_ITEMS);
const hostileCount = Math.min(generated.length, Math.round(itemCount * Number(values.hostile)));
const kinds = ["nested", "redirects", "unavailable"] as const;
type HostileKind = (typeof kinds)[number];
const hostile = new Map<string, HostileKind>();
const slow = (route: Route) => (latencyMs > 0 ? delayed(latencyMs, route) : route);
for (let i = 0; i < hostileCount; i++) {
  const item = generated[Math.floor((i * generated.length) / hostileCount)]!;
  const kind = kinds[i % kinds.length]!;
  const path = new URL(item.url).pathname;
  hostile.set(item.url, kind);
  night.web.route(path, slow(redirect(`${hostileWeb.url}${path}`)));
  if (kind === "nested") {
    const text = "<p>Open weights let small teams run language models on their own hardware, and local inference keeps data private.</p>";
    hostileWeb.route(
      path,
      slow(
        html(
          `<!doctype html><html><head><title>${item.title}</title></head><body>${"<div>".repeat(nesting)}${text}${"</div>".repeat(nesting)}</body></html>`,
        ),
      ),
    );
  } else if (kind === "redirects") {
    // Five hops, each body dripping for 20 s: within every per-hop limit, far past an item's deadline.
    for (let hop = 0; hop < 5; hop++) {
      hostileWeb.route(
        hop === 0 ? path : `${path}/hop-${hop}`,
        drippingRedirect(`${path}/hop-${hop + 1}`, { intervalMs: 200, chunks: 100 }),
      );
    }
  } else {
    hostileWeb.route(path, drippingUnavailable("29", { intervalMs: 200, chunks: 100 }));
  }
}

// ---- The model: the stub, refusing every Nth call ----

const stub = await startAnthropicStub();
let refusals = 0;
stub.replyFor = (_body, index): MessagesReply | undefined => {
  if (overloadEvery <= 0 || index % overloadEvery !== overloadEvery - 1) return undefined;
  refusals++;
  return refusals % 2 === 1
    ? { error: { status: 429, type: "rate_limit_error", message: "stub: rate limited" }, headers: { "retry-after": "1" } }
    : { error: { status: 529, type: "overloaded_error", message: "stub: overloaded" }, headers: { "retry-after": "1" } };
};

const dir = await mkdtemp(join(tmpdir(), "themata-bench-night-"));
const configFile = join(dir, "themata.config.json");
await writeNightConfig(configFile, night.web.url, (config) => {
  (config.sources as { hackerNews: { maxStories: number } }).hackerNews.maxStories = Math.max(200, itemCount);
  (config.fetch as Record<string, unknown>).itemDeadlineMs = itemDeadlineMs;
  config.runDeadlineSeconds = runDeadlineSeconds;
  (config.summarizer as Record<string, unknown>).maxCostUsd = capUsd;
});

// ---- One unattended night ----

const reportFile = join(dir, "report.json");
const started = performance.now();
const child = spawn(
  process.execPath,
  [
    join(REPO_ROOT, "scripts/ingest.ts"),
    "--config",
    configFile,
    "--provider",
    "anthropic",
    "--allow-host",
    night.web.hostPort,
    "--allow-host",
    hostileWeb.hostPort,
    "--report",
    reportFile,
    "--since",
    NIGHT_SINCE.toISOString(),
  ],
  {
    cwd: dir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // A made-up key for the stub; the SDK reads the stub's address from ANTHROPIC_BASE_URL.
    env: { ...process.env, CI: "1", ANTHROPIC_BASE_URL: stub.url, ANTHROPIC_API_KEY: "sk-ant-stub-benchmark" },
  },
);
const watch = watchTree(child, { limitBytes, intervalMs: 50 });
let output = "";
child.stdout!.on("data", (d: Buffer) => (output += d));
child.stderr!.on("data", (d: Buffer) => (output += d));
const code = await new Promise<number>((done) => child.on("close", (c, signal) => done(c ?? (signal ? 137 : 1))));
const wallMs = performance.now() - started;
const { peakBytes, killed } = watch.stop();
const messageCalls = stub.messageBodies().length;
await night.close();
await hostileWeb.close();
await stub.close();

let report: RunReport | null = null;
let deferred = 0;
// Deferred items are read from the run state the CLI wrote (the report lists them as notAttempted too).
try {
  report = JSON.parse(await readFile(reportFile, "utf8")) as RunReport;
  const state = JSON.parse(await readFile(join(dir, "state/ingest-state.json"), "utf8")) as { deferred?: unknown[] };
  deferred = state.deferred?.length ?? 0;
} catch {
  // Reported below as a missing report.
}
await rm(dir, { recursive: true, force: true });

// ---- Figures ----

const seconds = (ms: number) => (ms / 1000).toFixed(1);
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

console.log(
  `Night benchmark: ${itemCount} items (${hostileCount} hostile: ${kinds.map((k) => `${[...hostile.values()].filter((v) => v === k).length} ${k}`).join(", ")}), ` +
    `${latencyMs} ms per response, stub model refusing every ${overloadEvery}th call (429/529, Retry-After 1 s)`,
);
console.log(
  `deadlines: item ${seconds(itemDeadlineMs)} s (fetch.itemDeadlineMs), run ${runDeadlineSeconds} s (runDeadlineSeconds); cap $${capUsd}; nesting ${nesting} divs\n`,
);
if (!report) {
  console.error(
    `the ingest exited with ${code}${killed ? " (killed by the memory watchdog)" : ""} and left no report\n${output.slice(-3000)}`,
  );
  process.exit(1);
}
const items = report.items;
const t = report.totals;
const slowest = items.reduce((a, b) => (b.ms > a.ms ? b : a), items[0]!);
const modelRetries = Math.max(0, messageCalls - items.filter((i) => i.model).length);
console.log(
  table([
    [
      "written",
      "failed",
      "skipped",
      "deferred",
      "wall s",
      "run deadline s",
      "slowest item s",
      "item deadline + 5 s",
      "peak RSS",
      "model calls",
      "429/529 sent",
      "spend",
      "cap",
    ],
    [
      String(t.new + t.updated),
      String(t.failed),
      String(t.skipped),
      String(deferred),
      seconds(wallMs),
      String(runDeadlineSeconds),
      seconds(slowest?.ms ?? 0),
      seconds(itemDeadlineMs + 5000),
      formatBytes(peakBytes),
      String(messageCalls),
      String(refusals),
      `$${report.costUsd.toFixed(4)}`,
      `$${capUsd.toFixed(4)}`,
    ],
  ]),
);
console.log(
  `\nexit code ${code}; model retries in the report: ${report.retries ?? "-"}; model calls beyond one per written item (retries and repairs): ${modelRetries}`,
);
console.log("\nhostile items:");
for (const [url, kind] of hostile) {
  const moved = `${hostileWeb.url}${new URL(url).pathname}`;
  const item = items.find((i) => i.url === url || i.url === moved);
  console.log(
    `  ${kind.padEnd(11)} ${item ? `${item.outcome.padEnd(8)} ${seconds(item.ms).padStart(5)} s  ${item.reason ?? ""}` : "not attempted (deferred)"}`,
  );
}
const others = items.filter((i) => i.outcome === "failed" && !hostile.has(i.url));
if (others.length > 0) console.log(`\nother failures:\n${others.map((i) => `  ${i.url}: ${i.reason}`).join("\n")}`);
for (const note of report.notes) console.log(`note: ${note}`);

// ---- Targets ----

const problems: string[] = [];
if (killed) problems.push(`killed by the memory watchdog past ${values.limit}`);
const late = items.filter((i) => i.ms > itemDeadlineMs + 5000);
if (late.length > 0)
  problems.push(`${late.length} item(s) took longer than the item deadline plus 5 s, e.g. ${late[0]!.url} (${seconds(late[0]!.ms)} s)`);
if (report.costUsd > capUsd) problems.push(`spent $${report.costUsd} past the $${capUsd} cap`);
const writable = itemCount - [...hostile.values()].filter((k) => k !== "nested").length;
if (t.new + t.updated < writable)
  problems.push(`${t.new + t.updated} written of ${writable} items that can be written (${deferred} deferred)`);
if (problems.length > 0) {
  console.error(`\nMISSED:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("\nall targets met: no item past its deadline plus 5 s, the cap kept, every writable item written");
