/** The ingest's safe HTTP client: address rules on every hop, size and time caps, retries, robots.txt, conditional GET. */
import { Agent, interceptors, type Dispatcher } from "undici";
import { fail, ok, skip, type Result } from "../../article/result.ts";
import type { RetryOptions, Sleep } from "../budget/retry.ts";
import type { FetchConfig } from "../config.ts";
import { startDeadline } from "../shared/deadline.ts";
import { parseAllowHosts } from "./address-guard.ts";
import { guardedConnector, systemResolve, type Resolve } from "./connector.ts";
import { exchangeWithRetries, type ExchangeContext } from "./exchange.ts";
import { createHttpCache, type HttpCache } from "./http-cache.ts";
import type { Accept, FetchedResource, Fetcher } from "../types.ts";
import { acceptsType, decodeBody, mediaType, sniffMediaType } from "./media.ts";
import { fetchFinal, type RedirectContext, type RobotsLookup } from "./redirects.ts";
import { robotsFromResponse, robotsUrlFor } from "./robots.ts";
import { RequestSlots } from "./slots.ts";

export { decodeBody } from "./media.ts";

/** What the fetcher needs beyond its config section: where it may connect and where it caches. */
export interface FetchAccess {
  /** `host` or `host:port` as written in URLs: the only way to reach loopback and private addresses. */
  allowHosts: string[];
  /** Folder of the conditional-GET cache (ETag / Last-Modified); null for none. */
  cacheDir: string | null;
  /** DNS for host names (default: the system resolver, every address). */
  resolve?: Resolve;
  /** Waits between retries (default: a real timer). */
  sleep?: Sleep;
}

/** The parsed `fetch` config section (defaults filled in by src/ingest/config.ts) and the access settings. */
export type FetcherOptions = FetchConfig & FetchAccess;

/** The fetch section's retry settings in the shared retry policy's terms. */
export function fetchRetryOptions(options: Pick<FetchConfig, "retries" | "retryBaseMs" | "retryMaxMs">): RetryOptions {
  return {
    maxAttempts: options.retries + 1,
    baseDelayMs: options.retryBaseMs,
    maxDelayMs: options.retryMaxMs,
    maxRetryAfterMs: options.retryMaxMs,
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * The safe fetcher. Every hop of a redirect chain is checked: scheme, robots.txt of its origin,
 * and (in the connector, after DNS, before connecting) the address rules. Bodies are streamed and
 * cut off at `maxBytes` (decompressed) or `bodyTimeoutMs`, never buffered past the cap. Each `get`
 * ends by `itemDeadlineMs` (or the caller's deadline signal, if sooner), whatever the server does.
 * Throws only for options that make no sense (a malformed allowHosts entry).
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  const allow = parseAllowHosts(options.allowHosts);
  if (!allow.ok) throw new Error(allow.reason);
  const agent = new Agent({
    connect: guardedConnector({
      allow: allow.value,
      resolve: options.resolve ?? systemResolve,
      timeoutMs: options.connectTimeoutMs,
    }),
    allowH2: false,
    maxResponseSize: options.maxBytes,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  const dispatcher: Dispatcher = agent.compose(interceptors.decompress({ maxSize: options.maxBytes }));
  const cache: HttpCache | null = options.cacheDir ? createHttpCache(options.cacheDir) : null;
  const exchangeContext: ExchangeContext = {
    dispatcher,
    slots: new RequestSlots(options.globalConcurrency, options.perHostConcurrency),
    userAgent: options.userAgent,
    limits: options,
    retry: fetchRetryOptions(options),
    sleep: options.sleep,
  };
  const robotsByOrigin = new Map<string, ReturnType<RobotsLookup>>();
  let closed = false;

  /** robots.txt of a URL's origin, fetched once per fetcher (concurrent callers share the one request). */
  const robotsFor: RobotsLookup = (url) => {
    let rules = robotsByOrigin.get(url.origin);
    if (!rules) {
      const robotsTxt = robotsUrlFor(url);
      const deadline = startDeadline(
        options.itemDeadlineMs,
        `robots.txt took longer than ${seconds(options.itemDeadlineMs)} (fetch.itemDeadlineMs)`,
      );
      rules = fetchFinal(redirects, robotsTxt, "robots", deadline.signal).then((final) => {
        deadline.clear();
        if (!final.ok) {
          return final.refused
            ? { ok: false as const, reason: final.reason, refused: true }
            : fail(`robots.txt could not be read (${final.reason}), so nothing is fetched from ${url.origin}`);
        }
        const text = new TextDecoder("utf-8").decode(final.value.body);
        return robotsFromResponse(robotsTxt, final.value.status, text, options.userAgent);
      });
      robotsByOrigin.set(url.origin, rules);
    }
    return rules;
  };

  const redirects: RedirectContext = {
    maxRedirects: options.maxRedirects,
    robots: options.respectRobots ? robotsFor : null,
    cache,
    isClosed: () => closed,
    exchange: (url, kind, cached, signal) => exchangeWithRetries(exchangeContext, url, kind, cached, signal),
  };

  /** One fetch as the caller sees it: the final response checked for status and type, its text decoded. */
  async function getResource(url: string, accept: Accept, signal?: AbortSignal): Promise<Result<FetchedResource>> {
    const final = await fetchFinal(redirects, url, accept, signal);
    if (!final.ok) return final.skip ? skip(final.reason) : fail(`${final.at}: ${final.reason}`);
    const { finalUrl, status, statusText, contentType, body, fromCache } = final.value;
    const where = finalUrl === url ? url : `${url} (redirected to ${finalUrl})`;
    if (status < 200 || status >= 300) return fail(`${where}: HTTP ${status} ${statusText}`.trim());
    const type = contentType ? mediaType(contentType) : sniffMediaType(body);
    if (!acceptsType(accept, type)) return skip(`unsupported content type ${type}`);
    return ok({
      url,
      finalUrl,
      status,
      contentType: contentType || type,
      body,
      text: accept === "image" ? "" : decodeBody(body, contentType || type),
      fromCache,
    });
  }

  return {
    async get(url, accept, signal) {
      // One deadline for the whole fetch: every hop, retry, wait and error body (and the caller's, if sooner).
      const deadline = startDeadline(
        options.itemDeadlineMs,
        `the fetch took longer than ${seconds(options.itemDeadlineMs)} (fetch.itemDeadlineMs)`,
        signal,
      );
      try {
        return await getResource(url, accept, deadline.signal);
      } catch (error) {
        // Nothing above should throw; if something does, it is still this item's failure, not the run's.
        return fail(`${url}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        deadline.clear();
      }
    },
    async close() {
      closed = true;
      await agent.close();
    },
  };
}
