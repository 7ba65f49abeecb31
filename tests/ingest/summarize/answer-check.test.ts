import { describe, expect, test } from "vitest";
import { checkAnswer, summaryJsonSchema, type SummaryCheckContext } from "../../../src/ingest/summarize/answer-check.ts";
import { TAGS } from "../../../src/article/tags.ts";
import { fromList } from "../../../src/ingest/summarize/passages.ts";

/** The passages the answers below rest on: every claim of `good()` is in them. */
const PASSAGES = fromList([
  { id: "P1", kind: "article", text: "A lab released an open-weight model that runs on one consumer GPU." },
  { id: "P2", kind: "article", text: "It is open-weight, so anyone may download it." },
  { id: "P3", kind: "article", text: "It runs on one GPU with 24 GB of memory." },
  { id: "P4", kind: "article", text: "Benchmarks are close to closed models, the lab says." },
  { id: "101", kind: "comment", text: "People like running it locally; it is great to have." },
  { id: "102", kind: "comment", text: "I doubt the benchmarks." },
  { id: "103", kind: "comment", text: "Some doubt the benchmarks, which look cherry-picked and misleading." },
]);

const ctx = (over: Partial<SummaryCheckContext> = {}): SummaryCheckContext => ({
  vocabulary: TAGS,
  allowUnknownTags: false,
  commentIds: new Set(["101", "102", "103"]),
  originalTitle: "You won't believe what this model can do",
  passages: PASSAGES,
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
  citations: { title: [] as string[], summary: ["P1"], takeaways: [["P2"], ["P3"], ["P4"]] },
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
        evidence: [
          { quotes: ["It is open-weight, so anyone may download it."] },
          { quotes: ["It runs on one GPU with 24 GB of memory."] },
          { quotes: ["Benchmarks are close to closed models, the lab says."] },
        ],
        tags: ["llms", "open-source-ai"],
        sentiment: good().sentiment,
      },
      grounding: { version: "grounding-5", checked: 6, dropped: 0, failedClaims: 0 },
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
    const passages = fromList([...PASSAGES.list, { id: "P5", kind: "article", text: html }]);
    const citations = { title: [], summary: ["P5"], takeaways: [["P5"], ["P3"], ["P4"]] };
    const answer = { ...good(), summary: html, takeaways: [html, good().takeaways[1], good().takeaways[2]], citations };
    const result = checkAnswer(answer, ctx({ passages }));
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
    expect(schema.required).toEqual(["title", "summary", "takeaways", "tags", "sentiment", "citations"]);
    expect(schema.properties.citations.required).toEqual(["title", "summary", "takeaways"]);
    expect(schema.properties.takeaways).toMatchObject({ minItems: 3, maxItems: 5 });
    expect(schema.properties.summary).toMatchObject({ maxLength: 2000 });
    const sentiment = schema.properties.sentiment.anyOf[0];
    expect(sentiment.properties.label.enum).toEqual(["positive", "mixed", "negative", "neutral"]);
    expect(sentiment.properties.positives.items.properties.comments.minItems).toBe(1);
  });
});

describe("checkAnswer: grounding", () => {
  const invented = () => ({
    ...good(),
    takeaways: [...good().takeaways, "Microsoft bought the lab for $9 billion."],
    citations: { ...good().citations, takeaways: [["P2"], ["P3"], ["P4"], ["P1"]] },
  });

  test("missing citations fail the answer", () => {
    const { citations: _c, ...uncited } = good();
    expect(errorsOf(checkAnswer(uncited, ctx()))[0]).toMatch(/^citations: /);
    expect(errorsOf(checkAnswer({ ...good(), citations: { title: [], summary: ["P1"], takeaways: [["P2"], ["P3"]] } }, ctx()))).toEqual([
      "citations.takeaways: give one list per takeaway (3 takeaways, 2 lists)",
    ]);
  });

  test("before the repair turn, an unsupported claim is sent back with readable reasons", () => {
    const result = checkAnswer(invented(), ctx(), { lastTurn: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain("takeaway 4: '$9 billion' is not in passage P1");
    expect(result.errors).toContain("takeaway 4: the name 'Microsoft' is not in the article");
    expect(result.failedClaims).toBe(1);
  });

  test("on the last turn the unsupported takeaway is dropped when three remain", () => {
    const result = checkAnswer(invented(), ctx(), { lastTurn: true });
    expect(result.ok && result.value.takeaways).toEqual(good().takeaways);
    expect(result.ok && result.value.evidence).toHaveLength(3);
    expect(result.ok && result.grounding.dropped).toBe(1);
  });

  test("on the last turn the item fails when fewer than three takeaways are supported", () => {
    const answer = { ...good(), takeaways: [good().takeaways[0], good().takeaways[1], "Microsoft bought the lab for $9 billion."] };
    const result = checkAnswer(answer, ctx(), { lastTurn: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toBe("not supported by its sources (only 2 takeaway(s) supported, 3 needed)");
  });

  test("a positive bullet citing only a negative comment is dropped on the last turn", () => {
    const answer = good();
    answer.sentiment.positives = [{ text: "Commenters praised the benchmark results as independently verified.", comments: ["102"] }];
    const result = checkAnswer(answer, ctx(), { lastTurn: true });
    expect(result.ok && result.value.sentiment?.positives).toEqual([]);
  });

  test("a headline not supported by the article is dropped at once: the original title stays", () => {
    const result = checkAnswer(
      { ...good(), title: "Google Buys Open Model Lab", citations: { ...good().citations, title: ["P1"] } },
      ctx(),
      { lastTurn: false },
    );
    expect(result.ok && result.value.title).toBeUndefined();
    expect(result.ok && result.grounding.dropped).toBe(1);
  });

  test("a comment cited where article text exists is refused", () => {
    const answer = { ...good(), citations: { ...good().citations, takeaways: [["P2"], ["101"], ["P4"]] } };
    const result = checkAnswer(answer, ctx(), { lastTurn: false });
    expect(!result.ok && result.errors).toEqual(["takeaway 2: cites 101, a comment; cite article passages (P1, P2, …)"]);
  });
});
