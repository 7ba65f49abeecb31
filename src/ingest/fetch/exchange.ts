/** One request to one URL and what it came to (body, status, redirect, retry, failure), and its retries. */
import { STATUS_CODES } from "node:http";
import type { Dispatcher } from "undici";
import { parseRetryAfter, realSleep, retryLoop, type RetryOptions, type Sleep } from "../budget/retry.ts";
import { abortReason, deadlineOf } from "../shared/deadline.ts";
import { abandon, discard, readBody } from "./body.ts";
import type { CachedResponse } from "./http-cache.ts";
import { ACCEPT_HEADER, acceptsType, mediaType, type Kind } from "./media.ts";
import type { RequestSlots } from "./slots.ts";
import { describeError, isRetryableWebStatus, type ErrorLimits } from "./web-retry.ts";

/** What one request/response exchange came to. */
export type Exchange =
  | {
      type: "body";
      status: number;
      statusText: string;
      contentType: string;
      etag: string | null;
      lastModified: string | null;
      body: Buffer;
    }
  | { type: "status"; status: number; statusText: string }
  | { type: "redirect"; location: string }
  | { type: "not-modified" }
  | { type: "retry"; reason: string; retryAfterMs: number | null }
  | { type: "failure"; reason: string; skip?: boolean; refused?: boolean };

export interface ExchangeContext {
  dispatcher: Dispatcher;
  slots: RequestSlots;
  userAgent: string;
  limits: ErrorLimits;
  retry: RetryOptions;
  sleep?: Sleep;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** One attempt at one URL, holding a host slot and a global slot from request to last body byte. */
export async function exchange(
  ctx: ExchangeContext,
  url: URL,
  kind: Kind,
  cached: CachedResponse | null,
  signal?: AbortSignal,
): Promise<Exchange> {
  let release: (() => void) | undefined;
  try {
    release = await ctx.slots.acquire(url.hostname, signal);
    const headers: Record<string, string> = {
      "user-agent": ctx.userAgent,
      accept: ACCEPT_HEADER[kind],
      "accept-encoding": "gzip, deflate, br",
      "accept-language": "en;q=1, *;q=0.5",
    };
    if (cached?.etag) headers["if-none-match"] = cached.etag;
    if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
    const response = await ctx.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers,
      signal,
    });
    const status = response.statusCode;
    const statusText = response.statusText || STATUS_CODES[status] || "";
    const location = header(response.headers, "location");
    const { bodyTimeoutMs } = ctx.limits;
    // Bodies of redirects and errors are read only to reuse the connection, within the same deadline.
    if (REDIRECT_STATUSES.has(status) && location) {
      await discard(response.body, bodyTimeoutMs, signal);
      return { type: "redirect", location };
    }
    if (status === 304 && cached) {
      await discard(response.body, bodyTimeoutMs, signal);
      return { type: "not-modified" };
    }
    if (isRetryableWebStatus(status)) {
      await discard(response.body, bodyTimeoutMs, signal);
      return {
        type: "retry",
        reason: `HTTP ${status} ${statusText}`.trim(),
        retryAfterMs: parseRetryAfter(header(response.headers, "retry-after"), Date.now()),
      };
    }
    if (status < 200 || status >= 300) {
      await discard(response.body, bodyTimeoutMs, signal);
      return { type: "status", status, statusText };
    }
    const contentType = header(response.headers, "content-type") ?? "";
    if (contentType && !acceptsType(kind, mediaType(contentType))) {
      abandon(response.body);
      return { type: "failure", reason: `unsupported content type ${mediaType(contentType)}`, skip: true };
    }
    // The decompress interceptor removes Content-Encoding it decoded; one left over is one it could not.
    const leftover = header(response.headers, "content-encoding");
    if (leftover && leftover.trim().toLowerCase() !== "identity") {
      abandon(response.body);
      return { type: "failure", reason: `unsupported content encoding ${leftover}` };
    }
    const body = await readBody(response.body, ctx.limits);
    return {
      type: "body",
      status,
      statusText,
      contentType,
      etag: header(response.headers, "etag") ?? null,
      lastModified: header(response.headers, "last-modified") ?? null,
      body,
    };
  } catch (error) {
    if (signal?.aborted) return { type: "failure", reason: abortReason(signal) };
    const described = describeError(error, url, ctx.limits);
    return described.retryable
      ? { type: "retry", reason: described.reason, retryAfterMs: null }
      : { type: "failure", reason: described.reason, refused: described.refused };
  } finally {
    release?.();
  }
}

/** `exchange`, tried again on a retryable outcome under the retry policy; never returns `retry`. */
export async function exchangeWithRetries(
  ctx: ExchangeContext,
  url: URL,
  kind: Kind,
  cached: CachedResponse | null,
  signal?: AbortSignal,
): Promise<Exclude<Exchange, { type: "retry" }>> {
  const result = await retryLoop<Exclude<Exchange, { type: "retry" }>>(
    async () => {
      const outcome = await exchange(ctx, url, kind, cached, signal);
      return outcome.type === "retry"
        ? { done: false, retry: true, afterMs: outcome.retryAfterMs, why: outcome.reason }
        : { done: true, value: outcome };
    },
    { retry: ctx.retry, sleep: ctx.sleep ?? realSleep, signal, deadline: deadlineOf(signal) },
  );
  if (result.ok) return result.value;
  switch (result.stop) {
    case "retry-after":
      return {
        type: "failure",
        reason: `${result.why}; Retry-After asks for ${Math.ceil(result.afterMs / 1000)} s, longer than retryMaxMs (${ctx.retry.maxRetryAfterMs} ms)`,
      };
    case "aborted":
      return { type: "failure", reason: `${result.why}; then ${signal ? abortReason(signal) : "aborted"} while waiting to retry` };
    case "deadline":
      return {
        type: "failure",
        reason: `${result.why}; no time left before the deadline to wait ${Math.ceil(result.waitMs / 1000)} s for attempt ${result.attempts + 1}`,
      };
    default:
      return { type: "failure", reason: `${result.why}; gave up after ${result.attempts} attempt${result.attempts === 1 ? "" : "s"}` };
  }
}
