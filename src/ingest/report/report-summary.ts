/** A run report (`--report FILE`) read back and retold: a commit message listing the articles, and a GitHub job summary. */
import { z } from "astro/zod";
import { describeIssues } from "../../article/schema-issues.ts";
import { fail, ok, type Result } from "../../article/result.ts";
import { OUTCOMES, type ItemReport, type RunReport } from "./report.ts";

const count = z.number().int().nonnegative();
const tokensSchema = z.object({ input: count, cachedInput: count, cacheWrite: count, output: count });

// Loose objects: a newer report with extra fields still reads; a missing or mistyped field does not.
const itemSchema = z.object({
  url: z.string(),
  title: z.string().optional(),
  outcome: z.enum(OUTCOMES),
  reason: z.string().optional(),
  path: z.string().optional(),
  model: z.string().optional(),
  tokens: tokensSchema.optional(),
  costUsd: z.number().nonnegative().optional(),
  grounding: z.object({ checked: count, repaired: count, dropped: count }).optional(),
  groundingFailed: z.boolean().optional(),
  retries: count.optional(),
  ms: z.number().nonnegative(),
});

const runReportSchema = z.object({
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().nonnegative(),
  provider: z.string(),
  model: z.string(),
  dryRun: z.boolean(),
  items: z.array(itemSchema),
  sourceFailures: z.array(z.object({ source: z.string(), reason: z.string() })),
  totals: z.object(Object.fromEntries(OUTCOMES.map((o) => [o, count])) as Record<(typeof OUTCOMES)[number], typeof count>),
  tokens: tokensSchema,
  costUsd: z.number().nonnegative(),
  grounding: z.object({ checked: count, repaired: count, dropped: count, itemsFailed: count }).optional(),
  notes: z.array(z.string()),
  stopped: z.string().optional(),
  retries: count.optional(),
});

/** Reads a report file's text; a reason per bad field, prefixed with the file's name, when it is not a run report. */
export function parseRunReport(text: string, file: string): Result<RunReport> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = runReportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error, data).map((line) => `${file}: ${line.replace("(frontmatter)", "(the whole file)")}`);
    return fail(`${issues.join("\n")}\n${file}: not a run report written by \`npm run ingest -- --report FILE\``);
  }
  const report: RunReport = parsed.data;
  return ok(report);
}

/** Text from the web on one line: control characters and line breaks become spaces. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** The UTC day a run started on, e.g. `2026-11-29`. */
export function runDay(report: RunReport): string {
  return new Date(report.startedAt).toISOString().slice(0, 10);
}

/** The articles a run wrote, new ones first, each group in report order. */
function writtenItems(report: RunReport): ItemReport[] {
  return [...report.items.filter((i) => i.outcome === "new"), ...report.items.filter((i) => i.outcome === "updated")];
}

/** `5 new, 2 updated, 1 failed`: new and updated always; failures and unreadable sources when there are any. */
export function headlineCounts(report: RunReport): string {
  const parts = [`${report.totals.new} new`, `${report.totals.updated} updated`];
  if (report.totals.failed > 0) parts.push(`${report.totals.failed} failed`);
  const sources = report.sourceFailures.length;
  if (sources > 0) parts.push(`${sources} source${sources === 1 ? "" : "s"} unreadable`);
  return parts.join(", ");
}

/**
 * The nightly commit's message: `Nightly ingest 2026-11-29: 5 new, 2 updated, 1 failed`, a blank
 * line, then one line per article written (`new: Title (content/articles/…)`).
 */
