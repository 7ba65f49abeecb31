/** Retries of model calls: backoff, Retry-After honoured, every retry taken from the run's budget. */
import { setTimeout as delay } from "node:timers/promises";
import { takeRetry, type Budget } from "./cost.ts";
import { fail, type Result } from "../../article/result.ts";

export interface RetryOptions {
  /** Tries of one request, the first included. */
  maxAttempts: number;
  /** First backoff delay; it doubles on each retry (with jitter) up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking to wait longer than this fails the item instead (it is retried next run). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 120_000,
};

/** Waits `ms`; tests pass one that records the wait and returns at once. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** What an error means for the call: worth another try (maybe after a given wait), or final. */
export type ErrorVerdict = { retry: true; afterMs: number | null; why: string } | { retry: false; why: string };

/** Statuses worth another try: timeout, conflict, rate limit, and every 5xx (529 is Anthropic's "overloaded"). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The wait a response asks for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date); null if none. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | null {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers?.get("retry-after")?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with jitter for the `attempt`-th retry (1-based). */
export function backoffMs(attempt: number, options: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export interface RetryContext {
  /** Names the call in failure reasons, e.g. `anthropic messages`. */
  label: string;
  budget: Budget;
  retry: RetryOptions;
  sleep: Sleep;
  signal?: AbortSignal;
  classify: (error: unknown) => ErrorVerdict;
}

/**
 * Runs `call`, retrying transient failures. Every retry is taken from the run's budget, so a
 * bad night cannot retry without end; a final failure is a value with the reason.
 */
export async function withRetries<T>(call: () => Promise<T>, ctx: RetryContext): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    let verdict: ErrorVerdict;
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      verdict = ctx.classify(error);
    }
    if (!verdict.retry) return fail(`${ctx.label}: ${verdict.why}`);
    if (attempt >= ctx.retry.maxAttempts)
      return fail(`${ctx.label}: ${verdict.why} (gave up after ${attempt} attempts)`);
    if (verdict.afterMs !== null && verdict.afterMs > ctx.retry.maxRetryAfterMs)
      return fail(
        `${ctx.label}: ${verdict.why}; the server asks to wait ${Math.ceil(verdict.afterMs / 1000)} s, ` +
          `more than the ${Math.round(ctx.retry.maxRetryAfterMs / 1000)} s a run waits`,
      );
    if (!takeRetry(ctx.budget)) return fail(`${ctx.label}: ${verdict.why}; the run's retry budget is spent`);
    try {
      await ctx.sleep(verdict.afterMs ?? backoffMs(attempt, ctx.retry), ctx.signal);
    } catch {
      return fail(`${ctx.label}: aborted while waiting to retry`);
    }
  }
}
