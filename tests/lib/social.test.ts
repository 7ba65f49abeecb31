import { describe, expect, it } from "vitest";
import { cardIds, cardUrlPath } from "../../src/lib/social.ts";

describe("social cards on the site", () => {
  it("finds the articles with a card from the files under the articles folder", () => {
    const ids = cardIds([
      "2026/2026-06-20-a.md",
      "2026/cards/2026-06-20-a.png",
      "2026/images/2026-06-20-b.webp",
      "2025/cards/2025-01-05-c.png",
      "2025/cards/notes.txt",
    ]);
    expect([...ids].sort()).toEqual(["2025/2025-01-05-c", "2026/2026-06-20-a"]);
  });

  it("serves an article's card at /cards/<slug>.png", () => {
    expect(cardUrlPath("2026/2026-06-20-a")).toBe("/cards/2026-06-20-a.png");
  });
});
