/**
 * Token and cost figures of the model providers on the loopback API stub: N realistic-size items
 * summarized one by one and as one Message Batch, at the default model's prices. No network.
 * Usage: node scripts/bench/summarize-stub.ts [N=20]
 */
import { parseConfig } from "../../src/ingest/config.ts";
import { createAnthropicSummarizer } from "../../src/ingest/summarize/providers/anthropic.ts";
import { createAnthropicBatchSummarizer } from "../../src/ingest/summarize/providers/anthropic-batch.ts";
import type { SummaryInput, TokenUsage } from "../../src/ingest/types.ts";
import { createBudget, formatUsd } from "../../src/ingest/budget/cost.ts";
import { TAGS } from "../../src/article/tags.ts";
import { startAnthropicStub } from "../fixtures/anthropic-stub.ts";

const n = Number(process.argv[2] ?? 20);
const SENTENCE = "The lab says the open-weight model matches last year's closed models on coding benchmarks. ";

/** An item the size of a typical night's: ~8,000 characters of article, 40 comments (~12,000 characters). */
function item(i: number): SummaryInput {
  const excerpt = Array.from({ length: 40 }, (_, c) => ({
    id: String(42_000_000 + i * 100 + c),
    author: `user${c}`,
    text: "I ran it on my own GPU and the results were close to what the post claims, with caveats. ".repeat(3),
    permalink: `https://news.ycombinator.com/item?id=${42_000_000 + i * 100 + c}`,
    depth: c % 3,
  }));
  return {
    url: `https://example.org/story-${i}`,
    title: `Story ${i}: an open-weight model on one GPU`,
    source: "example.org",
    text: SENTENCE.repeat(Math.ceil(8000 / SENTENCE.length)),
    extraction: "full",
    discussion: {
      site: "hacker-news",
      id: String(41_000_000 + i),
      url: `https://news.ycombinator.com/item?id=${41_000_000 + i}`,
      title: `Story ${i}`,
      text: null,
      points: 200,
      comments: 120,
      createdAt: new Date("2026-11-01T08:00:00Z"),
      fetchedAt: new Date("2026-11-01T20:00:00Z"),
      excerpt,
    },
    vocabulary: TAGS,
  };
}

const sum = (usages: TokenUsage[]): TokenUsage =>
  usages.reduce(
    (a, u) => ({
      input: a.input + u.input,
      cachedInput: a.cachedInput + u.cachedInput,
      cacheWrite: a.cacheWrite + u.cacheWrite,
      output: a.output + u.output,
    }),
    { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 },
  );

function line(label: string, ok: number, usage: TokenUsage, usd: number): string {
  return `${label.padEnd(8)} ok ${String(ok).padStart(3)}/${n}  input ${usage.input}  cached ${usage.cachedInput}  cache write ${usage.cacheWrite}  output ${usage.output}  cost ${formatUsd(usd)}  (${formatUsd((usd / n) * 100)} per 100)`;
}

for (const mode of ["normal", "batch"] as const) {
  const stub = await startAnthropicStub();
  const budget = createBudget({ maxCostUsd: 5 });
  const config = parseConfig({}, null);
  if (!config.ok) throw new Error(config.reason);
  const run = { apiKey: "stub-key", baseURL: stub.url, budget, sleep: async () => {} };
  const created = createAnthropicSummarizer(config.value.summarizer, run);
  const batch = createAnthropicBatchSummarizer(config.value.summarizer, { ...run, poll: { pollBaseMs: 5, pollMaxMs: 5 } });
  if (!created.ok) throw new Error(created.reason);
  if (!batch.ok) throw new Error(batch.reason);
  const items = Array.from({ length: n }, (_, i) => item(i));
  const results =
    mode === "normal"
      ? await Promise.all(items.map((input) => created.value.summarize(input)))
      : [...(await batch.value.summarizeBatch(items.map((input) => ({ key: input.url, input })))).results.values()];
  const summaries = results.flatMap((r) => (r.ok ? [r.value] : []));
  console.log(line(mode, summaries.length, sum(summaries.map((s) => s.usage)), budget.spentUsd));
  await stub.close();
}
console.log("Tokens are the stub's count (4 characters a token); the real tokenizer counts more, see the README.");
