import { describe, expect, test } from "vitest";
import { checkAnswer, summaryJsonSchema, type SummaryCheckContext } from "../../../src/ingest/summarize/answer-check.ts";
import { TAGS } from "../../../src/article/tags.ts";

const ctx = (over: Partial<SummaryCheckContext> = {}): SummaryCheckContext => ({
  vocabulary: TAGS,
  allowUnknownTags: false,
  commentIds: new Set(["101", "102", "103"]),
  originalTitle: "You won't believe what this model can do",
  ...over,
});

const good = () => ({
  title: null,
  summary: "A lab released an open-weight model that runs on one consumer GPU.",
  takeaways: ["It is open-weight.", "It runs on one GPU.", "Benchmarks are close to closed models."],
  tags: ["llms", "open-source-ai"],
  sentiment: {
    label: "mixed",
    positives: [{ text: "People like running it locally.", comments: ["101"] }],
    concerns: [{ text: "Some doubt the benchmarks.", comments: ["102", "103"] }],
  },
});

function errorsOf(result: ReturnType<typeof checkAnswer>): string[] {
  if (result.ok) throw new Error("expected a failure");
  return result.errors;
}

describe("checkAnswer", () => {
  test("accepts a valid answer and returns the model-written fields", () => {
    const result = checkAnswer(good(), ctx());
    expect(result).toEqual({
      ok: true,
      value: {
        summary: good().summary,
        takeaways: good().takeaways,
        tags: ["llms", "open-source-ai"],
        sentiment: good().sentiment,
      },
    });
  });

  test("maps tags through the aliases and drops unknown ones", () => {
    const result = checkAnswer({ ...good(), tags: ["LLM", "Open Source", "blockchain", "llms", "#agents"] }, ctx());
    expect(result.ok && result.value.tags).toEqual(["llms", "open-source-ai", "ai-agents"]);
  });

  test("fails when no tag is in the vocabulary", () => {
    expect(errorsOf(checkAnswer({ ...good(), tags: ["blockchain", "web3"] }, ctx()))[0]).toMatch(/^tags: none of \["blockchain","web3"\]/);
  });

  test("keeps unknown tags as slugs only when config allows, and allows extra tags that config adds to the vocabulary", () => {
    const allowed = checkAnswer({ ...good(), tags: ["Quantum Computing", "llms"] }, ctx({ allowUnknownTags: true }));
    expect(allowed.ok && allowed.value.tags).toEqual(["quantum-computing", "llms"]);
    const extra = checkAnswer({ ...good(), tags: ["rust", "llms"] }, ctx({ vocabulary: [...TAGS, "rust"] }));
    expect(extra.ok && extra.value.tags).toEqual(["rust", "llms"]);
  });

  test("requires 3 to 5 takeaways", () => {
    expect(errorsOf(checkAnswer({ ...good(), takeaways: ["one", "two"] }, ctx()))).toEqual(["takeaways: give 3 to 5 takeaways"]);
    expect(errorsOf(checkAnswer({ ...good(), takeaways: ["1", "2", "3", "4", "5", "6"] }, ctx()))[0]).toMatch(/^takeaways: /);
  });

  test("enforces the article schema's lengths", () => {
    expect(errorsOf(checkAnswer({ ...good(), summary: "x".repeat(2001) }, ctx()))[0]).toMatch(/^summary: /);
    expect(errorsOf(checkAnswer({ ...good(), summary: "   " }, ctx()))[0]).toMatch(/^summary: /);
  });

  test("rejects a cited comment id that is not in the thread sent", () => {
    const answer = good();
    answer.sentiment.concerns[0].comments = ["102", "999"];
    expect(errorsOf(checkAnswer(answer, ctx()))).toEqual([
      "sentiment.concerns[0].comments: comment id 999 is not in the comments block sent",
    ]);
  });

  test("accepts numeric comment ids as the strings they stand for", () => {
    const answer: any = good();
    answer.sentiment.positives[0].comments = [101];
    const result = checkAnswer(answer, ctx());
    expect(result.ok && result.value.sentiment?.positives[0].comments).toEqual(["101"]);
  });

  test("requires sentiment when comments were sent", () => {
    expect(errorsOf(checkAnswer({ ...good(), sentiment: null }, ctx()))[0]).toMatch(/^sentiment: required/);
  });

  test("without comments, a bare sentiment label is left out and a citation is an error", () => {
    const bare = checkAnswer({ ...good(), sentiment: { label: "positive", positives: [], concerns: [] } }, ctx({ commentIds: new Set() }));
    expect(bare.ok && "sentiment" in bare.value).toBe(false);
    expect(errorsOf(checkAnswer(good(), ctx({ commentIds: new Set() })))).toHaveLength(3);
  });

  test("keeps a plain title only as an alternative headline", () => {
    const plain = checkAnswer({ ...good(), title: "Open-weight model runs on one consumer GPU" }, ctx());
    expect(plain.ok && plain.value.title).toBe("Open-weight model runs on one consumer GPU");
    const same = checkAnswer({ ...good(), title: "You Won't Believe What This Model Can Do!" }, ctx());
    expect(same.ok && "title" in same.value).toBe(false);
    expect(errorsOf(checkAnswer({ ...good(), title: "Two\nlines" }, ctx()))).toEqual(["title: a headline is one line"]);
  });

  test("treats missing title and sentiment keys as null", () => {
    const { title: _t, ...noTitle } = good();
    expect(checkAnswer(noTitle, ctx()).ok).toBe(true);
  });

  test("keeps HTML and script in strings as text, unchanged", () => {
    const html = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"';
    const result = checkAnswer({ ...good(), summary: html, takeaways: [html, "b", "c"] }, ctx());
    expect(result.ok && result.value.summary).toBe(html);
    expect(result.ok && result.value.takeaways[0]).toBe(html);
  });

  test("fails cleanly on invalid JSON and on a non-object", () => {
    expect(errorsOf(checkAnswer('{"summary": "cut off', ctx()))[0]).toMatch(/^\(answer\): not valid JSON/);
    expect(errorsOf(checkAnswer([1, 2], ctx()))).toEqual(["(answer): expected a JSON object"]);
    expect(checkAnswer(JSON.stringify(good()), ctx()).ok).toBe(true);
  });

  test("the failure reason lists every error", () => {
    const result = checkAnswer({ ...good(), takeaways: ["one"], tags: ["nope"] }, ctx());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(`invalid answer: ${result.errors.join("; ")}`);
  });
});

describe("summaryJsonSchema", () => {
  test("is the strict JSON Schema of the answer: every key required, no extra keys, 3–5 takeaways", () => {
    const schema = summaryJsonSchema() as any;
    expect(schema.$schema).toBeUndefined();
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["title", "summary", "takeaways", "tags", "sentiment"]);
    expect(schema.properties.takeaways).toMatchObject({ minItems: 3, maxItems: 5 });
    expect(schema.properties.summary).toMatchObject({ maxLength: 2000 });
    const sentiment = schema.properties.sentiment.anyOf[0];
    expect(sentiment.properties.label.enum).toEqual(["positive", "mixed", "negative", "neutral"]);
    expect(sentiment.properties.positives.items.properties.comments.minItems).toBe(1);
  });
});
