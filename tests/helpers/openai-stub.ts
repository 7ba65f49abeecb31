/**
 * A stub of an OpenAI-compatible server (llama-server, vLLM, Ollama) on 127.0.0.1: POST
 * /v1/chat/completions with a json_schema response_format, usage in the response, errors with
 * retry-after. Replies are programmable per test; when none is queued, a valid answer is built
 * from the request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { goodAnswer, stubTokens, type RecordedRequest } from "./anthropic-stub.ts";
import { startLoopbackServer } from "./loopback-server.ts";

/** One programmed reply: message content (a string is sent as is, anything else as JSON), or an error. */
export type ChatReply =
  | { content: unknown; finishReason?: string; cachedTokens?: number }
  | { error: { status: number; message: string }; headers?: Record<string, string> };

export interface OpenAiStub {
  url: string;
  requests: RecordedRequest[];
  /** Bodies of POST /v1/chat/completions, in order. */
  chatBodies(): any[];
  queue(...replies: ChatReply[]): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The prompt text of a chat request: its first user message. */
export function chatPrompt(body: any): string {
  return body.messages?.find((m: any) => m.role === "user")?.content ?? "";
}

export async function startOpenAiStub(options: { requireKey?: string } = {}): Promise<OpenAiStub> {
  const requests: RecordedRequest[] = [];
  const queued: ChatReply[] = [];
  let seq = 0;

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ method: req.method ?? "GET", path: url.pathname, headers: req.headers, body });

    if (options.requireKey && req.headers.authorization !== `Bearer ${options.requireKey}`)
      return sendJson(res, 401, { error: { message: "invalid api key", type: "invalid_request_error" } });
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions")
      return sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
    if (body?.response_format?.type !== "json_schema" || !body.response_format.json_schema?.schema)
      return sendJson(res, 400, { error: { message: "stub expects response_format json_schema" } });

    const reply = queued.shift() ?? { content: goodAnswer(chatPrompt(body)) };
    if ("error" in reply) return sendJson(res, reply.error.status, { error: { message: reply.error.message, type: "server_error" } }, reply.headers);
    const content = typeof reply.content === "string" ? reply.content : JSON.stringify(reply.content);
    const promptTokens = stubTokens(body.messages.map((m: any) => m.content).join("\n"));
    seq += 1;
    sendJson(res, 200, {
      id: `chatcmpl-stub-${seq}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: reply.finishReason ?? "stop" }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: stubTokens(content),
        total_tokens: promptTokens + stubTokens(content),
        prompt_tokens_details: { cached_tokens: reply.cachedTokens ?? 0 },
      },
    });
  });

  return {
    url: server.url,
    requests,
    chatBodies: () => requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body),
    queue: (...replies) => void queued.push(...replies),
    close: server.close,
  };
}
