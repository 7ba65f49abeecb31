// Slugs and paths of article files.
import { describe, expect, it } from "vitest";
import {
  articleFilePath,
  articleImagePath,
  articleImageSrc,
  newArticleSlug,
  MAX_TITLE_SLUG,
  slugify,
  suffixedSlug,
} from "../../../src/ingest/write/slug.ts";

describe("slugify", () => {
  it("lowercases, hyphenates and drops punctuation", () => {
    expect(slugify("For Most of the World, Open-Source AI Is the Only Way Forward")).toBe(
      "for-most-of-the-world-open-source-ai-is-the-only-way-forward",
    );
  });
  it("drops apostrophes instead of splitting words on them", () => {
    expect(slugify("LeCun's “Project Tapestry” isn’t vapourware")).toBe("lecuns-project-tapestry-isnt-vapourware");
  });
  it("folds accents to plain letters", () => {
    expect(slugify("Café déjà vu: Mistral’s näive model")).toBe("cafe-deja-vu-mistrals-naive-model");
  });
  it("cuts long titles at a word boundary within the limit", () => {
    const slug = slugify("An extraordinarily long headline that goes on and on about large language models and more");
    expect(slug.length).toBeLessThanOrEqual(MAX_TITLE_SLUG);
    expect(slug).toBe("an-extraordinarily-long-headline-that-goes-on-and-on-about");
  });
  it("truncates a single overlong word", () => {
    expect(slugify("a".repeat(100))).toBe("a".repeat(MAX_TITLE_SLUG));
  });
  it("never returns an empty slug", () => {
    expect(slugify("人工智能")).toBe("article");
    expect(slugify("!!!")).toBe("article");
  });
});

describe("article slugs and paths", () => {
  it("prefix the UTC date of publication", () => {
    expect(newArticleSlug(new Date("2026-06-24T23:30:00-05:00"), "Open Models")).toBe("2026-06-25-open-models");
  });
  it("add -2, -3 for collisions", () => {
    expect([1, 2, 3].map((n) => suffixedSlug("2026-06-24-x", n))).toEqual(["2026-06-24-x", "2026-06-24-x-2", "2026-06-24-x-3"]);
  });
  it("put files and pictures in year folders", () => {
    expect(articleFilePath("content/articles", "2026-06-24-x")).toBe("content/articles/2026/2026-06-24-x.md");
    expect(articleImagePath("content/articles", "2026-06-24-x")).toBe("content/articles/2026/images/2026-06-24-x.webp");
    expect(articleImageSrc("2026-06-24-x")).toBe("./images/2026-06-24-x.webp");
  });
});
