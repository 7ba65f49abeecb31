import { describe, expect, test } from "vitest";
import { parseConfig } from "../../../src/ingest/config.ts";
import {
  costUsd,
  createBudget,
  DEFAULT_PRICES,
  estimateTokens,
  priceFor,
  reserve,
  settle,
  takeRetry,
  wouldPassCap,
} from "../../../src/ingest/budget/cost.ts";

const haiku = DEFAULT_PRICES["claude-haiku-5-5"];
const M = 1_000_000;

describe("costUsd", () => {
  test("prices each token class per million at the default model's list prices", () => {
    const config = parseConfig({}, null);
    expect(config.ok && priceFor(config.value.summarizer.anthropic.model)).toBe(haiku);
    // 50k tokens: under the 100k long-prompt threshold. $0.10 / $0.50 / $0.01 / $0.125 per million.
    const k50 = 50_000;
    expect(costUsd({ input: k50, cachedInput: 0, cacheWrite: 0, output: 0 }, haiku)).toBeCloseTo(0.005, 12);
    expect(costUsd({ input: 0, cachedInput: 0, cacheWrite: 0, output: k50 }, haiku)).toBeCloseTo(0.025, 12);
    expect(costUsd({ input: 0, cachedInput: k50, cacheWrite: 0, output: 0 }, haiku)).toBeCloseTo(0.0005, 12);
    expect(costUsd({ input: 0, cachedInput: 0, cacheWrite: k50, output: 0 }, haiku)).toBeCloseTo(0.00625, 12);
  });

  test("batch prices are half; a prompt over the long-prompt threshold pays the higher rates on every token", () => {
    const usage = { input: 4000, cachedInput: 1000, cacheWrite: 0, output: 500 };
    expect(costUsd(usage, haiku, { batch: true })).toBeCloseTo(costUsd(usage, haiku) / 2, 12);
    const long = { input: 100_001, cachedInput: 0, cacheWrite: 0, output: 1000 };
    expect(costUsd(long, haiku)).toBeCloseTo((100_001 * 0.5 + 1000 * 2.5) / M, 12);
    expect(priceFor("claude-unknown")).toBeNull();
  });

  test("the token estimate assumes 2.5 characters a token (Haiku 5.5's average), so the cap is not reached ~17% late", () => {
    expect(estimateTokens("x".repeat(2500))).toBe(1000);
    expect(estimateTokens("x".repeat(3000))).toBe(1200);
    expect(estimateTokens("")).toBe(0);
  });
});

describe("Budget", () => {
  test("refuses what would pass the cap, counting reservations in flight", () => {
    const budget = createBudget({ maxCostUsd: 1 });
    expect(reserve(budget, 0.6)).toBe(true);
    expect(wouldPassCap(budget, 0.5)).toBe(true);
    expect(reserve(budget, 0.5)).toBe(false);
    expect(budget.capReached).toBe(true);
    settle(budget, 0.6, 0.2);
    expect(budget).toMatchObject({ spentUsd: 0.2, reservedUsd: 0 });
    expect(reserve(budget, 0.5)).toBe(true);
  });

  test("no cap means nothing is refused; retries are taken until none is left", () => {
    expect(wouldPassCap(createBudget(), 1e9)).toBe(false);
    const budget = createBudget({ maxRetries: 2 });
    expect([takeRetry(budget), takeRetry(budget), takeRetry(budget)]).toEqual([true, true, false]);
    expect(budget).toMatchObject({ retriesLeft: 0, retriesUsed: 2 });
  });
});
