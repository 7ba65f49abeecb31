// Extraction in worker threads: a page past the time or memory limit fails alone, with the limit named, and the others are read.
import { afterAll, describe, expect, it } from "vitest";
import { feedPage, largeDivsPage } from "../../../scripts/fixtures/hostile-pages.ts";
import { extractArticle } from "../../../src/ingest/extract/extract.ts";
import { ExtractorPool } from "../../../src/ingest/extract/worker-pool.ts";

const story = (n: number) =>
  `<html><head><title>Story ${n}</title></head><body><article>${`<p>Paragraph of story ${n}, long enough to be read as text by Readability today.</p>`.repeat(12)}</article></body></html>`;

const pools: ExtractorPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

describe("ExtractorPool", () => {
  it("reads pages in workers exactly as on the main thread", { timeout: 120_000 }, async () => {
    const pool = new ExtractorPool({ timeoutSeconds: 60, memoryMb: 1024, workers: 2 });
    pools.push(pool);
    const results = await Promise.all([1, 2, 3].map((n) => pool.extract(story(n), `http://example.test/${n}`)));
    results.forEach((result, i) => {
      expect(result).toEqual({ ok: true, value: extractArticle(story(i + 1), `http://example.test/${i + 1}`) });
    });
  });

  // A 5 MB feed of short lines takes parsing and Readability far longer than 5 s even after
  // pruning, while the small stories take a fraction of it on a busy machine.
  it("fails a page past extract.timeoutSeconds alone; the pages beside it are read", { timeout: 180_000 }, async () => {
    const pool = new ExtractorPool({ timeoutSeconds: 5, memoryMb: 1024, workers: 2 });
    pools.push(pool);
    const [slow, ...others] = await Promise.all([
      pool.extract(feedPage(5 * 2 ** 20), "http://example.test/feed"),
      ...[1, 2, 3].map((n) => pool.extract(story(n), `http://example.test/${n}`)),
    ]);
    expect(slow).toEqual({ ok: false, reason: "extraction took longer than 5 s (extract.timeoutSeconds)" });
    for (const other of others) expect(other).toMatchObject({ ok: true, value: { title: expect.stringMatching(/^Story \d$/) } });
    // The pool goes on after ending the slow page's worker.
    expect(await pool.extract(story(4), "http://example.test/4")).toMatchObject({ ok: true, value: { title: "Story 4" } });
  });

  it("fails a page past extract.memoryMb alone; the next page is read in a new worker", { timeout: 180_000 }, async () => {
    const pool = new ExtractorPool({ timeoutSeconds: 120, memoryMb: 128, workers: 1 });
    pools.push(pool);
    const [large, next] = await Promise.all([
      pool.extract(largeDivsPage(5 * 2 ** 20), "http://example.test/large"),
      pool.extract(story(5), "http://example.test/5"),
    ]);
    expect(large).toEqual({ ok: false, reason: "extraction needed more than 128 MB (extract.memoryMb)" });
    expect(next).toMatchObject({ ok: true, value: { title: "Story 5" } });
  });
});
