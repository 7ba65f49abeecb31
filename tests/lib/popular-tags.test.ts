import { describe, expect, it } from "vitest";
import { countTags, popularTags } from "../../src/lib/popular-tags.ts";

const at = (published: string, tags: string[]) => ({ data: { published: new Date(published), tags } });

describe("popularTags", () => {
  const articles = [
    at("2026-06-24", ["llms", "claude"]),
    at("2026-06-01", ["llms", "ai-agents"]),
    at("2026-03-27", ["claude"]), // 89 days before the newest: inside
    at("2026-03-25", ["robotics", "robotics"]), // 91 days before: outside
    at("2025-01-01", ["robotics"]),
  ];

  it("counts tags in the window up to the newest article, most used first, ties by name", () => {
    expect(popularTags(articles, { limit: 10, windowDays: 90 })).toEqual([
      { tag: "claude", count: 2 },
      { tag: "llms", count: 2 },
      { tag: "ai-agents", count: 1 },
    ]);
  });

  it("keeps at most `limit` tags", () => {
    expect(popularTags(articles, { limit: 1, windowDays: 90 })).toEqual([{ tag: "claude", count: 2 }]);
  });

  it("is empty without articles", () => {
    expect(popularTags([], { limit: 10, windowDays: 90 })).toEqual([]);
  });
});

describe("countTags", () => {
  it("counts each tag once per article", () => {
    expect(countTags([at("2026-01-01", ["a", "a", "b"]), at("2026-01-02", ["b"])])).toEqual([
      { tag: "b", count: 2 },
      { tag: "a", count: 1 },
    ]);
  });
});
