/** What the model-backed providers share: the run's options beside their config section, the model's price, the cost estimate. */
import { DEFAULT_PRICES, estimateTokens, priceFor, type Budget, type ModelPrice } from "../../budget/cost.ts";
import { fail, ok, type Result } from "../../../article/result.ts";
import type { IngestConfig } from "../../config.ts";
import type { BuiltPrompt } from "../prompt.ts";
import { DEFAULT_RETRY, realSleep, type RetryOptions, type Sleep } from "../../budget/retry.ts";

/** The config's parsed `summarizer` section: every provider's settings, defaults filled in (config.ts holds them all). */
export type SummarizerConfig = IngestConfig["summarizer"];

/** What a model provider is given beside its config section: the run's budget and, for tests, shorter waits and a fixed random source. */
export interface ModelRunOptions {
  /** The run's spend and retry budget; one per run, shared by every item. */
  budget: Budget;
  retry?: Partial<RetryOptions>;
  sleep?: Sleep;
  /** Random source of the prompt's data boundary. */
  randomId?: () => string;
}

/** The retry policy and the clock a provider waits with. */
export function retryHooks(run: ModelRunOptions): { retry: RetryOptions; sleep: Sleep } {
  return { retry: { ...DEFAULT_RETRY, ...run.retry }, sleep: run.sleep ?? realSleep };
}

/** Output tokens assumed for one answer when estimating an item's cost: a typical answer's length. */
export const TYPICAL_ANSWER_TOKENS = 700;
/** Tokens the answer's schema (tool or response format) adds to every request. */
const SCHEMA_TOKENS = 600;

/**
 * The model's price from the built-in table and `summarizer.prices`. A model without one is a
 * config error: the spend cap cannot work without a price. `ifUnknown` is the price of a model
 * that is not listed, for servers that cost nothing per token.
 */
export function modelPrice(model: string, config: SummarizerConfig, ifUnknown: ModelPrice | null = null): Result<ModelPrice> {
  const price = priceFor(model, { ...DEFAULT_PRICES, ...config.prices }) ?? ifUnknown;
  return price ? ok(price) : fail(`no price for model ${model}: add it under summarizer.prices in the config (USD per million tokens)`);
}

/**
 * The expected cost of one item from its prompt's size: every input token at the uncached
 * price and a typical answer's output (a repair turn, when needed, is paid from the margin
 * the high token estimate leaves). `factor` applies the batch discount.
 */
export function estimatePromptCostUsd(prompt: BuiltPrompt, price: ModelPrice, factor = 1): number {
  const inputTokens = estimateTokens(prompt.system) + estimateTokens(prompt.user) + SCHEMA_TOKENS;
  return ((inputTokens * price.input + TYPICAL_ANSWER_TOKENS * price.output) / 1_000_000) * factor;
}
