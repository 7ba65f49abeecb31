/** What model calls cost: a per-model price table, tokens → USD, and the run's spend and retry budget. */
import type { TokenUsage } from "../types.ts";

/** USD per million tokens for one model. `cacheWrite` is the 5-minute cache write price. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /** The 1-hour cache write price (batch requests use the 1-hour cache); twice the input price when not given. */
  cacheWrite1h?: number;
  /** Some models charge every token of a request more once its prompt passes a length. */
  longPrompt?: { aboveTokens: number; input: number; output: number; cacheWrite: number; cacheRead: number };
}
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The Message Batches API bills every token class at half the price. */
export const BATCH_PRICE_FACTOR = 0.5;

/**
 * Anthropic list prices (platform.claude.com model pages and pricing, checked 2026-11).
 * Claude Haiku 5.5 is the default model; config `summarizer.prices` adds or overrides models.
 */
export const DEFAULT_PRICES: PriceTable = {
  "claude-haiku-5-5": {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    longPrompt: { aboveTokens: 100_000, input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 },
  },
  "claude-haiku-4-5": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  "claude-haiku-4-5-20251001": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  "claude-sonnet-5-5": { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
};

/** A model's price from the table, or null when it is not listed. */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | null {
  return Object.hasOwn(table, model) ? table[model] : null;
}

/** USD for one call's tokens. `input` is the uncached part; cached reads and cache writes are billed apart. */
export function costUsd(usage: TokenUsage, price: ModelPrice, options: { batch?: boolean; cacheWriteTtl?: "5m" | "1h" } = {}): number {
  const promptTokens = usage.input + usage.cachedInput + usage.cacheWrite;
  const rates = price.longPrompt && promptTokens > price.longPrompt.aboveTokens ? price.longPrompt : price;
  const cacheWrite = options.cacheWriteTtl === "1h" ? (price.cacheWrite1h ?? rates.input * 2) : rates.cacheWrite;
  const usd =
    (usage.input * rates.input + usage.cachedInput * rates.cacheRead + usage.cacheWrite * cacheWrite + usage.output * rates.output) /
    1_000_000;
  return usd * (options.batch ? BATCH_PRICE_FACTOR : 1);
}

/** Characters a token, as the estimate assumes: Claude Haiku 5.5 averages about 2.5 on English articles and threads. */
export const CHARS_PER_TOKEN = 2.5;

/**
 * A token estimate for text that must not undershoot (the spend cap); never used for billing.
 * Newer Claude tokenizers count far more tokens than the old 4-characters rule.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * A run's spending and retry allowance, shared by every item of the run. The pipeline
 * creates one per run and passes it to the summarizer; items check it before calling a model.
 */
export interface Budget {
  /** Spend cap in USD; null means no cap. */
  readonly maxCostUsd: number | null;
  /** USD billed so far (from the usage the API reported). */
  spentUsd: number;
  /** USD held for calls in flight, so concurrent items cannot together pass the cap. */
  reservedUsd: number;
  /** Transport retries (429, 529, 5xx, timeouts) the run may still make. */
  retriesLeft: number;
  retriesUsed: number;
  /** Set once an item was refused because it would have passed the cap. */
  capReached: boolean;
}

/** A fresh budget for one run: config `summarizer.maxCostUsd` / `--max-cost`, and `summarizer.maxRetries`. */
export function createBudget(options: { maxCostUsd?: number | null; maxRetries?: number } = {}): Budget {
  return {
    maxCostUsd: options.maxCostUsd ?? null,
    spentUsd: 0,
    reservedUsd: 0,
    retriesLeft: options.maxRetries ?? 30,
    retriesUsed: 0,
    capReached: false,
  };
}

/** True when a call estimated at `estimateUsd` would take the run past its cap. */
export function wouldPassCap(budget: Budget, estimateUsd: number): boolean {
  return budget.maxCostUsd !== null && budget.spentUsd + budget.reservedUsd + estimateUsd > budget.maxCostUsd;
}

/**
 * Holds `estimateUsd` for a call about to start, or returns false (and marks the cap reached)
 * when that would pass the cap. Pair every successful reserve with `settle`.
 */
export function reserve(budget: Budget, estimateUsd: number): boolean {
  if (wouldPassCap(budget, estimateUsd)) {
    budget.capReached = true;
    return false;
  }
  budget.reservedUsd += estimateUsd;
  return true;
}

/** Releases a reservation and books what the call really cost. */
export function settle(budget: Budget, reservedUsd: number, spentUsd: number): void {
  budget.reservedUsd = Math.max(0, budget.reservedUsd - reservedUsd);
  budget.spentUsd += spentUsd;
}

/** Takes one retry from the run's allowance; false when none is left. */
export function takeRetry(budget: Budget): boolean {
  if (budget.retriesLeft <= 0) return false;
  budget.retriesLeft -= 1;
  budget.retriesUsed += 1;
  return true;
}

/** "$0.0123" — enough digits for cents-sized runs. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** No tokens: the usage of a provider without a model, and the start of every sum. */
export const NO_USAGE: TokenUsage = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 };

/** The sum of two usages (an item's calls, a run's items). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    cachedInput: a.cachedInput + b.cachedInput,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    output: a.output + b.output,
  };
}
