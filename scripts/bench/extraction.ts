/** Benchmarks extraction on the 99 human-labelled aeb-dev pages: precision/recall/F1 and time per page, before and after the boilerplate rules, plus hostile pages. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readAebDevPages } from "../fixtures/aeb-dev.ts";
import { largeDivsPage, nestedDivsPage } from "../fixtures/hostile-pages.ts";
import { pageScore, scoreArticleBodies, scoreFromPages, shingleMatching, type TpFpFn } from "../fixtures/shingle-score.ts";
import { BOILERPLATE_RULES, removeBoilerplate } from "../../src/ingest/extract/boilerplate.ts";
import { extractArticle } from "../../src/ingest/extract/extract.ts";
import { withReadableArticle } from "../../src/ingest/extract/main-text.ts";
import { blocksToText } from "../../src/ingest/extract/text-blocks.ts";

// `node scripts/bench/extraction.ts [--write DIR] [--no-rules-table]`
//   --write DIR   also writes DIR/output/themata.json ({id: {articleBody}}) for evaluate.py
// `node scripts/bench/extraction.ts --hostile nested|large` (run by the benchmark itself in a
// child process, so each hostile page's peak memory is its own)
const { values } = parseArgs({
  options: { write: { type: "string" }, hostile: { type: "string" }, "no-rules-table": { type: "boolean" } },
});

if (values.hostile) {
  const html = values.hostile === "nested" ? nestedDivsPage(3000) : largeDivsPage(5 * 2 ** 20);
  const start = performance.now();
  const article = extractArticle(html, "http://example.test/article");
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ bytes: html.length, seconds, words: article.wordCount, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

/** Figures measured on these 99 pages with evaluate.py, as the extraction issue reports them. */
const REFERENCE: { name: string; f1: number; precision?: number; recall?: number }[] = [
  { name: "Themata before (reported)", f1: 0.945, precision: 0.907, recall: 0.987 },
  { name: "Readability.js", f1: 0.942 },
  { name: "go-trafilatura", f1: 0.951 },
  { name: "trafilatura", f1: 0.955 },
  { name: "rs-trafilatura", f1: 0.964 },
  { name: "commercial ML extractor", f1: 0.968 },
];

const pages = readAebDevPages();
const truth = Object.fromEntries(pages.map((p) => [p.id, { articleBody: p.articleBody }]));
const before: Record<string, { articleBody: string }> = {};
const after: Record<string, { articleBody: string }> = {};
const ms = { before: new Map<string, number>(), after: new Map<string, number>() };
const tick = () => new Promise((resolve) => setImmediate(resolve));

// Before and after page by page, in turn, so both see the same machine load.
for (const page of pages) {
  let t = performance.now();
  before[page.id] = { articleBody: extractArticle(page.html, page.url, { rules: [] }).text };
  ms.before.set(page.id, performance.now() - t);
  await tick();
  t = performance.now();
  after[page.id] = { articleBody: extractArticle(page.html, page.url).text };
  ms.after.set(page.id, performance.now() - t);
  await tick();
}

const scoreBefore = scoreArticleBodies(truth, before);
const scoreAfter = scoreArticleBodies(truth, after);
const mean = (xs: Iterable<number>) => {
  const list = [...xs];
  return list.reduce((a, b) => a + b, 0) / list.length;
};
const median = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b)[Math.floor([...xs].length / 2)];
const f = (x: number | undefined) => (x === undefined ? "    -" : x.toFixed(3));

console.log(`extraction on ${pages.length} aeb-dev pages (shingle precision/recall/F1 as evaluate.py scores)`);
console.log(`  ${"".padEnd(30)} ${"F1".padStart(6)} ${"P".padStart(6)} ${"R".padStart(6)}   ms/page (mean, median)`);
const row = (name: string, s: { f1: number; precision?: number; recall?: number }, time = "") =>
  console.log(`  ${name.padEnd(30)} ${f(s.f1).padStart(6)} ${f(s.precision).padStart(6)} ${f(s.recall).padStart(6)}   ${time}`);
