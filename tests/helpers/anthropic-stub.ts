/**
 * A stub of the Anthropic API on 127.0.0.1, close enough to the wire format that the real SDK runs
 * against it unmodified: Messages (tool_use blocks, usage with cache fields, errors with
 * retry-after), token counting, and Message Batches (create, retrieve, results as JSONL).
 * Replies are programmable per test; when none is queued, a valid answer is built from the request.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startLoopbackServer } from "./loopback-server.ts";

export interface StubUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** One programmed reply of POST /v1/messages. */
export type MessagesReply =
  | { tool: unknown; stopReason?: string; usage?: Partial<StubUsage> }
  | { text: string; stopReason?: string; usage?: Partial<StubUsage> }
  | { refusal: true }
  | { error: { status: number; type: string; message: string }; headers?: Record<string, string> }
  | { hangMs: number };

/** How one batch entry ends. */
export type BatchEntryOutcome = "succeeded" | "errored" | "expired" | "canceled";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: any;
}

interface StubBatch {
  id: string;
  createdAt: string;
  requests: { custom_id: string; params: any }[];
  polls: number;
  ended: boolean;
}

export interface AnthropicStubOptions {
  /** Prefix tokens below which `cache_control` caches nothing (the model's minimum). Default 512. */
  minCacheTokens?: number;
}

export interface AnthropicStub {
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Bodies of POST /v1/messages, in order. */
  messageBodies(): any[];
  /** Replies for the next POST /v1/messages calls, in order. */
  queue(...replies: MessagesReply[]): void;
  /** Retrieve calls a batch stays `in_progress` for (Infinity: it never ends until `endBatches`). */
  pollsUntilEnded: number;
  /** How the entry at `index` of a batch ends (default: succeeded). */
  batchOutcome: (customId: string, index: number) => BatchEntryOutcome;
  /** The answer a succeeded batch entry carries (default: a valid one built from its params). */
  batchReply: (params: any, customId: string) => MessagesReply;
  /** Lets every batch end at its next retrieve. */
  endBatches(): void;
  batches: Map<string, StubBatch>;
  close(): Promise<void>;
}

/** Tokens as the stub counts them: four characters a token. */
export function stubTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function systemText(body: any): string {
  if (typeof body.system === "string") return body.system;
  return (body.system ?? []).map((b: any) => b.text ?? "").join("");
}

function systemCached(body: any): boolean {
  return Array.isArray(body.system) && body.system.some((b: any) => b.cache_control?.type === "ephemeral");
}

