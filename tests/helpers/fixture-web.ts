/**
 * A fixture web server on loopback for ingest tests and the demo: routes from a table, built-in
 * misbehaviours, and a log of every request.
 *
 *   const web = await startFixtureWeb({
 *     "/article": html("<h1>Hi</h1>"),                       // a route: status, headers, body
 *     "/feed.xml": { headers: { "content-type": "application/rss+xml" }, body: rss },
 *     "/robots.txt": robotsTxt("User-agent: *\nDisallow: /private"),
 *     "/slow": drip({ intervalMs: 100 }),                   // or a handler (req, res) => …
 *     "/hn/*": (req, res) => …,                              // a trailing * matches by prefix
 *   });
 *   web.url            // "http://127.0.0.1:41234"; web.hostPort: "127.0.0.1:41234" (for allowHosts)
 *   web.route(path, r) // add or replace a route while running
 *   web.requests       // every request: { method, path, headers, at, status, bodyBytes, finished }
 *   web.requestsTo("/article"), web.maxInFlight, web.close()
 *
 * `startFixtureWeb(routes, { host: "127.0.0.2" })` listens on another loopback address.
 * Unknown paths answer 404 (so robots.txt is absent unless routed: allow all).
 *
 * Route builders: `html(body, { charset, headers, status })`, `text`, `json(value)`, `pdf()`,
 * `empty()`, `robotsTxt(text)`, `redirect(location, status)`, `conditional({ body, etag,
 * lastModified, contentType })` (answers 304 to a matching If-None-Match / If-Modified-Since).
 * Misbehaviours: `drip({ intervalMs, chunks })` (headers, then one byte per interval),
 * `stall()` (never answers), `hugeBody({ bytes, declareLength })` (streams zeros with backpressure;
 * `.stats.sent` counts bytes actually written), `gzipBomb({ decodedBytes, encoding })` (a small
 * gzip or br body that inflates to decodedBytes), `flaky({ failures, status, retryAfter, then })`
 * (fails the first N requests, then serves `then`; `tooManyRequests(retryAfter, then)` is the 429
 * case), `delayed(ms, route)` (answers after a pause, to hold requests in flight).
 * Redirect loops and chains are tables of `redirect`s.
 *
 * `recordClientSockets()` lists every TCP client socket this process opens until `stop()`: proof
 * that a refused fetch opened none, and that the others went only to 127.0.0.0/8.
 *
 * Pure Node (no test-runner imports), so scripts such as the demo can use it too.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { constants, createBrotliCompress, createGzip } from "node:zlib";
import { startLoopbackServer } from "./loopback-server.ts";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A canned answer; `body` as bytes or UTF-8 text. */
export interface StaticRoute {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export type Route = StaticRoute | RouteHandler;
export type RouteTable = Record<string, Route>;

export interface RecordedRequest {
  method: string;
  /** Path and query, as requested. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** Filled in as the response goes out. */
  status: number | null;
  /** Body bytes written (before any transfer encoding). */
  bodyBytes: number;
  /** True when the response was fully sent; false when the client went away first. */
  finished: boolean;
}

export interface FixtureWeb {
  url: string;
  host: string;
  port: number;
  /** `host:port`, the form `allowHosts` takes. */
  hostPort: string;
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  /** Most requests ever being answered at once. */
  readonly maxInFlight: number;
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

function findRoute(routes: Map<string, Route>, path: string): Route | undefined {
  const pathname = path.split("?")[0]!;
  const exact = routes.get(path) ?? routes.get(pathname);
  if (exact) return exact;
  let best: [string, Route] | undefined;
  for (const [pattern, route] of routes) {
    if (pattern.endsWith("*") && pathname.startsWith(pattern.slice(0, -1)) && (!best || pattern.length > best[0].length)) {
      best = [pattern, route];
    }
  }
  return best?.[1];
}

function serveStatic(route: StaticRoute, res: ServerResponse): void {
  res.writeHead(route.status ?? 200, route.headers ?? {});
  res.end(route.body ?? "");
}

export async function startFixtureWeb(routes: RouteTable = {}, options: { host?: string } = {}): Promise<FixtureWeb> {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = await startLoopbackServer(async (req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      at: Date.now(),
      status: null,
      bodyBytes: 0,
      finished: false,
    };
    requests.push(record);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = false;
    const done = () => {
      if (counted) return;
      counted = true;
      inFlight--;
      record.status = res.statusCode;
    };
    res.on("finish", () => {
      record.finished = true;
      done();
    });
    res.on("close", done);
    // Count body bytes as the handler writes them, whatever helper it uses.
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const count = (chunk: unknown) => {
      if (typeof chunk === "string") record.bodyBytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) record.bodyBytes += chunk.length;
    };
    res.write = ((...args: unknown[]) => {
      count(args[0]);
      return write(...args);
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      if (typeof args[0] !== "function") count(args[0]);
      return end(...args);
    }) as typeof res.end;

    const route = findRoute(table, record.path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found");
    } else if (typeof route === "function") {
      await route(req, res);
    } else {
      serveStatic(route, res);
    }
  }, options.host ?? "127.0.0.1");