for (const reference of REFERENCE) row(reference.name, reference);
const timeOf = (m: Map<string, number>) => `${mean(m.values()).toFixed(0)}, ${median(m.values()).toFixed(0)}`;
row("Themata before (this run)", scoreBefore, timeOf(ms.before));
row("Themata after (this run)", scoreAfter, timeOf(ms.after));
console.log(`  time per page after/before: ${(mean(ms.after.values()) / mean(ms.before.values())).toFixed(2)}× (mean)`);

const slowest = [...ms.after].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log("  slowest pages (after):");
for (const [id, t] of slowest) {
  const page = pages.find((p) => p.id === id)!;
  console.log(`    ${t.toFixed(0).padStart(5)} ms  ${(Buffer.byteLength(page.html) / 1024).toFixed(0).padStart(4)} kB  ${page.url}`);
}
const worst = pages
  .map((p) => ({ url: p.url, ...pageScore(scoreAfter.pages[p.id]) }))
  .sort((a, b) => a.precision - b.precision)
  .slice(0, 5);
console.log("  lowest precision (after):");
for (const w of worst) console.log(`    P ${w.precision.toFixed(3)} R ${w.recall.toFixed(3)}  ${w.url}`);

if (!values["no-rules-table"]) {
  // Each rule left out in turn, on one Readability pass per page: what the rule is worth.
  const pageF1 = (t: TpFpFn) => {
    const { precision, recall } = pageScore(t);
    return precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  };
  const variants = [
    { name: "all rules", rules: BOILERPLATE_RULES },
    ...BOILERPLATE_RULES.map((r) => ({ name: r.name, rules: BOILERPLATE_RULES.filter((x) => x !== r) })),
  ];
  const results = new Map<string, TpFpFn[]>(variants.map((v) => [v.name, []]));
  for (const page of pages) {
    const texts =
      withReadableArticle(page.html, page.url, (article) =>
        variants.map((v) => {
          const copy = article.content.cloneNode(true) as Element;
          removeBoilerplate(copy, { title: article.title ?? null, url: page.url }, v.rules);
          return blocksToText(copy);
        }),
      ) ?? variants.map(() => "");
    variants.forEach((v, i) => results.get(v.name)!.push(shingleMatching(page.articleBody, texts[i])));
    await tick();
  }
  const all = results.get("all rules")!;
  console.log("  each rule left out (pages it helps / hurts by more than 0.001 F1):");
  for (const v of variants.slice(1)) {
    const without = results.get(v.name)!;
    const s = scoreFromPages(without);
    const helps = without.filter((t, i) => pageF1(all[i]) - pageF1(t) > 0.001).length;
    const hurts = without.filter((t, i) => pageF1(t) - pageF1(all[i]) > 0.001).length;
    console.log(
      `    without ${v.name.padEnd(20)} F1 ${s.f1.toFixed(4)} P ${s.precision.toFixed(4)} R ${s.recall.toFixed(4)}  helps ${helps}, hurts ${hurts}`,
    );
  }
}

console.log("  hostile pages (each in its own process):");
for (const kind of ["nested", "large"]) {
  const out = execFileSync(process.execPath, [import.meta.filename, "--hostile", kind], { encoding: "utf8" });
  const r = JSON.parse(out);
  const label = kind === "nested" ? "3,000 nested <div>s" : "5 MB body of <div>s";
  console.log(
    `    ${label.padEnd(22)} ${(r.bytes / 2 ** 20).toFixed(2)} MB  ${r.seconds.toFixed(2)} s  ${r.words} words  peak RSS ${r.maxRssMb.toFixed(0)} MB`,
  );
}

if (values.write) {
  mkdirSync(join(values.write, "output"), { recursive: true });
  writeFileSync(join(values.write, "output", "themata.json"), JSON.stringify(after));
  console.log(`  wrote ${join(values.write, "output", "themata.json")}`);
}
