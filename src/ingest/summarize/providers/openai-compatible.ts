/** Any server speaking /v1/chat/completions (llama.cpp's llama-server, vLLM, Ollama): how to send a request with a JSON-schema response_format and read its answer. */
import { Agent, fetch } from "undici";
import type { Budget } from "../../budget/cost.ts";
import { fail, ok, type Result } from "../../../article/result.ts";
import { buildPrompt, repairMessage, SUMMARY_TOOL_NAME } from "../prompt.ts";
import { checkContextFor, summaryJsonSchema } from "../answer-check.ts";
import { callModel, createRunStop, type AnswerReading, type ModelTransport } from "../model-call.ts";
import type { Summarizer, SummaryInput, TokenUsage } from "../../types.ts";
import { estimatePromptCostUsd, modelPrice, retryHooks, type ModelRunOptions, type SummarizerConfig } from "./common.ts";
import { isRetryableStatus, retryAfterMs, withRetries, type ErrorVerdict } from "../../budget/retry.ts";

export const PROVIDER_NAME = "openai-compatible";

/** The price of a model that costs nothing per token: one on your own machine or network, or one the config marks `free`. */
const FREE = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

/** Fewest characters a token holds in any tokenizer these servers run: a prompt read as fewer tokens than this allows was cut. */
const MAX_CHARS_PER_TOKEN = 6;

/** What the provider takes beside the config's `summarizer` section. */
export type OpenAiCompatibleRunOptions = ModelRunOptions;

/** True for a server on this machine or its private network (where a model costs nothing per token). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host === "::1") return true;
  if (/^(fc|fd)[0-9a-f]{2}:/.test(host) || host.startsWith("fe80:")) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!v4) return false;
  const [a, b] = [Number(v4[1]), Number(v4[2])];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/** Runs at most `limit` tasks at once, the rest in order of arrival. */
function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Why an answer cannot be used because the server cut the prompt, or null. Ollama cuts a prompt
 * past its context window (4k tokens on small GPUs) without an error; the prompt tokens it reports
 * give it away.
 */
export function promptCutReason(messages: readonly { content: string }[], promptTokens: number | undefined): string | null {
  if (promptTokens === undefined || promptTokens <= 0) return null;
  const chars = messages.reduce((sum, m) => sum + m.content.length, 0);
  const fewest = Math.floor(chars / MAX_CHARS_PER_TOKEN);
  if (promptTokens >= fewest) return null;
  return (
    `the server read only ${promptTokens} prompt tokens of a ${chars}-character prompt (at least ${fewest} tokens): ` +
    `it cut the prompt to its context window. Give the model a longer context: Ollama OLLAMA_CONTEXT_LENGTH=16384, ` +
    `llama-server --ctx-size 16384, vLLM --max-model-len 16384`
  );
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
  return content.trim()
    ? { kind: "answer", value: answerText(content), cutOff }
    : { kind: "none", error: "(answer): the message was empty", cutOff };
}

/** Sets up the server from the config's `summarizer` section (`openaiCompatible` and the shared settings). */
export function createOpenAiCompatibleSummarizer(
  config: SummarizerConfig,
  run: OpenAiCompatibleRunOptions,
): Result<OpenAiCompatibleSummarizer> {
  const server = config.openaiCompatible;
  const host = new URL(server.baseUrl).hostname;
  const local = isLocalHost(host);
  const price = modelPrice(server.model, config, server.free || local ? FREE : null);
  if (!price.ok)
    return fail(
      `no price for model ${server.model} on ${host}, which is not on this machine or network: add it under summarizer.prices ` +
        `(USD per million tokens), or set summarizer.openaiCompatible.free to true if the server charges nothing`,
    );
  // A key goes only to the server the config names it for; an empty variable counts as unset (CI sets absent secrets to "").
  const apiKey = server.apiKeyEnv ? process.env[server.apiKeyEnv] || undefined : undefined;
  if (server.apiKeyEnv && !apiKey)
    return fail(`${server.apiKeyEnv} is not set: summarizer.openaiCompatible.apiKeyEnv names it as the key for ${host}`);
  const url = chatCompletionsUrl(server.baseUrl);
  const limit = createLimiter(server.concurrency);
  const timeoutMs = server.timeoutSeconds * 1000;
  const dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const schema = summaryJsonSchema();
  const { retry, sleep } = retryHooks(run);

  const promptFor = (input: SummaryInput) =>
    buildPrompt(input, { vocabulary: input.vocabulary, randomId: run.randomId, maxArticleChars: config.maxArticleChars });

  async function post(messages: ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion> {
    const body = {
      ...server.extraBody,
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
    send: (messages, { signal, onRetry }) =>
      withRetries(() => limit(() => post(messages, signal)), {
        label: `${PROVIDER_NAME} ${url}`,
        budget: run.budget,
        retry,
        sleep,
        signal,
        classify: classifyOpenAiError,
        onRetry,
      }),
    usage: chatUsage,
    read: readChatAnswer,
    inputCut: (messages, completion) => promptCutReason(messages, completion.usage?.prompt_tokens),
    withRepair: (messages, completion, errors) => [
      ...messages,
      { role: "assistant", content: contentOf(completion) || "(empty)" },
      { role: "user", content: repairMessage(errors) },
    ],
  };
  const caller = { transport, budget: run.budget, price: price.value, stop: createRunStop() };
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
      return callModel(
        caller,
        { request, ctx: checkContextFor(input, config), estimateUsd: estimatePromptCostUsd(prompt, price.value) },
        signal,
      );
    },
    stopReason: () => caller.stop.reason,
    close: () => dispatcher.close(),
  });
}
