/** The ingest's safe HTTP client: address rules on every hop, size and time caps, retries, robots.txt, conditional GET. */
import { lookup } from "node:dns/promises";
import { STATUS_CODES } from "node:http";
import { isIP } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, buildConnector, interceptors, type Dispatcher } from "undici";
import { fail, ok, skip, type Failure, type Result } from "../../article/result.ts";
import { SITE } from "../../site.config.ts";
import { checkAddress, isHostAllowed, parseAllowHosts, type AllowedHost } from "./address-guard.ts";
import { createHttpCache, type CachedResponse, type HttpCache } from "./http-cache.ts";
import { robotsFromResponse, robotsUrlFor, type RobotsRules } from "./robots.ts";

export type Accept = "html" | "feed" | "json" | "image" | "text";

export interface FetcherOptions {
  /** Names the site, e.g. "ThemataBot/0.1 (+https://themata.ai/about/)"; its first token is matched in robots.txt. */
  userAgent: string;
  /** Resolving the name, then opening the connection (each gets this long). */
  connectTimeoutMs: number;
  /** From sending the request to the last response header. */
  headersTimeoutMs: number;
  /** The whole body, first byte to last (a server that drips bytes is cut off here). */
  bodyTimeoutMs: number;
  /** Largest body accepted, counted after decompression (default 5 MB). */
  maxBytes: number;
  maxRedirects: number;
  /** Retries after the first attempt, on 429, 5xx and network errors. */
  retries: number;
  retryBaseMs: number;
  /** Longest wait between attempts; a Retry-After longer than this is a failure, not a shorter wait. */
  retryMaxMs: number;
  /** Requests in flight to one host name at once. */
  perHostConcurrency: number;
  /** Requests in flight in total. */
  globalConcurrency: number;
  /** `host` or `host:port` as written in URLs: the only way to reach loopback and private addresses. */
  allowHosts: string[];
  /** DNS for host names (default: the system resolver, every address). */
  resolve?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  /** Folder of the conditional-GET cache (ETag / Last-Modified); null for none. */
  cacheDir: string | null;
  respectRobots: boolean;
}

export interface FetchedResource {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** Decoded with the right charset for textual types, "" for images. */
  text: string;
  /** True when a 304 let us reuse the cached body. */
  fromCache: boolean;
}

export interface Fetcher {
  get(url: string, accept: Accept, signal?: AbortSignal): Promise<Result<FetchedResource>>;
  close(): Promise<void>;
}

export const DEFAULT_FETCHER_OPTIONS: FetcherOptions = {
  userAgent: `ThemataBot/0.1 (+${SITE.url}/about/)`,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  perHostConcurrency: 2,
  globalConcurrency: 8,
  allowHosts: [],
  cacheDir: ".cache/http",
  respectRobots: true,
};

/** What a request is for: a caller's kind of resource, or our own robots.txt lookup (any type). */
type Kind = Accept | "robots";

const ACCEPT_HEADER: Record<Kind, string> = {
  html: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
  feed: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
  json: "application/json,*/*;q=0.1",
  image: "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8",
  text: "text/plain,text/*;q=0.9",
  robots: "text/plain,*/*;q=0.1",
};

/** Whether a media type (lowercase, no parameters) is what the caller asked for. */
export function acceptsType(kind: Kind, type: string): boolean {
  switch (kind) {
    case "html":
      return type === "text/html" || type === "application/xhtml+xml";
    case "feed":
      return /^(application|text)\/([\w.+-]+\+)?xml$/.test(type);
    case "json":
      return /^application\/([\w.+-]+\+)?json$/.test(type);
    case "image":
      return type.startsWith("image/");
    case "text":
      return type.startsWith("text/");
    case "robots":
      return true;
  }
}

