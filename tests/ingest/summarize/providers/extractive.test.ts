// The extractive summarizer on the open-source AI sample article's thread and a fixture article: sentences from the text, tags by keyword, sentiment citing real comments, schema-valid and deterministic.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { excerptThread, parseHnItem } from "../../../../src/ingest/discussion/discussion.ts";
import {
  createExtractiveSummarizer,
  EXTRACTIVE_MODEL,
  EXTRACTIVE_PROMPT_VERSION,
  extractiveSummary,
  keywordTags,
  lexiconSentiment,
  sentencePolarity,
  SUMMARY_MAX_CHARS,
} from "../../../../src/ingest/summarize/providers/extractive.ts";
import { articleFileSchema } from "../../../../src/article/schema.ts";
import type { SummaryInput, SummaryOutput, ThreadComment, ThreadExcerpt } from "../../../../src/ingest/types.ts";
import { splitSentences } from "../../../../src/ingest/shared/sentences.ts";
import { TAGS } from "../../../../src/article/tags.ts";

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/hn/${name}`, import.meta.url), "utf8");
const ARTICLE = fixture("seed-article.txt");
const TITLE = "For Most of the World, Open-Source AI Is the Only Way Forward";

function seedThread(): ThreadExcerpt {
  const item = parseHnItem(JSON.parse(fixture("seed-thread.json")));
  if (!item.ok) throw new Error(item.reason);
  return excerptThread(item.value, { budgetChars: 12_000, fetchedAt: new Date("2026-06-25T06:00:00Z") });
}

function seedInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    url: "https://techstrong.ai/articles/for-most-of-the-world-open-source-ai-is-the-only-way-forward/",
    title: TITLE,
    source: "techstrong.ai",
    text: ARTICLE,
    extraction: "full",
    discussion: seedThread(),
    vocabulary: TAGS,
    ...overrides,
  };
}

function outputOf(input: SummaryInput): SummaryOutput {
  const result = extractiveSummary(input);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** The output passes the same check every model's answer passes, unchanged. */
/** The output fits the article schema's model-written fields, with tags from the vocabulary. */
function expectValid(input: SummaryInput, output: SummaryOutput) {
  const stored = articleFileSchema
    .pick({ summary: true, takeaways: true, tags: true, sentiment: true })
    .partial({ sentiment: true })
    .safeParse(output);
  if (!stored.success) throw new Error(stored.error.message);
  for (const tag of output.tags) expect(input.vocabulary).toContain(tag);
}

function comment(id: string, text: string): ThreadComment {
  return { id, author: `user${id}`, text, permalink: `https://news.ycombinator.com/item?id=${id}`, depth: 0 };
}

function thread(comments: ThreadComment[], extra: Partial<ThreadExcerpt> = {}): ThreadExcerpt {
  return {
    site: "hacker-news",
    id: "1",
    url: "https://news.ycombinator.com/item?id=1",
    title: "A thread",
    text: null,
    points: 50,
    comments: comments.length,
    createdAt: new Date("2026-06-24T00:00:00Z"),
    fetchedAt: new Date("2026-06-25T00:00:00Z"),
    excerpt: comments,
    ...extra,
  };
}

