// readingMinutes and countWords: the reading time shown on an article page.
import { describe, expect, it } from "vitest";
import { countWords, readingMinutes, WORDS_PER_MINUTE } from "../../../src/ingest/extract/reading-time.ts";

describe("readingMinutes", () => {
  it("reads at 230 words a minute", () => {
    expect(WORDS_PER_MINUTE).toBe(230);
    expect(readingMinutes(230)).toBe(1);
    expect(readingMinutes(2300)).toBe(10);
  });

  it("rounds up, so a reader is never promised less than it takes", () => {
    expect(readingMinutes(231)).toBe(2);
    expect(readingMinutes(461)).toBe(3);
  });

  it("is at least one minute, also for empty and nonsense counts", () => {
    expect(readingMinutes(1)).toBe(1);
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(-5)).toBe(1);
    expect(readingMinutes(Number.NaN)).toBe(1);
  });
});

describe("countWords", () => {
  it("counts words, not punctuation or whitespace", () => {
    expect(countWords("Hello, world!  It’s 2025 — and models\n\nkeep growing.")).toBe(8);
    expect(countWords("")).toBe(0);
    expect(countWords(" \n — … ")).toBe(0);
  });

  it("splits Chinese and Japanese text, which has no spaces, into words", () => {
    expect(countWords("我们今天去北京。")).toBeGreaterThan(2);
    expect(countWords("日本語の文章です。")).toBeGreaterThan(2);
  });
});
