import { describe, expect, it } from "vitest";
import { countTags, popularTags, weekStart } from "../../src/lib/popular-tags.ts";

const at = (published: string, tags: string[]) => ({ data: { published: new Date(published), tags } });

describe("popularTags", () => {
  // The newest article is on Wednesday 2026-06-24; its week starts on Monday 2026-06-22.
  const articles = [
    at("2026-06-24", ["llms", "claude"]), // in the newest week: not counted yet
    at("2026-06-21", ["llms", "ai-agents"]), // Sunday before: inside
    at("2026-06-01", ["llms"]),
    at("2026-03-24", ["claude"]), // 90 days before the week's start: inside
    at("2026-03-23", ["robotics", "robotics"]), // 91 days before: outside
    at("2025-01-01", ["robotics"]),
  ];

  it("counts tags in the window before the newest article's week, most used first, ties by name", () => {
    expect(popularTags(articles, { limit: 10, windowDays: 90 })).toEqual([
      { tag: "llms", count: 2 },
      { tag: "ai-agents", count: 1 },
      { tag: "claude", count: 1 },
    ]);
  });

  it("moves only when a new week starts: articles later in the same week change nothing", () => {
    const laterSameWeek = [at("2026-06-28T23:00:00Z", ["robotics"]), ...articles];
    expect(popularTags(laterSameWeek, { limit: 10, windowDays: 90 })).toEqual(popularTags(articles, { limit: 10, windowDays: 90 }));
    const nextWeek = [at("2026-06-29", ["robotics"]), ...articles];
    expect(popularTags(nextWeek, { limit: 1, windowDays: 90 })).toEqual([{ tag: "llms", count: 3 }]);
  });

  it("counts up to the newest article when no article is older than its week", () => {
    expect(popularTags([at("2026-06-23", ["a"]), at("2026-06-24", ["b", "a"])], { limit: 10, windowDays: 90 })).toEqual([
      { tag: "a", count: 2 },
      { tag: "b", count: 1 },
    ]);
  });

  it("keeps at most `limit` tags", () => {
    expect(popularTags(articles, { limit: 1, windowDays: 90 })).toEqual([{ tag: "llms", count: 2 }]);
  });

  it("is empty without articles", () => {
    expect(popularTags([], { limit: 10, windowDays: 90 })).toEqual([]);
  });
});

describe("weekStart", () => {
  it("is Monday 00:00 UTC of the ISO week", () => {
    expect(new Date(weekStart(Date.parse("2026-06-24T15:00:00Z"))).toISOString()).toBe("2026-06-22T00:00:00.000Z");
    expect(new Date(weekStart(Date.parse("2026-06-22T00:00:00Z"))).toISOString()).toBe("2026-06-22T00:00:00.000Z");
    expect(new Date(weekStart(Date.parse("2026-06-21T23:59:59Z"))).toISOString()).toBe("2026-06-15T00:00:00.000Z");
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
