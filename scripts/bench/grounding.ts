/**
 * The grounding check over the labelled set (tests/fixtures/grounding/claims.json, made by
 * grounding-set.ts): per half (tune, test) and per kind of error, how many unfaithful claims
 * were caught, how many faithful ones were wrongly dropped, and the check's time per article.
 * Usage: node scripts/bench/grounding.ts [--misses] [--set claims-holdout.json]
 *   --misses prints what was let through or dropped; --set reads another labelled set (the held-out one).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { checkGrounding, GROUNDING_CHECK_VERSION, type Claim } from "../../src/ingest/summarize/grounding/check.ts";
import { fromList, type Passage, type Passages } from "../../src/ingest/summarize/passages.ts";
import type { ClaimKind, LabelledClaim } from "./grounding-set.ts";

const setArg = process.argv.indexOf("--set");
const setFile = setArg > 0 ? process.argv[setArg + 1] : "claims.json";
const set = JSON.parse(readFileSync(new URL(`../../tests/fixtures/grounding/${setFile}`, import.meta.url), "utf8")) as {
  seed: number;
  claims: LabelledClaim[];
  passages: Record<string, Passage[]>;
};
const showMisses = process.argv.includes("--misses");

const passagesOf = new Map<string, Passages>();
const comments = set.passages.comments;
for (const [source, list] of Object.entries(set.passages)) {
  if (source !== "comments") passagesOf.set(source, fromList(list));
}
const threadPassages = fromList(comments);
const forClaim = (c: LabelledClaim) => (c.source.startsWith("thread:") ? threadPassages : passagesOf.get(c.source)!);
const asClaim = (c: LabelledClaim, index: number): Claim => ({ field: c.field, index, text: c.text, cites: c.cites });

const KINDS: ClaimKind[] = ["number", "name", "quote", "polarity", "cross-article"];
const TARGETS: Record<ClaimKind, string> = {
  faithful: "≤ 3% dropped",
  number: "100%",
  name: "100%",
  quote: "100%",
  polarity: "≥ 90%",
  "cross-article": "≥ 90%",
};

/** Each claim checked on its own (as one takeaway of its article), so a verdict is the claim's alone. */
const verdicts = set.claims.map((c, i) => {
  const failures = checkGrounding([asClaim(c, i % 5)], forClaim(c));
  return { claim: c, failed: failures.length > 0, reasons: failures.flatMap((f) => f.reasons) };
});

const pct = (n: number, d: number) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)}%`);
console.log(`Grounding check ${GROUNDING_CHECK_VERSION} over ${set.claims.length} labelled claims of ${setFile} (seed ${set.seed})\n`);
const rows: string[][] = [["kind", "target", "tune: caught", "test: caught"]];
for (const kind of KINDS) {
  const cell = (half: string) => {
    const of = verdicts.filter((v) => v.claim.half === half && v.claim.kind === kind);
    const caught = of.filter((v) => v.failed).length;
    return `${caught}/${of.length} (${pct(caught, of.length)})`;
  };
  rows.push([kind, TARGETS[kind], cell("tune"), cell("test")]);
}
const faithfulCell = (half: string) => {
  const of = verdicts.filter((v) => v.claim.half === half && v.claim.kind === "faithful");
  const dropped = of.filter((v) => v.failed).length;
  return `${dropped}/${of.length} (${pct(dropped, of.length)})`;
};
rows.push(["faithful dropped", TARGETS.faithful, faithfulCell("tune"), faithfulCell("test")]);
const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, col) => cell.padEnd(widths[col])).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}

// Time: every claim of an article checked together, as an answer is, passages indexed afresh each round.
const bySource = new Map<string, LabelledClaim[]>();
for (const c of set.claims) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c]);
const checkAll = () => {
  for (const [source, claims] of bySource) {
    const passages = source.startsWith("thread:") ? threadPassages : fromList(set.passages[source]);
    checkGrounding(claims.map(asClaim), passages);
  }
};
checkAll(); // warm-up: compile before timing
const rounds = 20;
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let round = 0; round < rounds; round++) checkAll();
const wallMs = (performance.now() - started) / (rounds * bySource.size);
const cpu = process.cpuUsage(cpuBefore);
// CPU time is what the check costs; wall time also counts waiting for a core on a shared machine.
const cpuMs = (cpu.user + cpu.system) / 1000 / (rounds * bySource.size);
console.log(
  `\nTime per article (every claim of it checked, passages indexed afresh): ${cpuMs.toFixed(2)} ms CPU, ${wallMs.toFixed(2)} ms wall ` +
    `(${bySource.size} articles and threads × ${rounds} rounds; target < 5 ms)`,
);

if (showMisses) {
  console.log("\nLet through:");
  for (const v of verdicts.filter((v) => v.claim.kind !== "faithful" && !v.failed))
    console.log(`  [${v.claim.half} ${v.claim.kind}] ${v.claim.how}: ${v.claim.text.slice(0, 160)}`);
  console.log("\nFaithful dropped:");
  for (const v of verdicts.filter((v) => v.claim.kind === "faithful" && v.failed))
    console.log(`  [${v.claim.half}] ${v.claim.how}: ${v.reasons.join(" | ").slice(0, 300)}`);
}
