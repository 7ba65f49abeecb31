/** The one retry policy of the ingest (web fetches and model calls): backoff, Retry-After, budgets and deadlines. */
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

/**
 * The model providers' retry settings (the fetcher takes its own from the `fetch` config section).
 * No count per request: under overload a call is retried for as long as the run's retry budget
 * (`summarizer.maxRetries`) lasts, so retries go where they are needed.
 */
export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 120_000,
};

/** Waits `ms`; tests pass one that records the wait and returns at once. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** What an error means for the call: worth another try (maybe after a given wait), or final. */
export type ErrorVerdict = { retry: true; afterMs: number | null; why: string } | { retry: false; why: string };

/**
 * The model APIs' status rule: timeout, conflict, rate limit, and every 5xx (529 is Anthropic's
 * "overloaded"). Each caller names its own rule; the fetcher's is in src/ingest/fetch/.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A Retry-After value (delta-seconds, possibly fractional, or an HTTP date) as milliseconds from `now`; null if unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The wait a response asks for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date); null if none. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | null {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  return parseRetryAfter(headers?.get("retry-after"), now);
}

/** Exponential backoff with jitter for the `attempt`-th retry (1-based). */
export function backoffMs(attempt: number, options: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** One try's outcome: done (with a value), or a verdict on what went wrong. */
export type AttemptOutcome<T> = { done: true; value: T } | ({ done: false } & ErrorVerdict);

/** Why a retry loop stopped without a value; callers word it for their reports. */
export type RetryStop =
  | { stop: "final"; why: string; attempts: number }
  | { stop: "attempts"; why: string; attempts: number }
  | { stop: "retry-after"; why: string; attempts: number; afterMs: number }
  | { stop: "budget"; why: string; attempts: number }
  | { stop: "deadline"; why: string; attempts: number; waitMs: number }
  | { stop: "aborted"; why: string; attempts: number };

export interface RetryLoopOptions {
  retry: RetryOptions;
  sleep: Sleep;
  signal?: AbortSignal;
  /** Takes one retry from a shared budget; false when it is spent (no budget: unlimited). */
  takeRetry?: () => boolean;
  /** Epoch ms after which no wait may end: a retry that would start later is not made. */
  deadline?: number;
  now?: () => number;
}

/**
 * Tries `attempt` until it is done or a stop rule says no more: the verdict is final, the
 * attempts are used up, the server asks to wait too long, the budget is spent, the wait would
 * pass the deadline, or the signal aborts the wait.
 */
export async function retryLoop<T>(
  attempt: (n: number) => Promise<AttemptOutcome<T>>,
  options: RetryLoopOptions,
): Promise<{ ok: true; value: T; attempts: number } | ({ ok: false } & RetryStop)> {
  const now = options.now ?? Date.now;
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if (outcome.done) return { ok: true, value: outcome.value, attempts: n };
    if (!outcome.retry) return { ok: false, stop: "final", why: outcome.why, attempts: n };
    if (n >= options.retry.maxAttempts) return { ok: false, stop: "attempts", why: outcome.why, attempts: n };
    if (outcome.afterMs !== null && outcome.afterMs > options.retry.maxRetryAfterMs) {
      return { ok: false, stop: "retry-after", why: outcome.why, attempts: n, afterMs: outcome.afterMs };
    }
    const waitMs = outcome.afterMs ?? backoffMs(n, options.retry);
    if (options.deadline !== undefined && now() + waitMs >= options.deadline) {
      return { ok: false, stop: "deadline", why: outcome.why, attempts: n, waitMs };
    }
    if (options.takeRetry && !options.takeRetry()) return { ok: false, stop: "budget", why: outcome.why, attempts: n };
    try {
      await options.sleep(waitMs, options.signal);
    } catch {
      return { ok: false, stop: "aborted", why: outcome.why, attempts: n };
    }
  }
}

export interface RetryContext {
  /** Names the call in failure reasons, e.g. `anthropic messages`. */
  label: string;
  budget: Budget;
  retry: RetryOptions;
  sleep: Sleep;
  signal?: AbortSignal;
  classify: (error: unknown) => ErrorVerdict;
  /** Epoch ms: no retry wait ends past it. */
  deadline?: number;
  /** Called for each retry taken from the budget (an item's count for its report line). */
  onRetry?: () => void;
}

/**
 * Runs `call`, retrying transient failures. Every retry is taken from the run's budget, so a
 * bad night cannot retry without end; a final failure is a value with the reason.
 */
export async function withRetries<T>(call: () => Promise<T>, ctx: RetryContext): Promise<Result<T>> {
  const result = await retryLoop<T>(
    async () => {
      try {
        return { done: true, value: await call() };
      } catch (error) {
        return { done: false, ...ctx.classify(error) };
      }
    },
    {
      retry: ctx.retry,
      sleep: ctx.sleep,
      signal: ctx.signal,
      takeRetry: () => {
        const taken = takeRetry(ctx.budget);
        if (taken) ctx.onRetry?.();
        return taken;
      },
      deadline: ctx.deadline,
    },
  );
  if (result.ok) return { ok: true, value: result.value };
  switch (result.stop) {
    case "final":
      return fail(`${ctx.label}: ${result.why}`);
    case "attempts":
      return fail(`${ctx.label}: ${result.why} (gave up after ${result.attempts} attempts)`);
    case "retry-after":
      return fail(
        `${ctx.label}: ${result.why}; the server asks to wait ${Math.ceil(result.afterMs / 1000)} s, ` +
          `more than the ${Math.round(ctx.retry.maxRetryAfterMs / 1000)} s a run waits`,
      );
    case "budget":
      return fail(`${ctx.label}: ${result.why}; the run's retry budget is spent`);
    case "deadline":
      return fail(`${ctx.label}: ${result.why}; no time left to retry before the deadline`);
    case "aborted":
      return fail(`${ctx.label}: aborted while waiting to retry`);
  }
}
