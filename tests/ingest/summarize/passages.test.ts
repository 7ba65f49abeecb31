import { describe, expect, test } from "vitest";
import { MAX_PASSAGES, passageLines, passagesOf, textPassages } from "../../../src/ingest/summarize/passages.ts";
import type { SummaryInput, ThreadExcerpt } from "../../../src/ingest/types.ts";

const input = (text: string, discussion: ThreadExcerpt | null = null): SummaryInput => ({
  url: "https://example.test/a",
  title: "A title",
  source: "example.test",
  text,
  extraction: text ? "full" : "none",
  discussion,
  vocabulary: ["machine-learning"],
});
const thread = (text: string | null): ThreadExcerpt => ({
  site: "hacker-news",
  id: "1",
  url: "https://news.ycombinator.com/item?id=1",
  title: "Ask HN: anything?",
  text,
  points: 10,
  comments: 2,
  createdAt: new Date(0),
  fetchedAt: new Date(0),
  excerpt: [
    { id: "11", author: "a", text: "First comment, with some words.", permalink: "https://news.ycombinator.com/item?id=11", depth: 0 },
    { id: "12", author: "b", text: "Second comment.", permalink: "https://news.ycombinator.com/item?id=12", depth: 1 },
  ],
});

describe("passages", () => {
  test("article sentences are numbered P1… in order; a very short sentence joins the one before it in its paragraph", () => {
    const p = passagesOf(input("The lab released a model on Tuesday. Yes. It is open.\n\nA second paragraph says more things here."));
    expect(p.list.map((x) => [x.id, x.text])).toEqual([
      ["P1", "The lab released a model on Tuesday. Yes. It is open."],
      ["P2", "A second paragraph says more things here."],
    ]);
    expect(p.hasArticleText).toBe(true);
  });
  test("the same text gives the same ids", () => {
    const text = "One sentence that is long enough. Another sentence that is long enough.";
    expect(passagesOf(input(text)).list).toEqual(passagesOf(input(text)).list);
  });
  test("comments keep their own ids; the post's sentences are Q passages; no article text means no P passages", () => {
    const p = passagesOf(input("", thread("Which open model runs on one workstation? Curious what tools people use every day.")));
    expect(p.hasArticleText).toBe(false);
    expect(p.list.map((x) => `${x.kind}:${x.id}`)).toEqual(["post:Q1", "post:Q2", "comment:11", "comment:12"]);
  });
  test("a page of 10,000 sentences is cut by the character budget", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `Sentence number ${i} of a very long page.`).join(" ");
    const p = passagesOf(input(text), 30_000);
    const chars = p.list.reduce((n, x) => n + x.text.length, 0);
    expect(chars).toBeLessThanOrEqual(30_000);
    expect(p.list.length).toBeGreaterThan(100);
    expect(p.list.length).toBeLessThan(1_000);
  });
  test("10,000 one-line paragraphs stop at the passage ceiling", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `Line ${i} is here.`).join("\n\n");
    expect(textPassages(text, "article", "P").length).toBe(MAX_PASSAGES);
  });
  test("the prompt lists each passage on one line with its id", () => {
    expect(passageLines([{ id: "P1", kind: "article", text: "Two\nlines." }])).toBe("[P1] Two lines.");
  });
});
