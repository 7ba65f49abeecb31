import { describe, expect, it } from "vitest";
import { buildVocabulary, closestWord, editDistance, suggestQuery } from "../../src/search/suggest.ts";
import { excerptParts, highlightParts, queryTerms } from "../../src/search/highlight.ts";

const vocabulary = buildVocabulary(
  [
    ["Sovereign clouds run open models", "AI sovereignty in Europe"],
    ["Open models reach the Global South", "sovereignty again"],
    ["Robots learn from video"],
  ],
  1000,
);

describe("misspelling suggestions", () => {
  it("counts each word once per article, most common first", () => {
    expect(vocabulary.words.slice(0, 3)).toEqual(["models", "open", "sovereignty"]);
    expect(vocabulary.counts.slice(0, 3)).toEqual([2, 2, 2]);
  });

  it("measures edits, a swap of neighbours counting as one", () => {
    expect(editDistance("sovereinty", "sovereignty", 2)).toBe(1);
    expect(editDistance("robtos", "robots", 2)).toBe(1);
    expect(editDistance("cat", "dog", 1)).toBe(2); // stops past the limit
  });

  it("suggests the vocabulary's closest word for a misspelt one, and nothing for a word it knows or one too far", () => {
    expect(closestWord("sovereinty", vocabulary)).toBe("sovereignty");
    expect(suggestQuery("open sovereinty", vocabulary)).toBe("open sovereignty");
    expect(suggestQuery("open models", vocabulary)).toBeNull();
    expect(suggestQuery("blockchain", vocabulary)).toBeNull();
    expect(suggestQuery("ai", vocabulary)).toBeNull(); // short words are never "corrected"
  });
});

describe("highlighting", () => {
  it("marks the words a query term starts, ignoring case and accents", () => {
    expect(queryTerms("Open  modèl a")).toEqual(["model", "open"]);
    expect(highlightParts("Open models, reopened.", queryTerms("open model"))).toEqual([
      { text: "Open", mark: true },
      { text: " ", mark: false },
      { text: "models", mark: true },
      { text: ", reopened.", mark: false },
    ]);
  });

  it("reads Pagefind's excerpt into text parts: marks kept, entities decoded, other tags dropped as text", () => {
    expect(excerptParts("a <mark>b&amp;c</mark> &lt;script&gt; <i>d</i>")).toEqual([
      { text: "a ", mark: false },
      { text: "b&c", mark: true },
      { text: " <script> d", mark: false },
    ]);
  });
});
