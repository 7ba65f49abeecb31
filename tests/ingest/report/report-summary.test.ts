// Report summary: a run report read back and retold as the nightly commit message and the GitHub job summary.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createMarkdownProcessor } from "@astrojs/markdown-remark";
import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizeRun, type ItemReport, type RunReport } from "../../../src/ingest/report/report.ts";
import { escapeMarkdown, formatCommitMessage, formatJobSummary, parseRunReport } from "../../../src/ingest/report/report-summary.ts";

const ROOT = join(import.meta.dirname, "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");

const PLANTED = "Pipes | <script>alert(1)</script> ![x](https://t.example/p.png) [click](javascript:alert(1)) @octocat\n# heading";

function item(over: Partial<ItemReport> & Pick<ItemReport, "url" | "outcome">): ItemReport {
  return { ms: 40, ...over };
}

/** A report as the ingest writes it: built by the report module's own `summarizeRun`, then through JSON. */
function sampleReport(items: ItemReport[], over: Partial<Parameters<typeof summarizeRun>[1]> = {}): RunReport {
  const report = summarizeRun(
    items,
    {
      startedAt: "2026-11-29T03:17:04.000Z",
      provider: "anthropic",
      dryRun: false,
      sourceFailures: [],
      notes: [],
      ...over,
    },
    new Date("2026-11-29T03:19:34.500Z"),
  );
  return JSON.parse(JSON.stringify(report)) as RunReport;
}

const NIGHT: ItemReport[] = [
  item({
    url: "https://a.example/open-weights",
    title: "Open weights win the week",
    outcome: "new",
    path: "content/articles/2026/2026-11-29-open-weights-win-the-week.md",
    model: "claude-haiku-5-5",
    tokens: { input: 6500, cachedInput: 1500, cacheWrite: 0, output: 700 },
    costUsd: 0.00102,
  }),
  item({
    url: "https://b.example/chips",
    title: "Chips, again",
    outcome: "updated",
    path: "content/articles/2026/2026-11-25-chips-again.md",
  }),
  item({ url: "https://c.example/old", title: "Old news", outcome: "unchanged", path: "content/articles/2026/2026-11-20-old-news.md" }),
  item({ url: "https://d.example/paper.pdf", outcome: "skipped", reason: "unsupported content type application/pdf" }),
  item({
    url: "https://e.example/down",
    title: "Down for now",
    outcome: "failed",
    reason: "https://e.example/down: 503 Service Unavailable after 3 tries",
  }),
  item({
    url: "https://f.example/second",
    title: "A second new one",
    outcome: "new",
    path: "content/articles/2026/2026-11-29-a-second-new-one.md",
    model: "claude-haiku-5-5",
    tokens: { input: 6000, cachedInput: 1500, cacheWrite: 0, output: 650 },
    costUsd: 0.0009,
  }),
];

describe("parseRunReport", () => {
  it("reads back what summarizeRun writes", () => {
    const report = sampleReport(NIGHT);
    const parsed = parseRunReport(JSON.stringify(report), "report.json");
    expect(parsed).toEqual({ ok: true, value: report });
  });

  it("keeps reading a report that carries fields it does not know", () => {
    const report = { ...sampleReport(NIGHT), pendingBatches: ["msgbatch_01"] };
    expect(parseRunReport(JSON.stringify(report), "report.json").ok).toBe(true);
  });

  it("refuses text that is not JSON, naming the file", () => {
    const parsed = parseRunReport("{ totals: ", "night/report.json");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/^night\/report\.json: not JSON/);
  });

  it("names every bad field of a report of the wrong shape", () => {
    const report = sampleReport(NIGHT) as unknown as Record<string, unknown>;
    const broken: Record<string, unknown> = {
      ...report,
      totals: { ...(report.totals as object), failed: "one" },
      items: [{ url: "https://x.example/", outcome: "lost", ms: 1 }],
    };
    delete broken.startedAt;
    const parsed = parseRunReport(JSON.stringify(broken), "report.json");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain("report.json: startedAt: expected text (the field is missing)");
    expect(parsed.reason).toContain(
      'report.json: items[0].outcome: expected one of new, updated, unchanged, skipped, failed, found "lost"',
    );
    expect(parsed.reason).toContain('report.json: totals.failed: expected a number, found "one"');
  });

  it("refuses a JSON value that is not an object at all", () => {
    const parsed = parseRunReport("[]", "report.json");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain("report.json: (the whole file): expected a group of fields");
  });
});