export function formatCommitMessage(report: RunReport): string {
  const lines = [`Nightly ingest ${runDay(report)}: ${headlineCounts(report)}`];
  const written = writtenItems(report);
  if (written.length > 0) {
    lines.push("");
    for (const item of written) {
      lines.push(`${item.outcome}: ${oneLine(item.title ?? item.url)} (${oneLine(item.path ?? item.url)})`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Text from an article, a page or a model, made inert for GitHub's Markdown: one line, every ASCII
 * punctuation mark backslash-escaped (CommonMark allows it on any of them), so nothing in it can
 * open a link, an image, a table cell, a heading, HTML or an @mention.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, (mark) => (mark === "<" ? "&lt;" : mark === ">" ? "&gt;" : `\\${mark}`));
}

/** An http(s) URL as a Markdown link destination (`<…>` form, so parentheses and spaces are safe), else null. */
function linkDestination(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return `<${parsed.href.replace(/[<>\s]/g, (c) => encodeURIComponent(c))}>`;
}

/** The item's title (else its URL) linked to the original when the URL is http(s). */
function itemLink(item: ItemReport): string {
  const label = escapeMarkdown(item.title ?? item.url);
  const destination = linkDestination(item.url);
  return destination ? `[${label}](${destination})` : label;
}

/** Code spans cannot hold their own fence; paths and reasons never need backticks. */
function code(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

const integer = new Intl.NumberFormat("en-US");

function markdownTable(header: string[], rows: string[][], align: ("l" | "r")[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${align.map((a) => (a === "r" ? "---:" : ":---")).join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

/** The job summary: totals, tokens and cost, failures with reasons, unreadable sources, notes, then what was written and skipped. */
export function formatJobSummary(report: RunReport): string {
  const t = report.totals;
  const out: string[] = [`## Nightly ingest ${runDay(report)}${report.dryRun ? " (dry run: nothing was written)" : ""}`, ""];

  out.push(
    ...markdownTable(
      ["new", "updated", "unchanged", "skipped", "failed", "time"],
      [[...OUTCOMES.map((o) => String(t[o])), `${(report.durationMs / 1000).toFixed(1)} s`]],
      ["r", "r", "r", "r", "r", "r"],
    ),
    "",
  );

  out.push(
    ...markdownTable(
      ["provider", "model", "input tokens", "cached input", "cache write", "output tokens", "estimated cost"],
      [
        [
          escapeMarkdown(report.provider),
          escapeMarkdown(report.model || "—"),
          integer.format(report.tokens.input),
          integer.format(report.tokens.cachedInput),
          integer.format(report.tokens.cacheWrite),
          integer.format(report.tokens.output),
          `$${report.costUsd.toFixed(4)}`,
        ],
      ],
      ["l", "l", "r", "r", "r", "r", "r"],
    ),
    "",
  );

  const failed = report.items.filter((i) => i.outcome === "failed");
  if (failed.length > 0) {
    out.push(`### Failed (${failed.length})`, "", "They are found again and retried by the next run.", "");
    out.push(
      ...markdownTable(
        ["article", "reason"],
        failed.map((i) => [itemLink(i), escapeMarkdown(i.reason ?? "no reason given")]),
        ["l", "l"],
      ),
      "",
    );
  }

  if (report.sourceFailures.length > 0) {
    out.push(`### Sources that could not be read (${report.sourceFailures.length})`, "");
    out.push(...report.sourceFailures.map((f) => `- **${escapeMarkdown(f.source)}**: ${escapeMarkdown(f.reason)}`), "");
  }

  if (report.notes.length > 0) {
    out.push("### Notes", "", ...report.notes.map((note) => `- ${escapeMarkdown(note)}`), "");
  }

  const written = writtenItems(report);
  if (written.length > 0) {
    out.push(`### Written (${written.length})`, "");
    out.push(...written.map((i) => `- ${i.outcome}: ${itemLink(i)}${i.path ? ` ${code(i.path)}` : ""}`), "");
  }

  const skipped = report.items.filter((i) => i.outcome === "skipped");
  if (skipped.length > 0) {
    // Collapsed: skips are expected (PDFs, the spend cap) and can be many.
    out.push("<details>", `<summary>Skipped (${skipped.length})</summary>`, "");
    out.push(
      ...markdownTable(
        ["article", "reason"],
        skipped.map((i) => [itemLink(i), escapeMarkdown(i.reason ?? "no reason given")]),
        ["l", "l"],
      ),
    );
    out.push("", "</details>", "");
  }

  return `${out.join("\n")}\n`;
}
