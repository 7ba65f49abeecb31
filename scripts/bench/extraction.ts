/** Benchmarks extraction over Readability's 64 fixture pages: time per page, pages/s, memory. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractArticle } from "../../src/ingest/extract/extract.ts";

// `node scripts/bench/extraction.ts [ROUNDS]`: each round extracts every fixture once; the
// first round (JIT warm-up) is reported apart. The loop yields to the event loop after each
// page, as the pipeline does: jsdom frees a closed window only once the loop turns, and a
// fully synchronous loop over many pages grows the heap by megabytes per page.
const FIXTURES = join(import.meta.dirname, "../../tests/fixtures/readability");
const rounds = Math.max(1, Number(process.argv[2] ?? 3));

const pages = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map(({ name }) => ({ name, html: readFileSync(join(FIXTURES, name, "source.html"), "utf8") }));
const totalKb = pages.reduce((sum, p) => sum + Buffer.byteLength(p.html), 0) / 1024;

const perPage = new Map<string, number[]>();
let peakRss = 0;
const roundMs: number[] = [];
for (let round = 0; round <= rounds; round++) {
  const start = performance.now();
  for (const { name, html } of pages) {
    const t = performance.now();
    extractArticle(html, "http://fakehost/test/page.html");
    const elapsed = performance.now() - t;
    await new Promise((resolve) => setImmediate(resolve));
    if (round > 0) perPage.set(name, [...(perPage.get(name) ?? []), elapsed]);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  roundMs.push(performance.now() - start);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pageMedians = [...perPage].map(([name, ms]) => ({ name, ms: median(ms) })).sort((a, b) => b.ms - a.ms);
const sorted = pageMedians.map((p) => p.ms).sort((a, b) => a - b);
const measured = roundMs.slice(1);
const roundMedian = median(measured);
console.log(`extraction: ${pages.length} pages (${totalKb.toFixed(0)} kB of HTML), ${rounds} rounds after 1 warm-up`);
console.log(`  warm-up round ${roundMs[0].toFixed(0)} ms; measured rounds ${measured.map((m) => m.toFixed(0)).join(", ")} ms`);
console.log(`  ${(pages.length / (roundMedian / 1000)).toFixed(1)} pages/s on one core; ${((totalKb / 1024) / (roundMedian / 1000)).toFixed(2)} MB/s`);
console.log(
  `  per page: median ${median(sorted).toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, ` +
    `max ${sorted.at(-1)!.toFixed(1)} ms`,
);
console.log(`  slowest: ${pageMedians.slice(0, 3).map((p) => `${p.name} ${p.ms.toFixed(0)} ms`).join(", ")}`);
console.log(`  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);