describe("formatCommitMessage", () => {
  it("gives the day and counts, then one line per new and updated article with its title and path", () => {
    const message = formatCommitMessage(sampleReport(NIGHT));
    expect(message).toBe(
      [
        "Nightly ingest 2026-11-29: 2 new, 1 updated, 1 failed",
        "",
        "new: Open weights win the week (content/articles/2026/2026-11-29-open-weights-win-the-week.md)",
        "new: A second new one (content/articles/2026/2026-11-29-a-second-new-one.md)",
        "updated: Chips, again (content/articles/2026/2026-11-25-chips-again.md)",
        "",
      ].join("\n"),
    );
  });

  it("leaves out failures when none failed, and says how many sources could not be read", () => {
    const quiet = sampleReport([NIGHT[1]], { sourceFailures: [{ source: "openai-blog", reason: "not XML" }] });
    expect(formatCommitMessage(quiet).split("\n")[0]).toBe("Nightly ingest 2026-11-29: 0 new, 1 updated, 1 source unreadable");
    expect(formatCommitMessage(sampleReport([])).split("\n")[0]).toBe("Nightly ingest 2026-11-29: 0 new, 0 updated");
  });

  it("uses the UTC day the run started on", () => {
    const lateNight = sampleReport([], { startedAt: "2026-11-29T23:59:00.000-05:00" });
    expect(formatCommitMessage(lateNight)).toBe("Nightly ingest 2026-11-30: 0 new, 0 updated\n");
  });

  it("keeps one line per article when a title carries line breaks, and falls back to the URL without a title", () => {
    const message = formatCommitMessage(
      sampleReport([
        item({
          url: "https://g.example/x",
          title: "Line one\nSigned-off-by: nobody\r\n",
          outcome: "new",
          path: "content/articles/2026/x.md",
        }),
        item({ url: "https://h.example/untitled", outcome: "updated", path: "content/articles/2026/y.md" }),
      ]),
    );
    expect(message.split("\n")).toEqual([
      "Nightly ingest 2026-11-29: 1 new, 1 updated",
      "",
      "new: Line one Signed-off-by: nobody (content/articles/2026/x.md)",
      "updated: https://h.example/untitled (content/articles/2026/y.md)",
      "",
    ]);
  });
});

async function renderGfm(markdown: string): Promise<cheerio.CheerioAPI> {
  const processor = await createMarkdownProcessor({ gfm: true, syntaxHighlight: false });
  const { code } = await processor.render(markdown);
  return cheerio.load(code);
}

