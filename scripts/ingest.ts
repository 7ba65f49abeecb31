/** `npm run ingest`: parses the command line, wires the stages together, prints progress and the report. */
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createBudget } from "../src/ingest/budget/cost.ts";
import { loadConfig } from "../src/ingest/config.ts";
import { createFetcher } from "../src/ingest/fetch/fetcher.ts";
import { summarizeCards, syncCards } from "../src/ingest/cards/cards.ts";
import { SITE } from "../src/site.config.ts";
import { runIngest } from "../src/ingest/pipeline.ts";
import { formatRunSummary, progressLine, runExitCode, OUTCOMES, type Outcome } from "../src/ingest/report/report.ts";
import { readRunState, writeRunState } from "../src/ingest/run-state.ts";
import { defaultSince, readBlocklist } from "../src/ingest/sources/sources.ts";
import { createBatchSummarizer, createSummarizer } from "../src/ingest/summarize/summarizers.ts";

const USAGE = `usage: npm run ingest -- [--config FILE] [--content-dir DIR] [--provider NAME] [--limit N]
       [--since DATE] [--dry-run] [--report FILE] [--allow-host HOST[:PORT]]... [--batch] [--max-cost USD]`;

/** A run that cannot start: bad command line (with the usage) or bad config; exit code 2. */
function cannotStart(message: string, showUsage = false): never {
  console.error(`ingest: ${message}${showUsage ? `\n${USAGE}` : ""}`);
  process.exit(2);
}
function usageError(message: string): never {
  return cannotStart(message, true);
}

let args;
try {
  args = parseArgs({
    options: {
      config: { type: "string" },
      "content-dir": { type: "string" },
      provider: { type: "string" },
      limit: { type: "string" },
      since: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      report: { type: "string" },
      "allow-host": { type: "string", multiple: true, default: [] },
      batch: { type: "boolean", default: false },
      "max-cost": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  usageError((error as Error).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) usageError(`--limit must be a whole number above 0, not ${args.limit}`);
const since = args.since === undefined ? undefined : new Date(args.since);
if (since && Number.isNaN(since.getTime())) usageError(`--since must be a date such as 2026-11-28, not ${args.since}`);
const maxCost = args["max-cost"] === undefined ? undefined : Number(args["max-cost"]);
if (maxCost !== undefined && !(maxCost > 0)) usageError(`--max-cost must be a number of USD above 0, not ${args["max-cost"]}`);

const loaded = await loadConfig(args.config ? resolve(args.config) : undefined);
if (!loaded.ok) cannotStart(loaded.reason);
const config = loaded.value;
if (args["content-dir"]) config.contentDir = resolve(args["content-dir"]);
const provider = args.provider ?? config.summarizer.provider;
if (args.batch && provider !== "anthropic") usageError(`--batch needs the anthropic provider (the Message Batches API), not ${provider}`);

const budget = createBudget({ maxCostUsd: maxCost ?? config.summarizer.maxCostUsd, maxRetries: config.summarizer.maxRetries });
const summarizer = createSummarizer(provider, config.summarizer, { budget });
if (!summarizer.ok) cannotStart(summarizer.reason);
let batch;
if (args.batch) {
  const created = createBatchSummarizer(provider, config.summarizer, { budget });
  if (!created.ok) cannotStart(created.reason);
  batch = created.value;
}

const blocklist = await readBlocklist(config.blocklistFile);
if (!blocklist.ok) cannotStart(blocklist.reason);
for (const problem of blocklist.value.problems) console.error(`block-list ${config.blocklistFile}: ${problem} (ignored)`);
const state = await readRunState(config.runStateFile);
if (!state.ok) cannotStart(state.reason);

const now = new Date();
const fetcher = createFetcher({ ...config.fetch, allowHosts: args["allow-host"], cacheDir: join(config.cacheDir, "http") });
const tty = process.stderr.isTTY === true && !process.env.CI;
const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

let outcome;
try {
  outcome = await runIngest({
    config,
    fetcher,
    summarizer: summarizer.value,
    batch,
    budget,
    articlesDir: join(config.contentDir, "articles"),
    blockedUrls: blocklist.value.urls,
    pending: args["dry-run"] ? [] : state.value.pendingBatches,
    carried: { deferred: state.value.deferred, failedLinks: state.value.failedLinks },
    now,
    since: since ?? defaultSince(config, now, state.value.lastRunAt),
    limit,
    dryRun: args["dry-run"],
    concurrency: config.fetch.globalConcurrency,
    saveRunState: async ({ pending, deferred }) => {
      if (!args["dry-run"])
        await writeRunState(config.runStateFile, {
          ...state.value,
          pendingBatches: pending,
          deferred: [...state.value.deferred, ...deferred],
        });
    },
    onItem: (item, done, total) => {
      counts[item.outcome] += 1;
      if (tty) process.stderr.write(`\r${progressLine(done, total, counts)}`);
      else console.error(`${item.outcome.padEnd(9)} ${item.url}${item.reason ? ` — ${item.reason}` : item.path ? ` → ${item.path}` : ""}`);
    },
  });
} finally {
  await fetcher.close();
}
if (tty) process.stderr.write("\n");

const { report } = outcome;
// Social cards for the articles written this run (`npm run cards` checks every article's).
if (!args["dry-run"]) {
  const written = report.items
    .filter((item) => (item.outcome === "new" || item.outcome === "updated") && item.path)
    .map((item) => resolve(item.path!));
  const cards = await syncCards(written, SITE.name);
  for (const card of cards.filter((c) => c.outcome === "failed")) console.error(`card     ${card.path} — ${card.reason}`);
  if (cards.length > 0) console.error(`Social cards: ${summarizeCards(cards)}`);
}
if (!args["dry-run"]) {
  await writeRunState(config.runStateFile, {
    lastRunAt: now,
    pendingBatches: outcome.pending,
    deferred: outcome.deferred,
    failedLinks: outcome.failedLinks,
  });
}
if (args.report) await writeFile(args.report, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatRunSummary(report));
process.exit(runExitCode(report));
