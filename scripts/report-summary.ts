/** `node scripts/report-summary.ts --commit-message|--job-summary REPORT.json`: retells an ingest report for git or GitHub; exit 2 when it cannot. */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatCommitMessage, formatJobSummary, parseRunReport } from "../src/ingest/report/report-summary.ts";

const USAGE = "usage: node scripts/report-summary.ts (--commit-message | --job-summary) REPORT.json";

function stop(message: string): never {
  console.error(`report-summary: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: { "commit-message": { type: "boolean", default: false }, "job-summary": { type: "boolean", default: false } },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  stop(`${(error as Error).message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (values["commit-message"] === values["job-summary"]) stop(`give exactly one of --commit-message and --job-summary\n${USAGE}`);
if (positionals.length !== 1) stop(`give exactly one report file\n${USAGE}`);

const file = positionals[0];
let text: string;
try {
  text = await readFile(file, "utf8");
} catch (error) {
  stop(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
}

const report = parseRunReport(text, file);
if (!report.ok) stop(report.reason);
process.stdout.write(values["commit-message"] ? formatCommitMessage(report.value) : formatJobSummary(report.value));
