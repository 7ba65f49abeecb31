/** Following a redirect chain by hand, so that every hop is checked (scheme, robots.txt, cache) before it is requested. */
import type { Failure, Result } from "../../article/result.ts";
import { abortReason } from "../shared/deadline.ts";
import type { Exchange } from "./exchange.ts";
import type { CachedResponse, HttpCache } from "./http-cache.ts";
import type { Kind } from "./media.ts";
import type { RobotsRules } from "./robots.ts";

/** The last response of a redirect chain, before the content-type and status checks that `get` makes. */
export interface FinalResponse {
  finalUrl: string;
  status: number;
  statusText: string;
  /** The Content-Type header, "" when the server sent none. */
  contentType: string;
  body: Buffer;
  fromCache: boolean;
}

/** A failure with where it happened (`at`); `refused` when the address rules said no. */
export type HopFailure = Failure & { at: string; refused?: boolean };
export type FinalResult = { ok: true; value: FinalResponse } | HopFailure;

/** robots.txt rules of an origin, or why they could not be had (`refused`: the address rules said no). */
export type RobotsLookup = (url: URL) => Promise<Result<RobotsRules> & { refused?: boolean }>;

export interface RedirectContext {
  maxRedirects: number;
  /** robots.txt per origin; null when robots.txt is not consulted. */
  robots: RobotsLookup | null;
  cache: HttpCache | null;
  isClosed: () => boolean;
  /** One URL with its retries. */
  exchange: (url: URL, kind: Kind, cached: CachedResponse | null, signal?: AbortSignal) => Promise<Exclude<Exchange, { type: "retry" }>>;
}

/** `promise`'s value, or null as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | null> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function hopFailure(reason: string, at: string, extra: { skip?: boolean; refused?: boolean } = {}): HopFailure {
  return { ok: false, reason, at, ...extra };
}

/**
 * Follows redirects from `startUrl`; returns the last response (any status) or a failure saying
 * at which hop and why. robots.txt and the cache are used for every kind but `robots` itself.
 */
export async function fetchFinal(ctx: RedirectContext, startUrl: string, kind: Kind, signal?: AbortSignal): Promise<FinalResult> {
  let url: URL;
  try {
    url = new URL(startUrl);
  } catch {
    return hopFailure("not a valid URL", startUrl);
  }
  const cache = kind !== "robots" ? ctx.cache : null;
  const visited = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    url.hash = "";
    const at = redirects === 0 ? startUrl : `${startUrl} (redirect ${redirects} to ${url.href})`;
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return hopFailure(`only http and https URLs are fetched, not ${url.protocol}`, at);
    }
    if (ctx.isClosed()) return hopFailure("the fetcher is closed", at);
    if (signal?.aborted) return hopFailure(abortReason(signal), at);
    if (kind !== "robots" && ctx.robots) {
      // robots.txt is shared by every caller on the origin; this caller waits for it only until its own deadline.
      const rules = await untilAborted(ctx.robots(url), signal);
      if (rules === null) return hopFailure(abortReason(signal!), at);
      if (!rules.ok) return hopFailure(rules.reason, at, { refused: rules.refused });
      if (!rules.value.allows(url.href)) return hopFailure(`robots.txt disallows ${url.pathname}${url.search}`, at);
    }
    const cached = cache ? await cache.read(url.href) : null;
    const outcome = await ctx.exchange(url, kind, cached, signal);
    switch (outcome.type) {
      case "failure":
        return hopFailure(outcome.reason, at, { skip: outcome.skip, refused: outcome.refused });
      case "redirect": {
        if (redirects >= ctx.maxRedirects) return hopFailure(`more than ${ctx.maxRedirects} redirects`, at);
        let next: URL;
        try {
          next = new URL(outcome.location, url);
        } catch {
          return hopFailure(`redirected to an invalid URL ${JSON.stringify(outcome.location)}`, at);
        }
        visited.add(url.href);
        next.hash = "";
        if (visited.has(next.href)) return hopFailure(`redirect loop: ${next.href} again`, at);
        url = next;
        continue;
      }
      case "not-modified":
        return {
          ok: true,
          value: {
            finalUrl: url.href,
            status: cached!.status,
            statusText: "",
            contentType: cached!.contentType,
            body: cached!.body,
            fromCache: true,
          },
        };
      case "status":
        return {
          ok: true,
          value: {
            finalUrl: url.href,
            status: outcome.status,
            statusText: outcome.statusText,
            contentType: "",
            body: Buffer.alloc(0),
            fromCache: false,
          },
        };
      case "body":
        if (cache && (outcome.etag || outcome.lastModified)) {
          await cache.write({
            url: url.href,
            status: outcome.status,
            contentType: outcome.contentType,
            etag: outcome.etag,
            lastModified: outcome.lastModified,
            storedAt: new Date().toISOString(),
            body: outcome.body,
          });
        }
        return {
          ok: true,
          value: {
            finalUrl: url.href,
            status: outcome.status,
            statusText: outcome.statusText,
            contentType: outcome.contentType,
            body: outcome.body,
            fromCache: false,
          },
        };
    }
  }
}
