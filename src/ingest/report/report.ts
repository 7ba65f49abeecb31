/** The run report: per-item outcomes, totals, tokens and cost; the end-of-run table; progress lines. */
import { addUsage, NO_USAGE } from "../budget/cost.ts";
import type { TokenUsage } from "../types.ts";

export const OUTCOMES = ["new", "updated", "unchanged", "skipped", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ItemReport {
  url: string;
  title?: string;
  outcome: Outcome;
  /** Why it was skipped or failed, in words a maintainer can act on. */
  reason?: string;
  /** The article file written or kept, relative to the working directory. */
  path?: string;
  /** The model that wrote it, when one did. */
  model?: string;
  tokens?: TokenUsage;
  costUsd?: number;
  /** What the grounding check did with the item's answer: claims checked, mended by the repair turn, dropped. */
  grounding?: { checked: number; repaired: number; dropped: number };
  /** Failed because its answer was not supported by its sources. */
  groundingFailed?: boolean;
  /** Retries its model calls took (429, 529, 5xx, timeouts). */
  retries?: number;
  ms: number;
}

/** The grounding check over a run: claims checked, repaired, dropped, and items failed on it. */
export interface GroundingTotals {
  checked: number;
  repaired: number;
  dropped: number;
  itemsFailed: number;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  provider: string;
  /** Every model that wrote an article this run. */
  model: string;
  dryRun: boolean;
  items: ItemReport[];
  /** Sources (a feed, the HN API) that could not be read at all. */
  sourceFailures: { source: string; reason: string }[];
  totals: Record<Outcome, number>;
  tokens: TokenUsage;
  costUsd: number;
  /** Absent in reports written before the grounding check. */
  grounding?: GroundingTotals;
  /** Things the run wants a maintainer to know (spend cap reached, batch pending, …). */
  notes: string[];
  /** Model-call retries the run took in all (failed items and batch polls included). */
  retries?: number;
  /** Why the run stopped before its end (a refused API key, a misconfiguration every item met); exit code 2. */
  stopped?: string;
  /** Links not attempted (the run's deadline passed, or the run stopped): kept in the run state, tried first next run. */
  notAttempted?: string[];
}

/** Totals, tokens and cost from the items. */
export function summarizeRun(
  items: ItemReport[],
  meta: Omit<RunReport, "items" | "totals" | "tokens" | "costUsd" | "grounding" | "finishedAt" | "durationMs" | "model">,
  finishedAt: Date,
): RunReport {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  let tokens = NO_USAGE;
  let costUsd = 0;
  const grounding: GroundingTotals = { checked: 0, repaired: 0, dropped: 0, itemsFailed: 0 };
  for (const item of items) {
    totals[item.outcome] += 1;
    grounding.checked += item.grounding?.checked ?? 0;
    grounding.repaired += item.grounding?.repaired ?? 0;
    grounding.dropped += item.grounding?.dropped ?? 0;
    if (item.groundingFailed) grounding.itemsFailed += 1;
    if (item.tokens) tokens = addUsage(tokens, item.tokens);
    costUsd += item.costUsd ?? 0;
  }
  const models = [...new Set(items.flatMap((item) => (item.model ? [item.model] : [])))];
  return {
    ...meta,
    model: models.join(", "),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - new Date(meta.startedAt).getTime(),
    items,
    totals,
    tokens,
    costUsd: Math.round(costUsd * 1e6) / 1e6,
    grounding,
  };
}

/** Exit code of a run: 2 when it stopped before its end, 1 when an item or a source failed, else 0. */
export function runExitCode(report: RunReport): 0 | 1 | 2 {
  if (report.stopped) return 2;
  return report.totals.failed > 0 || report.sourceFailures.length > 0 ? 1 : 0;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The end-of-run summary a maintainer reads: counts, tokens, cost, time, then every failure. */
export function formatRunSummary(report: RunReport): string {
  const t = report.totals;
  const lines = [
    table([
      ["new", "updated", "unchanged", "skipped", "failed", "tokens in", "cached", "out", "cost", "retries", "time"],
      [
        String(t.new),
        String(t.updated),
        String(t.unchanged),
        String(t.skipped),
        String(t.failed),
        String(report.tokens.input),
        String(report.tokens.cachedInput),
        String(report.tokens.output),
        `$${report.costUsd.toFixed(4)}`,
        String(report.retries ?? report.items.reduce((n, i) => n + (i.retries ?? 0), 0)),
        `${(report.durationMs / 1000).toFixed(1)} s`,
      ],
    ]),
  ];
  const g = report.grounding;
  if (g && (g.checked > 0 || g.itemsFailed > 0)) {
    lines.push(
      "",
      table([
        ["claims checked", "repaired", "dropped", "items failed on grounding"],
        [String(g.checked), String(g.repaired), String(g.dropped), String(g.itemsFailed)],
      ]),
    );
  }
  const problems = report.items.filter((i) => i.outcome === "failed" || i.outcome === "skipped");
  if (problems.length > 0) {
    lines.push("", table([["outcome", "url", "reason"], ...problems.map((i) => [i.outcome, i.url, i.reason ?? ""])]));
  }
  const retried = report.items.filter((i) => (i.retries ?? 0) > 0);
  if (retried.length > 0) lines.push("", table([["retries", "url"], ...retried.map((i) => [String(i.retries), i.url])]));
  for (const f of report.sourceFailures) lines.push(`source failed: ${f.source}: ${f.reason}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (report.stopped) lines.push(`stopped: ${report.stopped}`);
  if (report.dryRun) lines.push("dry run: nothing was written");
  return lines.join("\n");
}

/** One line of progress: a bar on a terminal, a plain line per item in CI and logs. */
export function progressLine(done: number, total: number, totals: Record<Outcome, number>, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const counts = OUTCOMES.filter((o) => totals[o] > 0)
    .map((o) => `${o} ${totals[o]}`)
    .join(" · ");
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${counts ? `  ${counts}` : ""}`;
}
