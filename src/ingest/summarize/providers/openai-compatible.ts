/** Any server speaking /v1/chat/completions (llama.cpp's llama-server, vLLM, Ollama): how to send a request with a JSON-schema response_format and read its answer. */
import { Agent, fetch } from "undici";
import type { Budget } from "../../budget/cost.ts";
import { fail, ok, type Result } from "../../../article/result.ts";
import { buildPrompt, repairMessage, SUMMARY_TOOL_NAME } from "../prompt.ts";
import { checkContextFor, summaryJsonSchema } from "../answer-check.ts";
import { callModel, type AnswerReading, type ModelTransport } from "../model-call.ts";
import type { Summarizer, SummaryInput, TokenUsage } from "../../types.ts";
import { estimatePromptCostUsd, modelPrice, retryHooks, type ModelRunOptions, type SummarizerConfig } from "./common.ts";
import { isRetryableStatus, retryAfterMs, withRetries, type ErrorVerdict } from "../../budget/retry.ts";

export const PROVIDER_NAME = "openai-compatible";

/** A self-hosted model that is not priced in the config costs nothing per token. */
const FREE = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

/** What the provider takes beside the config's `summarizer` section. */
export interface OpenAiCompatibleRunOptions extends ModelRunOptions {
  /** Sent as a Bearer token when set; defaults to `THEMATA_OPENAI_API_KEY`, then `OPENAI_API_KEY`. */
  apiKey?: string;
}

export interface OpenAiCompatibleSummarizer extends Summarizer {
  readonly model: string;
  readonly budget: Budget;
  estimateCostUsd(input: SummaryInput): number;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/** `<base>/v1/chat/completions`, whether the base ends in `/v1` or not. */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/chat/completions`;
}

/** An HTTP error from the server, with what retrying needs. */
type HeaderLookup = { get(name: string): string | null };

class ServerError extends Error {
  readonly status: number;
  readonly headers: HeaderLookup;
  constructor(status: number, headers: HeaderLookup, message: string) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export function classifyOpenAiError(error: unknown): ErrorVerdict {
  if (error instanceof ServerError)
    return isRetryableStatus(error.status)
      ? { retry: true, afterMs: retryAfterMs(error.headers), why: error.message }
      : { retry: false, why: error.message };
  if (error instanceof Error && error.name === "TimeoutError") return { retry: true, afterMs: null, why: "request timed out" };
  if (error instanceof Error && error.name === "AbortError") return { retry: false, why: "aborted" };
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { retry: true, afterMs: null, why: `connection failed (${cause ?? error.message})` };
  }
  return { retry: false, why: error instanceof Error ? error.message : String(error) };
}

interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

interface ChatCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null };
}

/** Tokens from the response: `prompt_tokens` includes cached ones, which are split out. */
export function chatUsage(completion: ChatCompletion): TokenUsage {
  const cached = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input: Math.max(0, (completion.usage?.prompt_tokens ?? 0) - cached),
    cachedInput: cached,
    cacheWrite: 0,
    output: completion.usage?.completion_tokens ?? 0,
  };
}

/** The answer's JSON text; some servers wrap it in a Markdown code fence. */
function answerText(content: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  return fenced ? fenced[1] : content;
}

const contentOf = (completion: ChatCompletion) => completion.choices?.[0]?.message?.content ?? "";

/** Reads the JSON answer out of a completion. */
export function readChatAnswer(completion: ChatCompletion): AnswerReading {
  const content = contentOf(completion);
  const cutOff = completion.choices?.[0]?.finish_reason === "length";
  return content.trim() ? { kind: "answer", value: answerText(content), cutOff } : { kind: "none", error: "(answer): the message was empty", cutOff };
}

/** Sets up the server from the config's `summarizer` section (`openaiCompatible` and the shared settings). */
export function createOpenAiCompatibleSummarizer(config: SummarizerConfig, run: OpenAiCompatibleRunOptions): Result<OpenAiCompatibleSummarizer> {
  const server = config.openaiCompatible;
  const price = modelPrice(server.model, config, FREE);
  if (!price.ok) return price;
  // An empty variable counts as unset (CI sets absent secrets to "").
  const apiKey = run.apiKey || process.env.THEMATA_OPENAI_API_KEY || process.env.OPENAI_API_KEY || undefined;
  const url = chatCompletionsUrl(server.baseUrl);
  const timeoutMs = server.timeoutSeconds * 1000;
  const dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const schema = summaryJsonSchema();
  const { retry, sleep } = retryHooks(run);

  const promptFor = (input: SummaryInput) =>
    buildPrompt(input, { vocabulary: input.vocabulary, randomId: run.randomId, maxArticleChars: config.maxArticleChars });

  async function post(messages: ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion> {
    const body = {
      model: server.model,
      messages,
      max_tokens: server.maxTokens,
      ...(server.temperature !== undefined ? { temperature: server.temperature } : {}),
      response_format: { type: "json_schema", json_schema: { name: SUMMARY_TOOL_NAME, schema, strict: true } },
      stream: false,
    };
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(body),
      dispatcher,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
        message = (typeof parsed.error === "string" ? parsed.error : parsed.error?.message) ?? parsed.message ?? message;
      } catch {
        // not JSON: keep the start of the text
      }
      throw new ServerError(response.status, response.headers, `HTTP ${response.status}: ${message}`);
    }
    try {
      return JSON.parse(text) as ChatCompletion;
    } catch {
      throw new ServerError(502, response.headers, `HTTP ${response.status} with a body that is not JSON`);
    }
  }

  const transport: ModelTransport<ChatMessage[], ChatCompletion> = {
    provider: PROVIDER_NAME,
    model: server.model,
    maxTokens: server.maxTokens,
    send: (messages, signal) =>
      withRetries(() => post(messages, signal), { label: `${PROVIDER_NAME} ${url}`, budget: run.budget, retry, sleep, signal, classify: classifyOpenAiError }),
    usage: chatUsage,
    read: readChatAnswer,
    withRepair: (messages, completion, errors) => [
      ...messages,
      { role: "assistant", content: contentOf(completion) || "(empty)" },
      { role: "user", content: repairMessage(errors) },
    ],
  };
  const caller = { transport, budget: run.budget, price: price.value };
  const estimateCostUsd = (input: SummaryInput) => estimatePromptCostUsd(promptFor(input), price.value);

  return ok({
    name: PROVIDER_NAME,
    model: server.model,
    budget: run.budget,
    estimateCostUsd,
    summarize: (input: SummaryInput, signal?: AbortSignal) => {
      const prompt = promptFor(input);
      const request: ChatMessage[] = [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
      ];
      return callModel(caller, { request, ctx: checkContextFor(input, config), estimateUsd: estimatePromptCostUsd(prompt, price.value) }, signal);
    },
    close: () => dispatcher.close(),
  });
}
