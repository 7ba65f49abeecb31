/** Summarize stage: the provider registry, and the input hash every provider's provenance carries. */
import { createHash } from "node:crypto";
import { canonicalJson } from "../../article/fingerprint.ts";
import { createBudget, type Budget } from "../budget/cost.ts";
import { fail, type Result } from "../../article/result.ts";
import { SUMMARIZER_PROVIDERS, type IngestConfig } from "../config.ts";
import { createAnthropicSummarizer } from "./providers/anthropic.ts";
import { createAnthropicBatchSummarizer } from "./providers/anthropic-batch.ts";
import { createExtractiveSummarizer } from "./providers/extractive.ts";
import { createOpenAiCompatibleSummarizer } from "./providers/openai-compatible.ts";
import type { BatchSummarizer, Summarizer, SummaryInput } from "../types.ts";

export type SummarizerName = (typeof SUMMARIZER_PROVIDERS)[number];

export function isSummarizerName(name: string): name is SummarizerName {
  return (SUMMARIZER_PROVIDERS as readonly string[]).includes(name);
}

export interface CreateSummarizerOptions {
  /** The run's spend and retry budget, shared by every item; one is made from the config if not given. */
  budget?: Budget;
}

/**
 * The summarizer named `name` (`--provider`, else `summarizer.provider` in the config), set up
 * from the config's `summarizer` section, or why it cannot start: an unknown name, a missing
 * API key, a model without a price. `extractive` always starts: it needs no model and no key.
 */
export function createSummarizer(
  name: string,
  config: IngestConfig["summarizer"],
  options: CreateSummarizerOptions = {},
): Result<Summarizer> {
  if (!isSummarizerName(name)) {
    return fail(`unknown summarizer provider ${JSON.stringify(name)}: expected one of ${SUMMARIZER_PROVIDERS.join(", ")}`);
  }
  const budget = options.budget ?? createBudget({ maxCostUsd: config.maxCostUsd, maxRetries: config.maxRetries });
  switch (name) {
    case "extractive":
      return { ok: true, value: createExtractiveSummarizer() };
    case "anthropic":
      return createAnthropicSummarizer(config, { budget });
    case "openai-compatible":
      return createOpenAiCompatibleSummarizer(config, { budget });
  }
}

/** The batch summarizer for `--batch`: only `anthropic` has one (the Message Batches API). */
export function createBatchSummarizer(
  name: string,
  config: IngestConfig["summarizer"],
  options: { budget: Budget },
): Result<BatchSummarizer> {
  if (name !== "anthropic") return fail(`--batch needs the anthropic provider (the Message Batches API), not ${name}`);
  return createAnthropicBatchSummarizer(config, { budget: options.budget });
}

/** Version of the serialisation below; part of what is hashed, so a change of it is a change of input. */
const INPUT_FORMAT = "themata-summary-input-1";

/**
 * What a summarizer reads of an input, in a fixed form. Left out on purpose: the thread's live
 * figures (`points`, `comments`) and its dates, which change on every run without changing what
 * the thread says; hashing them would make each rerun look like new input and redo (and pay
 * for) every summary. The vocabulary counts as a set. Text is NFC-normalised, so two encodings
 * of the same characters hash alike.
 */
export function summaryInputText(input: SummaryInput): string {
  const nfc = (s: string) => s.normalize("NFC");
  const d = input.discussion;
  return canonicalJson({
    format: INPUT_FORMAT,
    url: input.url,
    title: nfc(input.title),
    source: input.source,
    text: nfc(input.text),
    extraction: input.extraction,
    vocabulary: [...new Set(input.vocabulary)].sort(),
    discussion: d
      ? {
          site: d.site,
          id: d.id,
          url: d.url,
          title: nfc(d.title),
          text: d.text === null ? null : nfc(d.text),
          excerpt: d.excerpt.map((c) => ({ id: c.id, author: nfc(c.author), depth: c.depth, permalink: c.permalink, text: nfc(c.text) })),
        }
      : null,
  });
}

/** sha256 (hex) of `summaryInputText(input)`: provenance's `inputHash`; a changed hash means new input. */
export function inputHash(input: SummaryInput): string {
  return createHash("sha256").update(summaryInputText(input), "utf8").digest("hex");
}
