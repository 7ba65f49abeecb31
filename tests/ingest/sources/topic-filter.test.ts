import { describe, expect, it } from "vitest";
import { TAG_VOCABULARY } from "../../../src/article/tags.ts";
import { createTopicFilter, matchTopic, termPattern } from "../../../src/ingest/sources/topic-filter.ts";

const keywordsOnly = { keywords: ["AI", "language model", "LLM", "llama.cpp"], vocabulary: null };

describe("topic filter: keywords", () => {
  it("matches a keyword in the title, any case", () => {
    expect(matchTopic(keywordsOnly, "How ai changes search").onTopic).toBe(true);
  });

  it("matches a keyword in the text when the title has none", () => {
    const match = matchTopic(keywordsOnly, "A new release", "<p>It runs a large language model on a laptop.</p>");
    expect(match).toEqual({ onTopic: true, keywords: ["language model"], tags: [] });
  });

  it("matches whole words only", () => {
    expect(matchTopic(keywordsOnly, "He said the main train was late", "Captain's log").onTopic).toBe(false);
  });

  it("matches a plural and hyphen or space variants", () => {
    expect(matchTopic(keywordsOnly, "Why LLMs hallucinate").keywords).toEqual(["LLM"]);
    expect(matchTopic(keywordsOnly, "A language-model benchmark").keywords).toEqual(["language model"]);
  });

  it("matches terms with punctuation literally", () => {
    expect(matchTopic(keywordsOnly, "Running llama.cpp on a phone").keywords).toEqual(["llama.cpp"]);
    expect(matchTopic(keywordsOnly, "Running llamaXcpp on a phone").onTopic).toBe(false);
  });

  it("does not let a term straddle title and text", () => {
    expect(matchTopic({ keywords: ["language model"], vocabulary: null }, "Every language", "model trains").onTopic).toBe(false);
  });

  it("is off topic with no keywords and no vocabulary", () => {
    expect(matchTopic({ keywords: [], vocabulary: null }, "AI everywhere").onTopic).toBe(false);
  });
});

describe("topic filter: tag vocabulary", () => {
  const withVocabulary = { keywords: [], vocabulary: TAG_VOCABULARY };

  it("needs terms of two different tags", () => {
    const match = matchTopic(withVocabulary, "Serving quantized models on GPUs");
    expect(match.onTopic).toBe(true);
    expect(match.tags).toEqual(expect.arrayContaining(["ai-hardware", "inference"]));
  });

  it("does not accept one everyday word alone", () => {
    const match = matchTopic(withVocabulary, "A study of sourdough");
    expect(match.tags).toEqual(["ai-research"]);
    expect(match.onTopic).toBe(false);
  });

  it("counts a tag once however many of its terms appear", () => {
    expect(matchTopic(withVocabulary, "GPU chip hardware").onTopic).toBe(false);
  });

  it("leaves the vocabulary out when the rules say so", () => {
    expect(matchTopic({ keywords: [], vocabulary: null }, "Serving quantized models on GPUs").onTopic).toBe(false);
  });

  it("reuses compiled patterns across candidates", () => {
    const filter = createTopicFilter({ keywords: ["Claude"], vocabulary: TAG_VOCABULARY });
    expect(filter("Claude writes code").onTopic).toBe(true);
    expect(filter("Gardening tips").onTopic).toBe(false);
  });
});

describe("termPattern", () => {
  it("escapes regular-expression characters", () => {
    expect(termPattern("c++").test("written in c++ today")).toBe(true);
    expect(termPattern("c++").test("written in ccc today")).toBe(false);
  });
});