function messagesText(body: any): string {
  return (body.messages ?? []).map((m: any) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");
}

/** The first user message's text: the prompt with the fenced data. */
export function promptText(body: any): string {
  const first = body.messages?.[0]?.content;
  return typeof first === "string" ? first : (first ?? []).map((b: any) => b.text ?? "").join("");
}

/** Comment ids in the prompt's comments block (JSON lines starting with {"id":...}). */
export function commentIdsIn(prompt: string): string[] {
  return [...prompt.matchAll(/^\{"id":"([^"]+)"/gm)].map((m) => m[1]);
}

/** A valid answer for a prompt: cites the first comments it finds, uses vocabulary tags. */
export function goodAnswer(prompt: string): Record<string, unknown> {
  const ids = commentIdsIn(prompt);
  return {
    title: null,
    summary: "The article reports a new open-weight language model and what it means for people who run models on their own hardware.",
    takeaways: [
      "A lab released an open-weight model under a permissive licence.",
      "It runs on a single consumer GPU after quantization.",
      "Benchmarks put it close to last year's closed models.",
    ],
    tags: ["llm", "open-source", "local-ai"],
    sentiment:
      ids.length === 0
        ? null
        : {
            label: "mixed",
            positives: [{ text: "Commenters welcomed being able to run it locally.", comments: [ids[0]] }],
            concerns: [{ text: "Some doubted the benchmark numbers.", comments: [ids[1] ?? ids[0]] }],
          },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_stub_${Date.now()}`, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_stub" }, headers);
}

export async function startAnthropicStub(options: AnthropicStubOptions = {}): Promise<AnthropicStub> {
  const minCache = options.minCacheTokens ?? 512;
  const requests: RecordedRequest[] = [];
  const queued: MessagesReply[] = [];
  const cachedPrefixes = new Set<string>();
  const batches = new Map<string, StubBatch>();
  let seq = 0;

  /** Usage the way the API reports it: the marked prefix is written once, then read from the cache. */
  function usageFor(body: any, outputText: string, override: Partial<StubUsage> = {}): StubUsage {
    const prefix = systemText(body) + JSON.stringify(body.tools ?? []);
    const prefixTokens = stubTokens(prefix);
    const restTokens = stubTokens(messagesText(body));
    let usage: StubUsage = { input_tokens: prefixTokens + restTokens, output_tokens: stubTokens(outputText), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    if (systemCached(body) && prefixTokens >= minCache) {
      const key = createHash("sha256").update(`${body.model}\n${prefix}`).digest("hex");
      usage = cachedPrefixes.has(key)
        ? { ...usage, input_tokens: restTokens, cache_read_input_tokens: prefixTokens }
        : { ...usage, input_tokens: restTokens, cache_creation_input_tokens: prefixTokens };
      cachedPrefixes.add(key);
    }
    return { ...usage, ...override };
  }

  /** The Message object for a reply (not for errors/hangs). */
  function messageFor(body: any, reply: Extract<MessagesReply, { tool: unknown } | { text: string } | { refusal: true }>): any {
    seq += 1;
    let content: any[];
    let stopReason: string;
    if ("refusal" in reply) {
      content = [];
      stopReason = "refusal";
    } else if ("tool" in reply) {
      const name = body.tool_choice?.name ?? body.tools?.[0]?.name ?? "tool";
      content = [{ type: "tool_use", id: `toolu_stub_${seq}`, name, input: reply.tool, caller: { type: "direct" } }];
      stopReason = reply.stopReason ?? "tool_use";
    } else {
      content = [{ type: "text", text: reply.text, citations: null }];
      stopReason = reply.stopReason ?? "end_turn";
    }
    const usage = usageFor(body, JSON.stringify(content), "refusal" in reply ? {} : reply.usage);
    return {
      id: `msg_stub_${seq}`,
      type: "message",
      role: "assistant",
      model: body.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: {
        ...usage,
        cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: "standard",
        speed: null,
      },
    };
  }

  const stub: AnthropicStub = {
    url: "",
    requests,
    messageBodies: () => requests.filter((r) => r.method === "POST" && r.path === "/v1/messages").map((r) => r.body),
    queue: (...replies) => void queued.push(...replies),
    pollsUntilEnded: 1,
    batchOutcome: () => "succeeded",
    batchReply: (params) => ({ tool: goodAnswer(promptText(params)) }),
    endBatches: () => {
      stub.pollsUntilEnded = 0;
    },
    batches,
    close: async () => {},
  };

  function batchObject(batch: StubBatch): any {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    batch.requests.forEach((r, i) => {
      if (!batch.ended) counts.processing += 1;
      else counts[stub.batchOutcome(r.custom_id, i)] += 1;
    });
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: batch.ended ? "ended" : "in_progress",
      request_counts: counts,
      created_at: batch.createdAt,
      ended_at: batch.ended ? new Date().toISOString() : null,
      expires_at: new Date(Date.parse(batch.createdAt) + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: batch.ended ? `${stub.url}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ method: req.method ?? "GET", path: url.pathname, headers: req.headers, body });

    // SDK 1.x sends the key as `Authorization: Bearer`; older clients send `x-api-key`.
    if (!req.headers["x-api-key"] && !/^Bearer \S+/.test(req.headers.authorization ?? ""))
      return sendError(res, 401, "authentication_error", "an API key is required (x-api-key or Authorization: Bearer)");
    if (!req.headers["anthropic-version"]) return sendError(res, 400, "invalid_request_error", "anthropic-version header is required");

    if (req.method === "POST" && url.pathname === "/v1/messages/count_tokens") {
      return sendJson(res, 200, { input_tokens: stubTokens(systemText(body) + JSON.stringify(body.tools ?? []) + messagesText(body)) });
    }

    if (req.method === "POST" && url.pathname === "/v1/messages") {
      const reply = queued.shift() ?? { tool: goodAnswer(promptText(body)) };
      if ("error" in reply) return sendError(res, reply.error.status, reply.error.type, reply.error.message, reply.headers);
      if ("hangMs" in reply) {
        await new Promise((resolve) => setTimeout(resolve, reply.hangMs).unref());
        if (!res.destroyed) sendError(res, 504, "timeout_error", "stub hung");
        return;
      }
      return sendJson(res, 200, messageFor(body, reply));
    }

    if (req.method === "POST" && url.pathname === "/v1/messages/batches") {
      const ids = body.requests.map((r: any) => r.custom_id);
      if (new Set(ids).size !== ids.length) return sendError(res, 400, "invalid_request_error", "custom_id values must be unique");
      if (ids.some((id: string) => !/^[a-zA-Z0-9_-]{1,64}$/.test(id))) return sendError(res, 400, "invalid_request_error", "custom_id has invalid characters");
      const batch: StubBatch = { id: `msgbatch_stub_${batches.size + 1}`, createdAt: new Date().toISOString(), requests: body.requests, polls: 0, ended: false };
      batches.set(batch.id, batch);
      return sendJson(res, 200, batchObject(batch));
    }

    const match = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(url.pathname);
    if (req.method === "GET" && match) {
      const batch = batches.get(match[1]);
      if (!batch) return sendError(res, 404, "not_found_error", `no batch ${match[1]}`);
      if (!match[2]) {
        batch.polls += 1;
        if (batch.polls > stub.pollsUntilEnded) batch.ended = true;
        return sendJson(res, 200, batchObject(batch));
      }
      if (!batch.ended) return sendError(res, 400, "invalid_request_error", "batch has not ended");
      const lines = batch.requests.map((r, i) => {
        const outcome = stub.batchOutcome(r.custom_id, i);
        if (outcome === "errored")
          return { custom_id: r.custom_id, result: { type: "errored", error: { type: "error", error: { type: "invalid_request_error", message: "stub: request was invalid" } } } };
        if (outcome !== "succeeded") return { custom_id: r.custom_id, result: { type: outcome } };
        const reply = stub.batchReply(r.params, r.custom_id);
        if ("error" in reply || "hangMs" in reply) throw new Error("batch replies cannot be errors or hangs");
        return { custom_id: r.custom_id, result: { type: "succeeded", message: messageFor(r.params, reply) } };
      });
      res.writeHead(200, { "content-type": "application/binary" });
      res.end(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      return;
    }

    sendError(res, 404, "not_found_error", `stub has no route ${req.method} ${url.pathname}`);
  });

  stub.url = server.url;
  stub.close = server.close;
  return stub;
}