describe("the seed article and thread", () => {
  const input = seedInput();
  const output = outputOf(input);
  const articleSentences = splitSentences(ARTICLE);

  test("passes the answer check every provider's output goes through", () => {
    expectValid(input, output);
  });

  test("the summary is 1 to 3 of the article's sentences, within 600 characters, opening with its lead", () => {
    expect(output.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    const used = splitSentences(output.summary);
    expect(used.length).toBeGreaterThanOrEqual(1);
    expect(used.length).toBeLessThanOrEqual(3);
    for (const sentence of used) expect(articleSentences).toContain(sentence);
    expect(used[0]).toBe(articleSentences[0]);
    expect(output.summary).toContain("open-source AI is the only viable path");
  });

  test("3 to 5 takeaways, each a sentence of the article, distinct and not in the summary", () => {
    expect(output.takeaways.length).toBeGreaterThanOrEqual(3);
    expect(output.takeaways.length).toBeLessThanOrEqual(5);
    expect(new Set(output.takeaways).size).toBe(output.takeaways.length);
    for (const takeaway of output.takeaways) {
      expect(articleSentences).toContain(takeaway);
      expect(output.summary).not.toContain(takeaway);
      expect(takeaway.length).toBeLessThanOrEqual(600);
    }
    // In the article's order.
    const positions = output.takeaways.map((t) => articleSentences.indexOf(t));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(output.takeaways.some((t) => t.includes("Project Tapestry"))).toBe(true);
  });

  test("tags come from the vocabulary by keyword, the title's first", () => {
    expect(output.tags[0]).toBe("open-source-ai"); // in the title
    expect(output.tags).toEqual(expect.arrayContaining(["open-source-ai", "yann-lecun", "ai-sovereignty"]));
    expect(output.tags.length).toBeGreaterThanOrEqual(2);
    expect(output.tags.length).toBeLessThanOrEqual(6);
    for (const tag of output.tags) expect(TAGS).toContain(tag);
  });

  test("the thread is mixed: positives and concerns cite the comments they quote", () => {
    const sentiment = output.sentiment!;
    expect(sentiment.label).toBe("mixed");
    const cited = (points: { comments: string[] }[]) => points.flatMap((p) => p.comments);
    expect(cited(sentiment.positives)).toEqual(expect.arrayContaining(["990000016", "990000013", "990000025"]));
    expect(cited(sentiment.concerns)).toEqual(expect.arrayContaining(["990000022", "990000010", "990000040"]));
    expect(cited(sentiment.positives)).not.toContain("990000010");
    expect(cited(sentiment.concerns)).not.toContain("990000025");

    const byId = new Map(input.discussion!.excerpt.map((c) => [c.id, c]));
    for (const point of [...sentiment.positives, ...sentiment.concerns]) {
      expect(point.text.length).toBeLessThanOrEqual(400);
      expect(point.comments.length).toBeGreaterThanOrEqual(1);
      for (const id of point.comments) {
        const source = byId.get(id);
        expect(source, `comment ${id} is in the thread`).toBeDefined();
        expect(splitSentences(source!.text)).toContain(point.text);
      }
    }
    expect(sentiment.positives.length).toBeLessThanOrEqual(5);
    expect(sentiment.concerns.length).toBeLessThanOrEqual(5);
  });

  test("the same input gives byte-identical output, from a new summarizer too", async () => {
    const first = await createExtractiveSummarizer().summarize(seedInput());
    const second = await createExtractiveSummarizer().summarize(seedInput());
    expect(first.ok && second.ok).toBe(true);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(outputOf(seedInput()))).toBe(JSON.stringify(output));
  });

  test("reports itself in provenance terms, with no tokens and no cost", async () => {
    const summary = await createExtractiveSummarizer().summarize(input);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.value).toMatchObject({
      provider: "extractive",
      model: EXTRACTIVE_MODEL,
      promptVersion: EXTRACTIVE_PROMPT_VERSION,
      usage: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 },
      costUsd: 0,
    });
    // The same picks, each takeaway citing the sentence it is (the grounding check passed them all).
    expect(summary.value.output).toEqual({ ...output, evidence: output.takeaways.map((t) => ({ quotes: [t] })) });
    expect(summary.value.grounding).toMatchObject({ version: "grounding-5", dropped: 0, repaired: 0 });
    expect(createExtractiveSummarizer().name).toBe("extractive");
  });
});