describe("formatJobSummary", () => {
  it("shows the totals, tokens and cost, each failure with its reason, sources, notes, what was written and what was skipped", async () => {
    const report = sampleReport(NIGHT, {
      sourceFailures: [{ source: "openai-blog", reason: "https://openai.example/feed.xml: not XML" }],
      notes: ["spend cap reached: 3 items left for the next run"],
    });
    const $ = await renderGfm(formatJobSummary(report));
    expect($("h2").text()).toBe("Nightly ingest 2026-11-29");

    const totals = $("table").eq(0);
    expect(
      totals
        .find("th")
        .map((_, th) => $(th).text())
        .get(),
    ).toEqual(["new", "updated", "unchanged", "skipped", "failed", "time"]);
    expect(
      totals
        .find("tbody td")
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual(["2", "1", "1", "1", "1", "150.5 s"]);

    const usage = $("table").eq(1);
    expect(
      usage
        .find("tbody td")
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual(["anthropic", "claude-haiku-5-5", "12,500", "3,000", "0", "1,350", "$0.0019"]);

    const failedHeading = $("h3").filter((_, h) => $(h).text() === "Failed (1)");
    expect(failedHeading.length).toBe(1);
    const failedRow = failedHeading.nextAll("table").first().find("tbody tr");
    expect(failedRow.find("td").eq(0).text()).toBe("Down for now");
    expect(failedRow.find("a").attr("href")).toBe("https://e.example/down");
    expect(failedRow.find("td").eq(1).text()).toBe("https://e.example/down: 503 Service Unavailable after 3 tries");

    expect(
      $("h3")
        .map((_, h) => $(h).text())
        .get(),
    ).toEqual(["Failed (1)", "Sources that could not be read (1)", "Notes", "Written (3)"]);
    expect(
      $("li")
        .map((_, li) => $(li).text())
        .get(),
    ).toEqual([
      "openai-blog: https://openai.example/feed.xml: not XML",
      "spend cap reached: 3 items left for the next run",
      "new: Open weights win the week content/articles/2026/2026-11-29-open-weights-win-the-week.md",
      "new: A second new one content/articles/2026/2026-11-29-a-second-new-one.md",
      "updated: Chips, again content/articles/2026/2026-11-25-chips-again.md",
    ]);
    expect($("details summary").text()).toBe("Skipped (1)");
    expect(
      $("details td")
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual(["https://d.example/paper.pdf", "unsupported content type application/pdf"]);
  });

  it("leaves out the sections a quiet night has nothing for, and marks a dry run", async () => {
    const $ = await renderGfm(formatJobSummary(sampleReport([NIGHT[2]], { dryRun: true, provider: "extractive" })));
    expect($("h2").text()).toBe("Nightly ingest 2026-11-29 (dry run: nothing was written)");
    expect($("h3").length).toBe(0);
    expect($("details").length).toBe(0);
    expect(
      $("table")
        .eq(1)
        .find("tbody td")
        .slice(0, 2)
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual(["extractive", "—"]);
  });

  it("renders titles, reasons and notes from the web as plain text: no HTML, image, link, heading, mention or broken table", async () => {
    const report = sampleReport(
      [
        item({ url: "https://evil.example/a?x=(1)", title: PLANTED, outcome: "failed", reason: PLANTED }),
        item({ url: "javascript:alert(1)", title: "not a web link", outcome: "failed", reason: "bad scheme" }),
      ],
      { notes: [PLANTED], sourceFailures: [{ source: "<b>feed</b>", reason: PLANTED }] },
    );
    const markdown = formatJobSummary(report);
    const $ = await renderGfm(markdown);

    expect($("script, img, b, h1").length).toBe(0);
    // The one link written is the item's own; GFM may still autolink a bare https address in the text, never another scheme.
    expect(
      $("td:first-child a")
        .map((_, a) => $(a).attr("href"))
        .get(),
    ).toEqual(["https://evil.example/a?x=(1)"]);
    expect(
      $("a")
        .map((_, a) => $(a).attr("href"))
        .get()
        .every((href) => href.startsWith("https://")),
    ).toBe(true);
    const flat = PLANTED.replace("\n", " ");
    const rows = $("h3:contains('Failed')").nextAll("table").first().find("tbody tr");
    expect(rows.length).toBe(2);
    expect(
      rows
        .eq(0)
        .find("td")
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual([flat, flat]);
    expect(
      rows
        .eq(1)
        .find("td")
        .map((_, td) => $(td).text())
        .get(),
    ).toEqual(["not a web link", "bad scheme"]);
    expect(
      $("li")
        .map((_, li) => $(li).text())
        .get(),
    ).toEqual([`<b>feed</b>: ${flat}`, flat]);
  });

  it("escapes every Markdown mark and turns line breaks into spaces", () => {
    expect(escapeMarkdown("a*b_c`d|e\n# f <g> @h [i](j) \\k")).toBe("a\\*b\\_c\\`d\\|e \\# f &lt;g&gt; \\@h \\[i\\]\\(j\\) \\\\k");
  });
});

describe("scripts/report-summary.ts", () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "themata-report-summary-"));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(NODE, ["scripts/report-summary.ts", ...args], { cwd: ROOT });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("prints the commit message and the job summary of a report file", async () => {
    const file = join(scratch, "report.json");
    await writeFile(file, JSON.stringify(sampleReport(NIGHT)));
    const message = await run("--commit-message", file);
    expect(message).toMatchObject({ code: 0, stderr: "" });
    expect(message.stdout).toBe(formatCommitMessage(sampleReport(NIGHT)));
    const summary = await run("--job-summary", file);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toBe(formatJobSummary(sampleReport(NIGHT)));
  });

  it("exits 2 with the file and field named for a malformed report, and prints nothing on stdout", async () => {
    const file = join(scratch, "broken.json");
    await writeFile(file, JSON.stringify({ ...sampleReport(NIGHT), items: "none" }));
    const result = await run("--job-summary", file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${file}: items: expected a list, found "none"`);
  });

  it("exits 2 for a missing file, a missing mode, both modes or an unknown option", async () => {
    const missing = await run("--commit-message", join(scratch, "nowhere.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nowhere.json: cannot read it (ENOENT)");
    expect((await run(join(scratch, "report.json"))).code).toBe(2);
    expect((await run("--commit-message", "--job-summary", join(scratch, "report.json"))).code).toBe(2);
    const unknown = await run("--markdown", join(scratch, "report.json"));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage: node scripts/report-summary.ts");
  });
});
