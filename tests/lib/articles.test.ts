import { describe, expect, it } from "vitest";
import { articlePath, articleSourcePath, buildCatalog, commentUrl, pageSlug, tagPath } from "../../src/lib/articles.ts";
import { groupByTag } from "../../src/lib/order.ts";
import { feedItems } from "../../src/lib/feed.ts";

const entry = (id: string, published: string, tags: string[]) => ({
  id,
  data: { title: id, published: new Date(published), tags, summary: `Summary of ${id}.` },
});
const OPTIONS = { popularTags: 10, popularWindowDays: 90, relatedCount: 5 };

describe("paths", () => {
  it("builds page, tag and source paths from an entry id", () => {
    expect(pageSlug("2026/2026-06-24-open-source")).toBe("2026-06-24-open-source");
    expect(articlePath("2026/2026-06-24-open-source")).toBe("/articles/2026-06-24-open-source/");
    expect(articleSourcePath("2026/2026-06-24-open-source")).toBe("content/articles/2026/2026-06-24-open-source.md");
    expect(tagPath("llms")).toBe("/tags/llms/");
  });
});

describe("commentUrl", () => {
  it("links Hacker News comments, but never a sample article's or an unknown site's", () => {
    expect(commentUrl("hacker-news", "41000001", false)).toBe("https://news.ycombinator.com/item?id=41000001");
    expect(commentUrl("hacker-news", "41000001", true)).toBeNull();
    expect(commentUrl("some-feed", "1", false)).toBeNull();
    expect(commentUrl(undefined, "1", false)).toBeNull();
  });
});

describe("buildCatalog", () => {
  const entries = [
    entry("2026/2026-01-01-b", "2026-01-01", ["x"]),
    entry("2026/2026-03-01-a", "2026-03-01", ["x", "y"]),
    entry("2026/2026-01-01-a", "2026-01-01", ["y"]),
  ];

  it("sorts newest first, equal dates by id, and groups tags in that order", () => {
    const catalog = buildCatalog(entries, OPTIONS);
    expect(catalog.articles.map((a) => a.id)).toEqual(["2026/2026-03-01-a", "2026/2026-01-01-a", "2026/2026-01-01-b"]);
    expect(catalog.byTag.get("x")?.map((a) => a.id)).toEqual(["2026/2026-03-01-a", "2026/2026-01-01-b"]);
    expect(catalog.tags).toEqual([
      { tag: "x", count: 2 },
      { tag: "y", count: 2 },
    ]);
    expect(catalog.bySlug.get("2026-01-01-b")?.id).toBe("2026/2026-01-01-b");
    expect(catalog.related.get("2026/2026-03-01-a")?.map((a) => a.id)).toHaveLength(2);
  });

  it("refuses two files that would share one URL, naming both", () => {
    expect(() =>
      buildCatalog([entry("2025/2026-01-01-a", "2026-01-01", []), entry("2026/2026-01-01-a", "2026-01-01", [])], OPTIONS),
    ).toThrow(
      /content\/articles\/2025\/2026-01-01-a\.md and content\/articles\/2026\/2026-01-01-a\.md share the URL \/articles\/2026-01-01-a\//,
    );
  });

  it("keeps groupByTag's lists newest first whatever the input order", () => {
    expect([...groupByTag(entries).keys()]).toEqual(["x", "y"]);
  });
});

describe("feedItems", () => {
  it("maps the first `limit` articles to items with title, link, date, summary and tags", () => {
    const items = feedItems([entry("2026/2026-03-01-a", "2026-03-01", ["x", "y"]), entry("2026/2026-01-01-b", "2026-01-01", [])], 1);
    expect(items).toEqual([
      {
        title: "2026/2026-03-01-a",
        link: "/articles/2026-03-01-a/",
        pubDate: new Date("2026-03-01"),
        description: "Summary of 2026/2026-03-01-a.",
        categories: ["x", "y"],
      },
    ]);
  });
});
