// Pages too deep or too large for Readability are bounded first and still give their article's text.
import * as cheerio from "cheerio";
import { describe, expect, it } from "vitest";
import { largeDivsPage, nestedDivsPage } from "../../../scripts/fixtures/hostile-pages.ts";
import { extractArticle, extractionLevel } from "../../../src/ingest/extract/extract.ts";
import { countWords } from "../../../src/ingest/extract/reading-time.ts";
import { MAX_DEPTH, prunePage } from "../../../src/ingest/extract/prune.ts";

/** Words of the article paragraphs a generated page carries, counted as the extractor counts. */
function articleWords(html: string): number {
  const $ = cheerio.load(html);
  return countWords(
    $("p")
      .map((_, p) => $(p).text())
      .get()
      .join("\n\n"),
  );
}

describe("pruning before Readability", () => {
  it("leaves an ordinary page as it is", () => {
    const html = `<html><body><article><div><div><p>${"A sentence of the story. ".repeat(40)}</p></div></div></article></body></html>`;
    expect(prunePage(cheerio.load(html))).toBeNull();
  });

  it("flattens nesting past the depth limit, keeping the text", () => {
    const pruned = prunePage(cheerio.load(nestedDivsPage(MAX_DEPTH + 50)));
    expect(pruned).not.toBeNull();
    const $ = cheerio.load(pruned!);
    let deepest = 0;
    $("*").each((_, el) => {
      deepest = Math.max(deepest, $(el).parents().length);
    });
    expect(deepest).toBeLessThanOrEqual(MAX_DEPTH + 1);
    expect($("body").text()).toContain("The council voted on Tuesday");
  });

  it("extracts a page of 3,000 nested <div>s in full", { timeout: 120_000 }, () => {
    const html = nestedDivsPage(3000);
    const article = extractArticle(html, "http://example.test/nested");
    expect(article.wordCount).toBe(articleWords(html));
    expect(extractionLevel(article)).toBe("full");
  });

  it("extracts the article at the top of a 5 MB body of <div>s", { timeout: 300_000 }, () => {
    const html = largeDivsPage(5 * 2 ** 20);
    expect(html.length).toBeGreaterThan(5 * 2 ** 20 - 100);
    const article = extractArticle(html, "http://example.test/large");
    expect(article.title).toBe("Large");
    expect(article.text).toContain("The council voted on Tuesday");
    expect(extractionLevel(article)).toBe("full");
  });
});
