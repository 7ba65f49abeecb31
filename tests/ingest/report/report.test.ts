import { describe, expect, it } from "vitest";
import { formatRunSummary, progressLine, runExitCode, summarizeRun, type ItemReport } from "../../../src/ingest/report/report.ts";

const meta = { startedAt: "2026-11-29T03:00:00.000Z", provider: "extractive", dryRun: false, sourceFailures: [], notes: [] };
const usage = (input: number, output: number) => ({ input, cachedInput: 10, cacheWrite: 0, output });

const items: ItemReport[] = [
  { url: "https://a.example/1", outcome: "new", model: "m1", tokens: usage(1000, 200), costUsd: 0.002, ms: 5 },
  { url: "https://a.example/2", outcome: "updated", model: "m1", tokens: usage(500, 100), costUsd: 0.001, ms: 5 },
  { url: "https://a.example/3", outcome: "skipped", reason: "unsupported content type application/pdf", ms: 1 },
  { url: "https://a.example/4", outcome: "failed", reason: "https://a.example/4: HTTP 404", ms: 1 },
];

describe("summarizeRun", () => {
  it("counts outcomes, adds tokens and cost, and names the models used", () => {
    const report = summarizeRun(items, meta, new Date("2026-11-29T03:00:12.500Z"));
    expect(report.totals).toEqual({ new: 1, updated: 1, unchanged: 0, skipped: 1, failed: 1 });
    expect(report.tokens).toEqual({ input: 1500, cachedInput: 20, cacheWrite: 0, output: 300 });
    expect(report.costUsd).toBeCloseTo(0.003, 6);
    expect(report.model).toBe("m1");
    expect(report.durationMs).toBe(12_500);
  });
});

describe("runExitCode", () => {
  it("is 1 when an item or a source failed, else 0", () => {
    const end = new Date("2026-11-29T03:01:00Z");
    expect(runExitCode(summarizeRun(items, meta, end))).toBe(1);
    expect(runExitCode(summarizeRun(items.slice(0, 3), meta, end))).toBe(0);
    const sourceDown = { ...meta, sourceFailures: [{ source: "lab-notes", reason: "not XML" }] };
    expect(runExitCode(summarizeRun(items.slice(0, 1), sourceDown, end))).toBe(1);
  });

  it("the table shows the run's retries, and the retries of each item that took any", () => {
    const retried = [{ ...items[0], retries: 5 }, ...items.slice(1, 3)];
    const text = formatRunSummary(summarizeRun(retried, { ...meta, retries: 7 }, new Date("2026-11-29T03:01:00Z")));
    const [header, row] = text.split("\n");
    expect(header).toMatch(/cost\s+retries\s+time/);
    expect(row).toMatch(/\$\d+\.\d{4}\s+7\s+/);
    expect(text).toMatch(new RegExp(`^5\\s+${items[0].url.replace(/[.]/g, "\\.")}$`, "m"));
  });

  it("is 2 when the run stopped before its end, and the table says why", () => {
    const stopped = summarizeRun(
      items.slice(0, 3),
      { ...meta, stopped: "HTTP 401: the API refused the key" },
      new Date("2026-11-29T03:01:00Z"),
    );
    expect(runExitCode(stopped)).toBe(2);
    expect(formatRunSummary(stopped)).toContain("stopped: HTTP 401: the API refused the key");
  });
});

describe("formatRunSummary", () => {
  it("shows the totals and every skipped or failed item with its reason", () => {
    const text = formatRunSummary(summarizeRun(items, { ...meta, notes: ["the spend cap was reached"] }, new Date("2026-11-29T03:00:02Z")));
    expect(text).toMatch(/new\s+updated\s+unchanged\s+skipped\s+failed/);
    expect(text).toContain("unsupported content type application/pdf");
    expect(text).toContain("https://a.example/4: HTTP 404");
    expect(text).toContain("note: the spend cap was reached");
    expect(text).toContain("$0.0030");
  });
});

describe("progressLine", () => {
  it("fills the bar in proportion and lists non-zero counts", () => {
    const line = progressLine(5, 10, { new: 4, updated: 0, unchanged: 0, skipped: 0, failed: 1 }, 10);
    expect(line).toBe("[#####.....] 5/10  new 4 · failed 1");
  });
});

describe("grounding in the report", () => {
  it("counts claims checked, repaired and dropped, and items failed on grounding, in the totals and the terminal table", () => {
    const grounded: ItemReport[] = [
      { url: "https://a.example/1", outcome: "new", grounding: { checked: 7, repaired: 1, dropped: 1 }, ms: 5 },
      { url: "https://a.example/2", outcome: "updated", grounding: { checked: 6, repaired: 0, dropped: 0 }, ms: 5 },
      {
        url: "https://a.example/3",
        outcome: "failed",
        reason: "invalid answer: not supported by its sources (the summary is unsupported)",
        groundingFailed: true,
        ms: 5,
      },
    ];
    const report = summarizeRun(grounded, meta, new Date("2026-11-29T03:00:02Z"));
    expect(report.grounding).toEqual({ checked: 13, repaired: 1, dropped: 1, itemsFailed: 1 });
    const text = formatRunSummary(report);
    const lines = text.split("\n");
    const header = lines.findIndex((line) => line.startsWith("claims checked"));
    expect(lines[header]).toBe("claims checked  repaired  dropped  items failed on grounding");
    expect(lines[header + 1].split(/\s+/)).toEqual(["13", "1", "1", "1"]);
  });

  it("shows no grounding table for a run that checked nothing", () => {
    expect(formatRunSummary(summarizeRun(items, meta, new Date("2026-11-29T03:00:02Z")))).not.toMatch(/claims checked/);
  });
});
