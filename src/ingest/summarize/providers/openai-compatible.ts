/** Summaries from any server speaking /v1/chat/completions (llama.cpp's llama-server, vLLM, Ollama) with a JSON-schema response_format. */
import { Agent, fetch } from "undici";
import { costUsd, reserve, settle, type Budget } from "../../budget/cost.ts";
import { fail, skip, type Result } from "../../../article/result.ts";
import { buildPrompt, PROMPT_VERSION, repairMessage, SUMMARY_TOOL_NAME } from "../prompt.ts";
import { checkContextFor, checkFailure, checkSummary, summaryJsonSchema, type SummaryCheckResult } from "../answer-check.ts";
import type { IngestConfig } from "../../config.ts";
import type { Summarizer, Summary, SummaryInput, TokenUsage } from "../../types.ts";
import { addUsage, NO_USAGE } from "../../budget/cost.ts";
import { capReason, estimatePromptCostUsd, resolveSettings, type ModelSummarizerOptions } from "./common.ts";
import { isRetryableStatus, retryAfterMs, withRetries, type ErrorVerdict } from "../../budget/retry.ts";

export const PROVIDER_NAME = "openai-compatible";

export interface OpenAiCompatibleOptions extends ModelSummarizerOptions {
  /** The server's root, e.g. `http://127.0.0.1:8080` (llama-server); a trailing `/v1` is accepted. */
  baseUrl: string;
  /** Sent as a Bearer token when set; defaults to `THEMATA_OPENAI_API_KEY`, then `OPENAI_API_KEY`. */
  apiKey?: string;
  /** Sampling temperature; the server's default when unset. */
  temperature?: number;
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

/** The provider's options from the config's `summarizer` section, for a run with `budget`. */
export function openAiCompatibleOptionsFromConfig(config: IngestConfig["summarizer"], budget: Budget): OpenAiCompatibleOptions {
  const server = config.openaiCompatible;
  return {
    baseUrl: server.baseUrl,
    model: server.model,
    maxTokens: server.maxTokens,
    timeoutMs: server.timeoutSeconds * 1000,
    ...(server.temperature !== undefined ? { temperature: server.temperature } : {}),
    prices: config.prices,
    budget,
    extraTags: config.extraTags,
    allowUnknownTags: config.allowUnknownTags,
    maxArticleChars: config.maxArticleChars,
  };
}

export function createOpenAiCompatibleSummarizer(options: OpenAiCompatibleOptions): Result<OpenAiCompatibleSummarizer> {
  if (!options.model) return fail("the openai-compatible provider needs summarizer.model (the model name the server serves)");
  if (!/^https?:\/\//.test(options.baseUrl ?? "")) return fail(`summarizer.baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
  // Local hardware is slow: a generous default timeout; self-hosted models cost nothing per token unless priced in config.
  const resolved = resolveSettings({ timeoutMs: 600_000, ...options }, { model: options.model, zeroPriceIfUnknown: true });
  if (!resolved.ok) return resolved;
  const settings = resolved.value;
  // An empty variable counts as unset (CI sets absent secrets to "").
  const apiKey = options.apiKey || process.env.THEMATA_OPENAI_API_KEY || process.env.OPENAI_API_KEY || undefined;
  const url = chatCompletionsUrl(options.baseUrl);
  const dispatcher = new Agent({ headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs });
  const schema = summaryJsonSchema();

  const promptFor = (input: SummaryInput) =>
    buildPrompt(input, { vocabulary: [...input.vocabulary, ...settings.extraTags], randomId: settings.randomId, maxArticleChars: settings.maxArticleChars });

  async function post(messages: ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion> {
    const body = {
      model: settings.model,
      messages,
      max_tokens: settings.maxTokens,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      response_format: { type: "json_schema", json_schema: { name: SUMMARY_TOOL_NAME, schema, strict: true } },
      stream: false,
    };
    const timeout = AbortSignal.timeout(settings.timeoutMs);
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

  const send = (messages: ChatMessage[], signal?: AbortSignal) =>
    withRetries(() => post(messages, signal), {
      label: `${PROVIDER_NAME} ${url}`,
      budget: settings.budget,
      retry: settings.retry,
      sleep: settings.sleep,
      signal,
      classify: classifyOpenAiError,
    });

  function estimateCostUsd(input: SummaryInput): number {
    return estimatePromptCostUsd(promptFor(input), settings);
  }

  async function summarize(input: SummaryInput, signal?: AbortSignal): Promise<Result<Summary>> {
    const estimate = estimateCostUsd(input);
    if (!reserve(settings.budget, estimate)) return skip(capReason(settings.budget, estimate));
    try {
      const prompt = promptFor(input);
      const ctx = checkContextFor(input, settings);
      const messages: ChatMessage[] = [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
      ];
      let usage = NO_USAGE;
      let cost = 0;
      for (let turn = 1; ; turn++) {
        const completion = await send(messages, signal);
        if (!completion.ok) return turn === 1 ? completion : fail(`${completion.reason} (asking again after an invalid answer)`);
        const callUsage = chatUsage(completion.value);
        const callCost = costUsd(callUsage, settings.price);
        settle(settings.budget, 0, callCost);
        usage = addUsage(usage, callUsage);
        cost += callCost;

        const choice = completion.value.choices?.[0];
        const content = choice?.message?.content ?? "";
        let result: SummaryCheckResult = content.trim()
          ? checkSummary(answerText(content), ctx)
          : checkFailure(["(answer): the message was empty"]);
        if (choice?.finish_reason === "length" && !result.ok)
          result = checkFailure([`(answer): cut off at the ${settings.maxTokens}-token limit; write every field shorter`, ...result.errors]);
        if (result.ok)
          return { ok: true, value: { output: result.value, usage, costUsd: cost, provider: PROVIDER_NAME, model: settings.model, promptVersion: PROMPT_VERSION } };
        if (turn === 2) return fail(`${result.reason} (after one retry with the errors)`);
        messages.push({ role: "assistant", content: content || "(empty)" }, { role: "user", content: repairMessage(result.errors) });
      }
    } finally {
      settle(settings.budget, estimate, 0);
    }
  }

  return {
    ok: true,
    value: {
      name: PROVIDER_NAME,
      model: settings.model,
      budget: settings.budget,
      estimateCostUsd,
      summarize,
      close: () => dispatcher.close(),
    },
  };
}
