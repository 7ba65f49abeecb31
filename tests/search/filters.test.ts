import { describe, expect, it } from "vitest";
import { filterValues } from "../../src/search/filters.ts";

const article = (tags: string[], source: string, label?: string) => ({ data: { tags, source, sentiment: label ? { label } : undefined } });

describe("filterValues", () => {
  it("counts each tag, sentiment label and source once per article, sorted by value", () => {
    const values = filterValues([
      article(["robotics", "llms", "llms"], "b.example", "mixed"),
      article(["llms"], "a.example", "positive"),
      article(["ai-race"], "b.example"),
    ]);
    expect(values.tag).toEqual([
      { value: "ai-race", count: 1 },
      { value: "llms", count: 2 },
      { value: "robotics", count: 1 },
    ]);
    expect(values.sentiment).toEqual([
      { value: "mixed", count: 1 },
      { value: "positive", count: 1 },
    ]);
    expect(values.source).toEqual([
      { value: "a.example", count: 1 },
      { value: "b.example", count: 2 },
    ]);
  });
});