/** `text/html; charset=UTF-8` → `text/html`. */
export function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** A media type from the first bytes, for the rare response without a Content-Type header. */
export function sniffMediaType(body: Buffer): string {
  const head = body.subarray(0, 1024).toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart();
  if (head.startsWith("%PDF-")) return "application/pdf";
  if (head.startsWith("\x89PNG")) return "image/png";
  if (head.startsWith("\xFF\xD8\xFF")) return "image/jpeg";
  if (head.startsWith("GIF8")) return "image/gif";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return "image/webp";
  if (/^<(!doctype html|html|head|body)[\s>]/i.test(head)) return "text/html";
  if (head.startsWith("<?xml") || head.startsWith("<rss") || head.startsWith("<feed")) return "application/xml";
  if (head.startsWith("{") || head.startsWith("[")) return "application/json";
  return "application/octet-stream";
}

/** The encoding TextDecoder knows a label by, or null (e.g. `latin1` → `windows-1252`, `klingon` → null). */
function encodingFor(label: string | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, "")).encoding;
  } catch {
    return null;
  }
}

/**
 * The charset to decode a text body with: a byte-order mark; else the Content-Type header's
 * `charset`; else, for HTML, `<meta charset>` or `<meta http-equiv … charset=…>` in the first
 * 1024 bytes (as browsers prescan), for XML its declaration's `encoding`; else UTF-8.
 */
export function charsetOf(body: Buffer, contentType: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  const fromHeader = encodingFor(/;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType)?.[1]);
  if (fromHeader) return fromHeader;
  const type = mediaType(contentType);
  const head = body.subarray(0, 1024).toString("latin1");
  if (type === "text/html" || type === "application/xhtml+xml" || type === "") {
    const meta = encodingFor(/<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1]);
    // The HTML spec: a meta tag cannot switch to UTF-16 (the bytes were read as ASCII to find it).
    if (meta) return meta.startsWith("utf-16") ? "utf-8" : meta === "x-user-defined" ? "windows-1252" : meta;
  }
  if (type.endsWith("xml") || type === "") {
    const declared = encodingFor(/^<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1]);
    if (declared) return declared;
  }
  return "utf-8";
}

/** Body bytes as text in their charset (malformed bytes become U+FFFD; a BOM is dropped). */
export function decodeBody(body: Buffer, contentType: string): string {
  return new TextDecoder(charsetOf(body, contentType)).decode(body);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with jitter: a random wait between half and all of base·2^attempt, at most max. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A counting semaphore: `acquire` resolves to a release function once a slot is free. */
class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(signal!.reason);
      };
      this.#waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** A destination the address rules refuse; thrown by the connector before any socket exists. */
class RefusedError extends Error {
  readonly code = "THEMATA_REFUSED";
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

type Resolve = NonNullable<FetcherOptions["resolve"]>;

/** What the connector needs to decide where it may connect. */
export interface AddressRules {
  allow: AllowedHost[];
  resolve: Resolve;
  /** How long resolving may take. */
  timeoutMs: number;
}

const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, order: "verbatim" })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * The addresses a connection to `hostname:port` may use: the name resolved once, every address
 * checked (one bad address refuses the name: a resolver that mixes public and private answers is
 * how rebinding attacks start). A host in allowHosts skips the check, not the resolution.
 */
export async function checkedAddresses(
  hostname: string,
  port: number,
  rules: AddressRules,
): Promise<string[]> {
  const literal = isIP(hostname) !== 0;
  let addresses: string[];
  if (literal) {
    addresses = [hostname];
  } else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(codedError("THEMATA_RESOLVE_TIMEOUT", `could not resolve ${hostname} within ${rules.timeoutMs} ms`)),
        rules.timeoutMs,
      );
    });
    try {
      addresses = (await Promise.race([rules.resolve(hostname), timeout])).map((entry) => entry.address);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw codedError("ENOTFOUND", "the DNS answer has no address");
  }
  if (isHostAllowed(rules.allow, hostname, port)) return addresses;
  for (const address of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.ok) {
      const where = literal ? "" : `${hostname} resolves to a non-public address: `;
      throw new RefusedError(`refused: ${where}${verdict.reason}; ${hostname}:${port} is not in allowHosts`);
    }
  }
  return addresses;
}

