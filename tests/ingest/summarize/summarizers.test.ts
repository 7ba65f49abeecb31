// The summarize stage: choosing a provider from the config, and the input hash that provenance carries.
import { afterEach, describe, expect, test, vi } from "vitest";
import { parseConfig, type IngestConfig } from "../../../src/ingest/config.ts";
import type { AnthropicSummarizer } from "../../../src/ingest/summarize/providers/anthropic.ts";
import type { OpenAiCompatibleSummarizer } from "../../../src/ingest/summarize/providers/openai-compatible.ts";
import { createSummarizer, inputHash, summaryInputText } from "../../../src/ingest/summarize/summarizers.ts";
import type { SummaryInput } from "../../../src/ingest/types.ts";
import { provenanceSchema } from "../../../src/article/schema.ts";
import { createBudget } from "../../../src/ingest/budget/cost.ts";
import { sampleInput } from "./providers/sample-input.ts";

function summarizerConfig(input: Record<string, unknown> = {}): IngestConfig["summarizer"] {
  const parsed = parseConfig({ summarizer: input }, null);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value.summarizer;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("createSummarizer", () => {
  test("extractive starts with no key and summarizes", async () => {
    const created = createSummarizer("extractive", summarizerConfig());
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.name).toBe("extractive");
    const summary = await created.value.summarize(
      sampleInput({
        text: "A lab released an open-weight language model for everyone today. It runs on a single consumer GPU at four bits. The licence allows commercial use by anyone. Benchmarks put it near the closed models of last year. Developers can download the weights now.",
      }),
    );
    expect(summary.ok && summary.value.provider).toBe("extractive");
  });

  test("the config's default provider is extractive", () => {
    const config = summarizerConfig();
    const created = createSummarizer(config.provider, config);
    expect(created.ok && created.value.name).toBe("extractive");
  });

  test("an unknown name fails with the names there are", () => {
    expect(createSummarizer("gpt", summarizerConfig())).toEqual({
      ok: false,
      reason: 'unknown summarizer provider "gpt": expected one of extractive, anthropic, openai-compatible',
    });
  });

  test("anthropic without a key says so; with one it takes the config's model and the run's budget", () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    expect(createSummarizer("anthropic", summarizerConfig())).toMatchObject({
      ok: false,
      reason: expect.stringContaining("ANTHROPIC_API_KEY is not set"),
    });

    vi.stubEnv("ANTHROPIC_API_KEY", "test-key");
    const budget = createBudget({ maxCostUsd: 1 });
    const created = createSummarizer("anthropic", summarizerConfig({ anthropic: { model: "claude-haiku-4-5" } }), { budget });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const anthropic = created.value as AnthropicSummarizer;
    expect(anthropic.name).toBe("anthropic");
    expect(anthropic.model).toBe("claude-haiku-4-5");
    expect(anthropic.budget).toBe(budget);
  });

  test("without a budget given, one is made from the config's cap and retries", () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "test-key");
    const created = createSummarizer("anthropic", summarizerConfig({ maxCostUsd: 0.5, maxRetries: 3 }));
    expect(created.ok).toBe(true);
    if (created.ok) expect((created.value as AnthropicSummarizer).budget).toMatchObject({ maxCostUsd: 0.5, retriesLeft: 3 });
  });

  test("openai-compatible takes its server and model from the config", () => {
    const created = createSummarizer(
      "openai-compatible",
      summarizerConfig({ openaiCompatible: { baseUrl: "http://127.0.0.1:9", model: "qwen3:8b" } }),
    );
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.name).toBe("openai-compatible");
    expect((created.value as OpenAiCompatibleSummarizer).model).toBe("qwen3:8b");
  });
});

describe("inputHash", () => {
  const base = sampleInput();

  test("is sha256 hex, valid as provenance's inputHash", () => {
    const hash = inputHash(base);
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
    expect(provenanceSchema.shape.inputHash.safeParse(hash).success).toBe(true);
  });

  test("the same content gives the same hash, whatever the key order or vocabulary order", () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as SummaryInput;
    expect(inputHash(reordered)).toBe(inputHash(base));
    expect(inputHash({ ...base, vocabulary: [...base.vocabulary].reverse() })).toBe(inputHash(base));
    expect(inputHash(structuredClone(base))).toBe(inputHash(base));
  });

  test("live figures and dates of the thread do not change it: a rerun is not new input", () => {
    const d = base.discussion!;
    const later = {
      ...base,
      discussion: {
        ...d,
        points: d.points + 100,
        comments: d.comments + 7,
        fetchedAt: new Date("2026-12-01T00:00:00Z"),
        createdAt: new Date(0),
      },
    };
    expect(inputHash(later)).toBe(inputHash(base));
  });

  test("anything the summarizer reads changes it", () => {
    const d = base.discussion!;
    const variants: SummaryInput[] = [
      { ...base, text: `${base.text} One more sentence.` },
      { ...base, title: "Another title" },
      { ...base, url: "https://example.org/other" },
      { ...base, extraction: "partial" },
      { ...base, vocabulary: [...base.vocabulary, "quantum-computing"] },
      { ...base, discussion: null },
      { ...base, discussion: { ...d, text: "The post's own text." } },
      { ...base, discussion: { ...d, excerpt: d.excerpt.slice(1) } },
      { ...base, discussion: { ...d, excerpt: [{ ...d.excerpt[0], text: `${d.excerpt[0].text}!` }, ...d.excerpt.slice(1)] } },
      { ...base, discussion: { ...d, excerpt: [...d.excerpt].reverse() } },
    ];
    const hashes = new Set([inputHash(base), ...variants.map(inputHash)]);
    expect(hashes.size).toBe(variants.length + 1);
  });

  test("text is compared as characters: composed and decomposed accents hash alike", () => {
    expect(inputHash({ ...base, title: "Caf\u00e9 models" })).toBe(inputHash({ ...base, title: "Cafe\u0301 models" }));
  });

  test("the hashed text is canonical JSON that names its format", () => {
    const text = summaryInputText(base);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed.format).toBe("themata-summary-input-1");
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(text).not.toContain("fetchedAt");
    expect(text).not.toContain('"points"');
  });
});
