/** Settings and bookkeeping shared by the model-backed summarizers: prices, budget, cost estimate, token sums. */
import { createBudget, DEFAULT_PRICES, estimateTokens, priceFor, type Budget, type ModelPrice, type PriceTable } from "../../budget/cost.ts";
import { fail, type Result } from "../../../article/result.ts";
import type { BuiltPrompt } from "../prompt.ts";
import { DEFAULT_RETRY, realSleep, type RetryOptions, type Sleep } from "../../budget/retry.ts";

/** Options every model-backed summarizer takes (config fills them; tests shorten the waits). */
export interface ModelSummarizerOptions {
  model?: string;
  /** Output token limit of one answer. */
  maxTokens?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Prices by model id, merged over the built-in table. */
  prices?: PriceTable;
  /** The run's spend and retry budget; one per run, shared by every item. */
  budget?: Budget;
  /** Tags allowed beyond the vocabulary, and whether unknown tags are kept. */
  extraTags?: readonly string[];
  allowUnknownTags?: boolean;
  retry?: Partial<RetryOptions>;
  sleep?: Sleep;
  /** Random source of the prompt's data boundary (tests inject one). */
  randomId?: () => string;
  maxArticleChars?: number;
  /** Output tokens assumed when estimating an item's cost for the spend cap. */
  expectedOutputTokens?: number;
}

export interface ModelSettings {
  model: string;
  maxTokens: number;
  timeoutMs: number;
  price: ModelPrice;
  budget: Budget;
  extraTags: readonly string[];
  allowUnknownTags: boolean;
  retry: RetryOptions;
  sleep: Sleep;
  randomId?: () => string;
  maxArticleChars?: number;
  expectedOutputTokens: number;
}

/**
 * Resolves options against defaults. A model without a price is a config error: the spend
 * cap cannot work without one (`zeroPriceIfUnknown` is for self-hosted models, which cost nothing per token).
 */
export function resolveSettings(
  options: ModelSummarizerOptions,
  defaults: { model: string; zeroPriceIfUnknown?: boolean },
): Result<ModelSettings> {
  const model = options.model ?? defaults.model;
  const table = { ...DEFAULT_PRICES, ...options.prices };
  const price = priceFor(model, table) ?? (defaults.zeroPriceIfUnknown ? { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 } : null);
  if (!price) return fail(`no price for model ${model}: add it under summarizer.prices in the config (USD per million tokens)`);
  return {
    ok: true,
    value: {
      model,
      maxTokens: options.maxTokens ?? 2048,
      timeoutMs: options.timeoutMs ?? 120_000,
      price,
      budget: options.budget ?? createBudget(),
      extraTags: options.extraTags ?? [],
      allowUnknownTags: options.allowUnknownTags ?? false,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? realSleep,
      randomId: options.randomId,
      maxArticleChars: options.maxArticleChars,
      expectedOutputTokens: options.expectedOutputTokens ?? 700,
    },
  };
}

/**
 * The expected cost of one item from its prompt's size: every input token at the uncached
 * price and a typical answer's output (a repair turn, when needed, is paid from the margin
 * the high token estimate leaves). `batch` applies the batch discount.
 */
export function estimatePromptCostUsd(prompt: BuiltPrompt, settings: ModelSettings, factor = 1): number {
  const inputTokens = estimateTokens(prompt.system) + estimateTokens(prompt.user) + 600; // + tool schema
  return ((inputTokens * settings.price.input + settings.expectedOutputTokens * settings.price.output) / 1_000_000) * factor;
}

/** The reason an item is refused at the spend cap. */
export function capReason(budget: Budget, estimateUsd: number): string {
  return (
    `spend cap reached: $${budget.spentUsd.toFixed(4)} spent` +
    (budget.reservedUsd > 0 ? ` and $${budget.reservedUsd.toFixed(4)} in flight` : "") +
    `, this item would add about $${estimateUsd.toFixed(4)} to a cap of $${(budget.maxCostUsd ?? 0).toFixed(2)}; ` +
    `left for the next run`
  );
}