  return {
    url: server.url,
    host: server.host,
    port: server.port,
    hostPort: `${server.host}:${server.port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    get maxInFlight() {
      return maxInFlight;
    },
    route: (path, route) => void table.set(path, route),
    close: () => server.close(),
  };
}

// ---- Route builders ----

export function html(body: string | Buffer, options: { charset?: string | null; status?: number; headers?: Record<string, string> } = {}): StaticRoute {
  const charset = options.charset === undefined ? "utf-8" : options.charset;
  return {
    status: options.status ?? 200,
    headers: { "content-type": charset ? `text/html; charset=${charset}` : "text/html", ...options.headers },
    body,
  };
}

export function text(body: string, contentType = "text/plain; charset=utf-8"): StaticRoute {
  return { headers: { "content-type": contentType }, body };
}

export function json(value: unknown, status = 200): StaticRoute {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

export function robotsTxt(body: string): StaticRoute {
  return text(body);
}

/** A tiny but well-formed-looking PDF. */
export function pdf(): StaticRoute {
  return { headers: { "content-type": "application/pdf" }, body: "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n" };
}

/** 200, text/html, no body at all. */
export function empty(): StaticRoute {
  return { headers: { "content-type": "text/html; charset=utf-8", "content-length": "0" }, body: "" };
}

export function redirect(location: string, status = 302): StaticRoute {
  return { status, headers: { location } };
}

/** Serves `body` with validators; answers 304 (no body) when the client sends a matching one back. */
export function conditional(options: { body: string | Buffer; etag?: string; lastModified?: string; contentType?: string }): RouteHandler {
  return (req, res) => {
    const etagMatches = options.etag !== undefined && req.headers["if-none-match"] === options.etag;
    const dateMatches = options.lastModified !== undefined && req.headers["if-modified-since"] === options.lastModified;
    const validators: Record<string, string> = {};
    if (options.etag) validators.etag = options.etag;
    if (options.lastModified) validators["last-modified"] = options.lastModified;
    if (etagMatches || (options.etag === undefined && dateMatches)) {
      res.writeHead(304, validators);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": options.contentType ?? "text/html; charset=utf-8", ...validators });
    res.end(options.body);
  };
}

/** Headers at once, then one byte every `intervalMs` for `chunks` bytes (a slow-loris body). */
export function drip(options: { intervalMs: number; chunks?: number; contentType?: string }): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": options.contentType ?? "text/html; charset=utf-8" });
    let left = options.chunks ?? 10_000;
    const timer = setInterval(() => {
      if (res.destroyed || left-- <= 0) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write("x");
    }, options.intervalMs);
    res.on("close", () => clearInterval(timer));
  };
}

/** Never answers (until the client or the server gives up). */
export function stall(): RouteHandler {
  return () => {};
}

export interface HugeBodyRoute extends RouteHandler {
  stats: { sent: number; done: boolean };
}

/** `bytes` of zeros streamed in 64 KiB chunks, waiting for the client to read each (backpressure). */
export function hugeBody(options: { bytes: number; declareLength?: boolean; contentType?: string }): HugeBodyRoute {
  const stats = { sent: 0, done: false };
  const handler = (async (_req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string> = { "content-type": options.contentType ?? "text/html; charset=utf-8" };
    if (options.declareLength) headers["content-length"] = String(options.bytes);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    while (stats.sent < options.bytes && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, options.bytes - stats.sent));
      stats.sent += piece.length;
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.on("drain", go);
          res.on("close", go);
        });
      }
    }
    if (!res.destroyed) res.end();
    stats.done = true;
  }) as HugeBodyRoute;
  handler.stats = stats;
  return handler;
}

/** Compresses `decodedBytes` of spaces once (streamed, so memory stays small) and serves the result. */
export function gzipBomb(options: { decodedBytes: number; encoding?: "gzip" | "br"; contentType?: string }): RouteHandler {
  const encoding = options.encoding ?? "gzip";
  let compressed: Promise<Buffer> | undefined;
  const build = () =>
    new Promise<Buffer>((resolve, reject) => {
      const zip =
        encoding === "gzip"
          ? createGzip({ level: 9 })
          : createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
      const out: Buffer[] = [];
      zip.on("data", (d: Buffer) => out.push(d));
      zip.on("end", () => resolve(Buffer.concat(out)));
      zip.on("error", reject);
      const block = Buffer.alloc(1024 * 1024, 0x20);
      let left = options.decodedBytes;
      const pump = () => {
        while (left > 0) {
          const piece = block.subarray(0, Math.min(block.length, left));
          left -= piece.length;
          if (!zip.write(piece)) return void zip.once("drain", pump);
        }
        zip.end();
      };
      pump();
    });
  return async (_req, res) => {
    compressed ??= build();
    const body = await compressed;
    res.writeHead(200, {
      "content-type": options.contentType ?? "text/html; charset=utf-8",
      "content-encoding": encoding,
      "content-length": String(body.length),
    });
    res.end(body);
  };
}

/** Fails the first `failures` requests with `status` (and Retry-After if given), then serves `then`. */
export function flaky(options: { failures: number; status?: number; retryAfter?: string; then: Route }): RouteHandler {
  let seen = 0;
  return (req, res) => {
    if (seen++ < options.failures) {
      const headers: Record<string, string> = { "content-type": "text/plain" };
      if (options.retryAfter !== undefined) headers["retry-after"] = options.retryAfter;
      res.writeHead(options.status ?? 503, headers);
      res.end("try again later");
      return;
    }
    return typeof options.then === "function" ? options.then(req, res) : serveStatic(options.then, res);
  };
}

/** 429 with `Retry-After: retryAfter` once, then `then`. */
export function tooManyRequests(retryAfter: string, then: Route): RouteHandler {
  return flaky({ failures: 1, status: 429, retryAfter, then });
}

/** Answers after `ms` (holds the request in flight, e.g. to count concurrency). */
export function delayed(ms: number, route: Route): RouteHandler {
  return async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (res.destroyed) return;
    return typeof route === "function" ? route(req, res) : serveStatic(route, res);
  };
}

/** Every client socket the process opens (via Node's `net.client.socket` diagnostics channel). */
export function recordClientSockets(): { sockets: Socket[]; remoteAddresses(): (string | undefined)[]; stop(): void } {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown) => void sockets.push((message as { socket: Socket }).socket);
  subscribe("net.client.socket", onSocket);
  return {
    sockets,
    remoteAddresses: () => sockets.map((socket) => socket.remoteAddress),
    stop: () => void unsubscribe("net.client.socket", onSocket),
  };
}