describe("when the article has no text", () => {
  test("summarises the discussion and says so", () => {
    const input = seedInput({ text: "", extraction: "none" });
    const output = outputOf(input);
    expectValid(input, output);
    expect(output.summary).toMatch(/^The article could not be read; this summary is drawn from its discussion on Hacker News\. /);
    expect(output.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    const commentSentences = input.discussion!.excerpt.flatMap((c) => splitSentences(c.text));
    for (const takeaway of output.takeaways) expect(commentSentences).toContain(takeaway);
    expect(output.tags).toContain("open-source-ai");
    expect(output.sentiment?.label).toBe("mixed");
  });

  test("an Ask HN post is summarised from its own text, then takeaways from the comments", () => {
    const post = "I'm choosing a model to run at home for coding. Is a single consumer GPU enough for a useful open-weight model today?";
    const input = seedInput({
      title: "Ask HN: Which open model do you run locally?",
      text: "",
      extraction: "none",
      discussion: thread(
        [
          comment("11", "Qwen 3.6 27B runs well on a 24 GB card at 4-bit. The tool calling is solid enough for agents."),
          comment("12", "Ollama makes it easy to try several models in an afternoon. Start with the smallest one that works."),
          comment("13", "Memory bandwidth matters more than raw compute for local inference. A used workstation card is a good deal."),
        ],
        { title: "Ask HN: Which open model do you run locally?", text: post },
      ),
    });
    const output = outputOf(input);
    expectValid(input, output);
    const [first, second] = splitSentences(post);
    const lead = "Summarised from the post on Hacker News, as there is no article text. ";
    expect([`${lead}${first}`, `${lead}${second}`]).toContain(output.summary);
    expect(output.takeaways).toContain(output.summary.endsWith(first) ? second : first);
    expect(output.takeaways.length).toBeGreaterThanOrEqual(3);
    expect(output.tags).toContain("discussion"); // "Ask HN" in the title
  });

  test("with no text and no discussion there is nothing to summarise", () => {
    const result = extractiveSummary(seedInput({ text: "", extraction: "none", discussion: null }));
    expect(result).toEqual({ ok: false, reason: `nothing to summarise: no article text and no discussion (${seedInput().url})` });
  });

  test("a short article gets fewer takeaways, from the article only, never from its discussion", async () => {
    const input = seedInput({
      text: "The first sentence of this short article says something. The second sentence of the article says a bit more.",
    });
    const result = await createExtractiveSummarizer().summarize(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = input.text;
    expect(result.value.output.takeaways).toHaveLength(1);
    for (const t of result.value.output.takeaways) expect(text).toContain(t);
    expect(result.value.output.evidence).toEqual([{ quotes: [result.value.output.takeaways[0]] }]);
  });

  test("an article with one sentence has no takeaway to give and fails the item with the reason", () => {
    const result = extractiveSummary(seedInput({ text: "The only sentence of this very short article says something.", discussion: null }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^too little text for a takeaway: no distinct sentence beside the summary/);
  });
});

describe("sentiment", () => {
  test("no discussion, or one with no comments kept, gives no sentiment", () => {
    const input = seedInput({ discussion: null });
    const output = outputOf(input);
    expect(output.sentiment).toBeUndefined();
    expectValid(input, output);
    expect(lexiconSentiment([])).toBeUndefined();
  });

  test("comments with no opinion words are neutral, with nothing to cite", () => {
    const comments = [comment("21", "The paper is on arXiv since Tuesday."), comment("22", "Here is the archived copy of the page.")];
    const input = seedInput({ discussion: thread(comments) });
    const output = outputOf(input);
    expect(output.sentiment).toEqual({ label: "neutral", positives: [], concerns: [] });
    expectValid(input, output);
  });

  test("the label follows the balance of positive and negative comments", () => {
    const good = (id: string) => comment(id, "This is a great and useful release.");
    const bad = (id: string) => comment(id, "The benchmarks are misleading and the licence is a problem.");
    expect(lexiconSentiment([good("1"), good("2"), good("3"), bad("4")])?.label).toBe("positive");
    expect(lexiconSentiment([bad("1"), bad("2"), bad("3"), good("4")])?.label).toBe("negative");
    expect(lexiconSentiment([good("1"), bad("2")])?.label).toBe("mixed");
  });

  test("complaints in strong words (nightmare, reckless, flawed, insecure) count as concerns", () => {
    const complaints = [
      comment("11", "Shipping this to production was a nightmare for our team."),
      comment("12", "Letting the agent push to main is reckless."),
      comment("13", "The sandbox is flawed and the plugin API is insecure."),
    ];
    const sentiment = lexiconSentiment(complaints);
    expect(sentiment?.label).toBe("negative");
    expect(sentiment?.concerns.flatMap((c) => c.comments).sort()).toEqual(["11", "12", "13"]);
  });

  test("negation turns a word around, and what comes before 'but' counts half", () => {
    expect(sentencePolarity("You are not locked to one vendor's API pricing.")).toEqual({ positive: 1, negative: 0 });
    expect(sentencePolarity("Open weights do not help if you cannot afford anything.")).toEqual({ positive: 0, negative: 2 });
    expect(sentencePolarity("Good idea, but the gap is a problem.")).toEqual({ positive: 0.5, negative: 2 });
    // Negation stops at a comma.
    expect(sentencePolarity("Not that, the results are great.")).toEqual({ positive: 1, negative: 0 });
  });

  test("a long comment sentence is cut to the bullet limit and still cites its comment", () => {
    const long = `This is a great release because ${"it keeps improving in every way that matters ".repeat(20)}.`;
    const sentiment = lexiconSentiment([comment("31", long)]);
    expect(sentiment?.positives[0].text.length).toBeLessThanOrEqual(400);
    expect(sentiment?.positives[0].comments).toEqual(["31"]);
    expect(long.startsWith(sentiment!.positives[0].text.replace(/…$/, ""))).toBe(true);
  });
});

describe("tags by keyword", () => {
  test("keywords match whole words only", () => {
    // "rapid" holds "api", "idea"/"side" hold "ide", "Paris" holds "ai": none is a keyword match.
    const body = "A rapid idea from the other side of Paris. ".repeat(30);
    expect(keywordTags("A rapid idea", body, TAGS)).toEqual(["machine-learning"]); // nothing matched: the fallback
  });

  test("a title mention outweighs a passing mention in a long body", () => {
    const body = `${"Filler sentence about the weather and nothing else. ".repeat(200)} One robot appears once. And security once.`;
    expect(keywordTags("New rules on privacy", body, TAGS)[0]).toBe("privacy");
    expect(keywordTags("New rules on privacy", body, TAGS)).toEqual(["privacy", "robotics"]); // one passing mention only fills up to 2
  });

  test("at most 6 tags, only from the vocabulary given, extra tags matched by their slug", () => {
    const body = "GPU chips, robots, privacy, copyright, security, education, healthcare, inference, agents and students. ".repeat(10);
    expect(keywordTags("Everything at once", body, TAGS)).toHaveLength(6);
    expect(keywordTags("Quantum computing meets privacy", "quantum computing ".repeat(5), ["privacy", "quantum-computing"])).toEqual([
      "quantum-computing",
      "privacy",
    ]);
    expect(keywordTags("Privacy", "privacy", ["security"])).toEqual(["security"]);
  });

  test("a hyphen and a space are the same in a keyword", () => {
    expect(keywordTags("Open source models win", "", TAGS)).toContain("open-source-ai");
    expect(keywordTags("Open-source models win", "", TAGS)).toContain("open-source-ai");
  });
});

describe("limits on unusual input", () => {
  test("a huge article with overlong sentences still fits the schema", () => {
    const runOn = `The model ${"and the data and the weights ".repeat(40)}were released.`;
    const topics = ["open models", "GPU prices", "licences", "benchmarks", "data centres", "regulation", "agents"];
    const places = ["Kenya", "Brazil", "India", "France", "Japan", "Chile", "Ghana"];
    const text = Array.from(
      { length: 400 },
      (_, i) =>
        `Paragraph ${i} reports on ${topics[i % 7]} in ${places[Math.floor(i / 7) % 7]} and what that means for local developers. ${runOn}`,
    ).join("\n\n");
    const input = seedInput({ text });
    const output = outputOf(input);
    expectValid(input, output);
    expect(output.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    for (const t of output.takeaways) expect(t.length).toBeLessThanOrEqual(600);
  });
});
