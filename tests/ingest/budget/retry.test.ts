import { describe, expect, test } from "vitest";
import {
  backoffMs,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryAfterMs,
  retryLoop,
  withRetries,
} from "../../../src/ingest/budget/retry.ts";
import { createBudget } from "../../../src/ingest/budget/cost.ts";

const headers = (h: Record<string, string>) => new Headers(h);

describe("retry", () => {
  test("reads retry-after-ms, retry-after in seconds and as an HTTP date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }))).toBe(500);
    const now = Date.parse("2026-11-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Sun, 01 Nov 2026 00:00:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMs(headers({}))).toBeNull();
  });

  test("backs off exponentially with jitter, capped", () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect(backoffMs(1, opts, () => 1)).toBe(1000);
    expect(backoffMs(1, opts, () => 0)).toBe(500);
    expect(backoffMs(3, opts, () => 1)).toBe(4000);
    expect(backoffMs(9, opts, () => 1)).toBe(5000);
  });

  test("retries 408, 409, 429 and 5xx, not other 4xx", () => {
    expect([408, 409, 429, 500, 503, 529].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  test("a final failure is a value naming the call; a success after retries is returned", async () => {
    let calls = 0;
    const budget = createBudget();
    const ctx = {
      label: "probe",
      budget,
      retry: { ...DEFAULT_RETRY, maxAttempts: 3 },
      sleep: async () => {},
      classify: (e: unknown) => ({ retry: true as const, afterMs: null, why: String((e as Error).message) }),
    };
    expect(await withRetries(async () => (++calls < 3 ? Promise.reject(new Error("flaky")) : "done"), ctx)).toEqual({
      ok: true,
      value: "done",
    });
    expect(budget.retriesUsed).toBe(2);
    expect(await withRetries(() => Promise.reject(new Error("down")), ctx)).toEqual({
      ok: false,
      reason: "probe: down (gave up after 3 attempts)",
    });
  });

  test("parseRetryAfter reads delta-seconds and HTTP dates, and ignores garbage", () => {
    const now = Date.parse("2026-06-24T12:00:00Z");
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 24 Jun 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 24 Jun 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  test("backoffMs grows exponentially, jittered between half and all of the step, capped at max", () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 10_000 };
    for (let i = 0; i < 50; i++) {
      const third = backoffMs(3, opts);
      expect(third).toBeGreaterThanOrEqual(200);
      expect(third).toBeLessThanOrEqual(400);
      expect(backoffMs(21, { ...opts, maxDelayMs: 1000 })).toBeLessThanOrEqual(1000);
    }
  });

  test("a retry whose wait would end past the deadline is not made", async () => {
    const waits: number[] = [];
    const now = 1_000_000;
    const result = await retryLoop(async () => ({ done: false, retry: true, afterMs: 500, why: "busy" }), {
      retry: { ...DEFAULT_RETRY, maxAttempts: 10 },
      sleep: async (ms) => void waits.push(ms),
      deadline: now + 400,
      now: () => now,
    });
    expect(result).toEqual({ ok: false, stop: "deadline", why: "busy", attempts: 1, waitMs: 500 });
    expect(waits).toEqual([]);
  });
});
