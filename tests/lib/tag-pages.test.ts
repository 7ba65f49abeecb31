import { describe, expect, it } from "vitest";
import { FRONT_PAGE, tagPagePath, tagPages } from "../../src/lib/tag-pages.ts";

/** Articles 1..n, numbered by age (1 the oldest), listed newest first as the catalog lists a tag. */
const newestFirst = (n: number) => Array.from({ length: n }, (_, i) => n - i);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => to - i); // to..from, newest first

describe("tagPages", () => {
  it("puts a tag with fewer than two pages' worth of articles on its front page alone", () => {
    for (const n of [0, 1, 19, 20, 39]) {
      const pages = tagPages(newestFirst(n), 20);
      expect(pages, `${n} articles`).toEqual([{ number: FRONT_PAGE, articles: newestFirst(n) }]);
    }
  });

  it("numbers full pages from the oldest article and leaves the newest P to 2P-1 on the front page", () => {
    const pages = tagPages(newestFirst(67), 20);
    expect(pages.map((p) => p.number)).toEqual([FRONT_PAGE, 2, 1]);
    expect(pages[0]).toEqual({ number: FRONT_PAGE, articles: range(41, 67), older: 2 });
    expect(pages[1]).toEqual({ number: 2, articles: range(21, 40), newer: FRONT_PAGE, older: 1 });
    expect(pages[2]).toEqual({ number: 1, articles: range(1, 20), newer: 2 });
  });

  it("keeps every article exactly once, newest first across the pages", () => {
    for (const n of [0, 5, 40, 41, 59, 60, 61, 1234]) {
      const pages = tagPages(newestFirst(n), 20);
      expect(
        pages.flatMap((p) => p.articles),
        `${n} articles`,
      ).toEqual(newestFirst(n));
      const front = pages[0].articles.length;
      if (n >= 20) expect(front).toBeGreaterThanOrEqual(20);
      expect(front).toBeLessThan(n >= 40 ? 40 : Infinity);
      for (const page of pages.slice(1)) expect(page.articles).toHaveLength(20);
    }
  });

  it("changes only the front page when an article is added, and adds one page when the front would reach 2P", () => {
    let before = tagPages(newestFirst(40), 20);
    for (let n = 41; n <= 130; n++) {
      const after = tagPages(newestFirst(n), 20);
      const kept = new Map(before.slice(1).map((p) => [p.number, p]));
      const grew = after.length > before.length;
      expect(grew, `${n} articles`).toBe(n % 20 === 0);
      for (const page of after.slice(1)) {
        const old = kept.get(page.number);
        if (!old) {
          expect(page.number, `${n} articles: the new page`).toBe(after.length - 1);
          continue;
        }
        // Page K's "newer" link moves from the front to the new page K+1; nothing else on it changes.
        if (grew && page.number === before.length - 1) expect(page).toEqual({ ...old, newer: page.number + 1 });
        else expect(page, `${n} articles, page ${page.number}`).toEqual(old);
      }
      before = after;
    }
  });

  it("refuses a page size that is not a whole number of at least 1", () => {
    expect(() => tagPages([1], 0)).toThrow(/page size/);
    expect(() => tagPages([1], 2.5)).toThrow(/page size/);
  });
});

describe("tagPagePath", () => {
  it("gives the front page the tag's own URL and page k its number", () => {
    expect(tagPagePath("llms", FRONT_PAGE)).toBe("/tags/llms/");
    expect(tagPagePath("llms", 1)).toBe("/tags/llms/1/");
    expect(tagPagePath("llms", 12)).toBe("/tags/llms/12/");
  });
});