/**
 * undici's connector, wrapped: it connects only to addresses `checkedAddresses` approved, by IP,
 * so the address checked is the address used (no second DNS lookup to rebind). TLS still verifies
 * the certificate for the host name (undici passes it as `servername`).
 */
function guardedConnector(rules: AddressRules): buildConnector.connector {
  const connectTo = buildConnector({ timeout: rules.timeoutMs, allowH2: false });
  return (params, callback) => {
    const port = Number(params.port) || (params.protocol === "https:" ? 443 : 80);
    checkedAddresses(params.hostname, port, rules).then(
      (addresses) => {
        const attempt = (index: number) =>
          connectTo({ ...params, hostname: addresses[index]! }, (...result) => {
            if (result[0] !== null && index + 1 < addresses.length) attempt(index + 1);
            else callback(...result);
          });
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}

/** The last response of a redirect chain, before the content-type and status checks that `get` makes. */
interface FinalResponse {
  finalUrl: string;
  status: number;
  statusText: string;
  /** The Content-Type header, "" when the server sent none. */
  contentType: string;
  body: Buffer;
  fromCache: boolean;
}

/** A failure with where it happened (`at`); `refused` when the address rules said no. */
type HopFailure = Failure & { at: string; refused?: boolean };
type FinalResult = { ok: true; value: FinalResponse } | HopFailure;

function hopFailure(reason: string, at: string, extra: { skip?: boolean; refused?: boolean } = {}): HopFailure {
  return { ok: false, reason, at, ...extra };
}

/** What one request/response exchange came to. */
type Exchange =
  | { type: "body"; status: number; statusText: string; contentType: string; etag: string | null; lastModified: string | null; body: Buffer }
  | { type: "status"; status: number; statusText: string }
  | { type: "redirect"; location: string }
  | { type: "not-modified" }
  | { type: "retry"; reason: string; retryAfterMs: number | null }
  | { type: "failure"; reason: string; skip?: boolean; refused?: boolean };

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "THEMATA_RESOLVE_TIMEOUT",
]);

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * The safe fetcher. Every hop of a redirect chain is checked: scheme, robots.txt of its origin,
 * and (in the connector, after DNS, before connecting) the address rules. Bodies are streamed and
 * cut off at `maxBytes` (decompressed) or `bodyTimeoutMs`, never buffered past the cap.
 * Throws only for options that make no sense (a malformed allowHosts entry).
 */
export function createFetcher(overrides: Partial<FetcherOptions> = {}): Fetcher {
  const options: FetcherOptions = { ...DEFAULT_FETCHER_OPTIONS, ...overrides };
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
  const globalSlots = new Semaphore(options.globalConcurrency);
  const hostSlots = new Map<string, Semaphore>();
  const robotsByOrigin = new Map<string, Promise<Result<RobotsRules> & { refused?: boolean }>>();
  let closed = false;

  function describeError(error: unknown, url: URL): { reason: string; retryable: boolean; refused?: boolean } {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    switch (code) {
      case "THEMATA_REFUSED":
        return { reason: message, retryable: false, refused: true };
      case "THEMATA_RESOLVE_TIMEOUT":
        return { reason: message, retryable: true };
      case "UND_ERR_CONNECT_TIMEOUT":
        return { reason: `could not connect to ${url.host} within ${options.connectTimeoutMs} ms`, retryable: true };
      case "UND_ERR_HEADERS_TIMEOUT":
        return { reason: `no response headers within ${options.headersTimeoutMs} ms`, retryable: true };
      case "UND_ERR_BODY_TIMEOUT":
        return { reason: `the body stalled for ${options.bodyTimeoutMs} ms`, retryable: false };
      case "THEMATA_BODY_DEADLINE":
        return { reason: `the body did not arrive within ${options.bodyTimeoutMs} ms`, retryable: false };
      case "UND_ERR_RES_EXCEEDED_MAX_SIZE": {
        const decompressed = /decompressed/i.test(message);
        return {
          reason: `the body is larger than ${megabytes(options.maxBytes)}${decompressed ? " once decompressed" : ""} (maxBytes); download stopped`,
          retryable: false,
        };
      }
      case "ENOTFOUND":
        return { reason: `${url.hostname} does not resolve (${message})`, retryable: false };
    }
    if (typeof code === "string" && RETRYABLE_ERRORS.has(code)) {
      return { reason: message.includes(code) ? message : `${message} (${code})`, retryable: true };
    }
    if (typeof code === "string" && code.startsWith("Z_")) return { reason: `the body could not be decompressed: ${message}`, retryable: false };
    return { reason: message, retryable: false };
  }

  async function readBody(body: Dispatcher.ResponseData["body"]): Promise<Buffer> {
    // undici's bodyTimeout is between chunks; this bounds the whole body, so a drip cannot last forever.
    const deadline = setTimeout(
      () => body.destroy(codedError("THEMATA_BODY_DEADLINE", "body deadline")),
      options.bodyTimeoutMs,
    );
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > options.maxBytes) {
          const tooLarge = codedError("UND_ERR_RES_EXCEEDED_MAX_SIZE", "body over maxBytes");
          body.destroy(tooLarge);
          throw tooLarge;
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, total);
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Drops a body we will not read; the error listener keeps the abort from being an unhandled 'error'. */
  function abandon(body: Dispatcher.ResponseData["body"]): void {
    body.on("error", () => {}).destroy();
  }

  async function discard(body: Dispatcher.ResponseData["body"]): Promise<void> {
    await body.dump({ limit: 64 * 1024, signal: AbortSignal.timeout(options.bodyTimeoutMs) }).catch(() => {});
  }

  /** One attempt at one URL, holding a host slot and a global slot from request to last body byte. */
  async function exchange(url: URL, kind: Kind, cached: CachedResponse | null, signal?: AbortSignal): Promise<Exchange> {
    let hostSlot = hostSlots.get(url.hostname);
    if (!hostSlot) hostSlots.set(url.hostname, (hostSlot = new Semaphore(options.perHostConcurrency)));
    let releaseHost: (() => void) | undefined;
    let releaseGlobal: (() => void) | undefined;
    try {
      // Host first: waiting on a busy host must not hold a global slot other hosts could use.
      releaseHost = await hostSlot.acquire(signal);
      releaseGlobal = await globalSlots.acquire(signal);
      const headers: Record<string, string> = {
        "user-agent": options.userAgent,
        accept: ACCEPT_HEADER[kind],
        "accept-encoding": "gzip, deflate, br",
        "accept-language": "en;q=1, *;q=0.5",
      };
      if (cached?.etag) headers["if-none-match"] = cached.etag;
      if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers,
        signal,
      });
      const status = response.statusCode;
      const statusText = response.statusText || STATUS_CODES[status] || "";
      const location = header(response.headers, "location");
      if (REDIRECT_STATUSES.has(status) && location) {
        await discard(response.body);
        return { type: "redirect", location };
      }
      if (status === 304 && cached) {
        await discard(response.body);
        return { type: "not-modified" };
      }
      if (isRetryableStatus(status)) {
        await discard(response.body);
        return {
          type: "retry",
          reason: `HTTP ${status} ${statusText}`.trim(),
          retryAfterMs: retryAfterMs(header(response.headers, "retry-after"), Date.now()),
        };
      }
      if (status < 200 || status >= 300) {
        await discard(response.body);
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
      const body = await readBody(response.body);
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
      if (signal?.aborted) return { type: "failure", reason: "aborted" };
      const described = describeError(error, url);
      return described.retryable
        ? { type: "retry", reason: described.reason, retryAfterMs: null }
        : { type: "failure", reason: described.reason, refused: described.refused };
    } finally {
      releaseGlobal?.();
      releaseHost?.();
    }
  }

  async function exchangeWithRetries(url: URL, kind: Kind, cached: CachedResponse | null, signal?: AbortSignal): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await exchange(url, kind, cached, signal);
      if (outcome.type !== "retry") return outcome;
      const attempts = `${attempt + 1} attempt${attempt === 0 ? "" : "s"}`;
      if (attempt >= options.retries) return { type: "failure", reason: `${outcome.reason}; gave up after ${attempts}` };
      if (outcome.retryAfterMs !== null && outcome.retryAfterMs > options.retryMaxMs) {
        return {
          type: "failure",
          reason: `${outcome.reason}; Retry-After asks for ${Math.ceil(outcome.retryAfterMs / 1000)} s, longer than retryMaxMs (${options.retryMaxMs} ms)`,
        };
      }
      try {
        await sleep(outcome.retryAfterMs ?? backoffMs(attempt, options.retryBaseMs, options.retryMaxMs), undefined, { signal });
      } catch {
        return { type: "failure", reason: "aborted" };
      }
    }
  }

  /** robots.txt of a URL's origin, fetched once per fetcher (concurrent callers share the one request). */
  function robotsFor(url: URL): Promise<Result<RobotsRules> & { refused?: boolean }> {
    let rules = robotsByOrigin.get(url.origin);
    if (!rules) {
      const robotsTxt = robotsUrlFor(url);
      rules = fetchFinal(robotsTxt, "robots").then((final) => {
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
  }

  /**
   * Follows redirects by hand so every hop is checked; returns the last response (any status) or
   * a failure saying at which hop and why.
   */
  async function fetchFinal(startUrl: string, kind: Kind, signal?: AbortSignal): Promise<FinalResult> {
    let url: URL;
    try {
      url = new URL(startUrl);
    } catch {
      return hopFailure("not a valid URL", startUrl);
    }
    const visited = new Set<string>();
    for (let redirects = 0; ; redirects++) {
      url.hash = "";
      const at = redirects === 0 ? startUrl : `${startUrl} (redirect ${redirects} to ${url.href})`;
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        return hopFailure(`only http and https URLs are fetched, not ${url.protocol}`, at);
      }
      if (closed) return hopFailure("the fetcher is closed", at);
      if (kind !== "robots" && options.respectRobots) {
        const rules = await robotsFor(url);
        if (!rules.ok) return hopFailure(rules.reason, at, { refused: rules.refused });
        if (!rules.value.allows(url.href)) return hopFailure(`robots.txt disallows ${url.pathname}${url.search}`, at);
      }
      const cached = kind !== "robots" && cache ? await cache.read(url.href) : null;
      const outcome = await exchangeWithRetries(url, kind, cached, signal);
      switch (outcome.type) {
        case "failure":
          return hopFailure(outcome.reason, at, { skip: outcome.skip, refused: outcome.refused });
        case "retry":
          return hopFailure(outcome.reason, at);
        case "redirect": {
          if (redirects >= options.maxRedirects) return hopFailure(`more than ${options.maxRedirects} redirects`, at);
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
            value: { finalUrl: url.href, status: cached!.status, statusText: "", contentType: cached!.contentType, body: cached!.body, fromCache: true },
          };
        case "status":
          return {
            ok: true,
            value: { finalUrl: url.href, status: outcome.status, statusText: outcome.statusText, contentType: "", body: Buffer.alloc(0), fromCache: false },
          };
        case "body":
          if (cache && kind !== "robots" && (outcome.etag || outcome.lastModified)) {
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

  /** One fetch as the caller sees it: the final response checked for status and type, its text decoded. */
  async function getResource(url: string, accept: Accept, signal?: AbortSignal): Promise<Result<FetchedResource>> {
    const final = await fetchFinal(url, accept, signal);
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
      try {
        return await getResource(url, accept, signal);
      } catch (error) {
        // Nothing above should throw; if something does, it is still this item's failure, not the run's.
        return fail(`${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async close() {
      closed = true;
      await agent.close();
    },
  };
}
