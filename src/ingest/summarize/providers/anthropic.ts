/** Claude through the official SDK: how to send a request (one forced tool, a cached stable prefix, our own retries) and read its answer. */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import type { ContentBlockParam, Message, MessageCreateParamsNonStreaming, MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import { BATCH_PRICE_FACTOR, estimateTokens, type Budget } from "../../budget/cost.ts";
import { fail, ok, type Result } from "../../../article/result.ts";
import { buildPrompt, repairMessage, SUMMARY_TOOL_DESCRIPTION, SUMMARY_TOOL_NAME, type BuiltPrompt } from "../prompt.ts";
import { checkContextFor, summaryJsonSchema } from "../answer-check.ts";
import { callModel, createRunStop, type AnswerReading, type Asked, type ModelCaller, type ModelTransport } from "../model-call.ts";
import type { Summarizer, SummaryInput, TokenUsage } from "../../types.ts";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { estimatePromptCostUsd, modelPrice, retryHooks, type ModelRunOptions, type SummarizerConfig } from "./common.ts";
import { isRetryableStatus, retryAfterMs, withRetries, type ErrorVerdict, type RetryContext } from "../../budget/retry.ts";

export const PROVIDER_NAME = "anthropic";

/**
 * The shortest prompt prefix each model caches, in tokens (Anthropic's prompt-caching docs).
 * A prefix below it is processed normally even when marked, so it is not marked.
 */
export const MIN_CACHEABLE_TOKENS: Readonly<Record<string, number>> = {
  "claude-haiku-5-5": 512,
  "claude-haiku-4-5": 4096,
  "claude-haiku-4-5-20251001": 4096,
  "claude-sonnet-5-5": 512,
};
/** For a model not listed: the largest minimum in use, so a prefix is never marked in vain. */
export const UNLISTED_MIN_CACHEABLE_TOKENS = 4096;

export function minCacheableTokens(model: string, override?: number): number {
  return override ?? MIN_CACHEABLE_TOKENS[model] ?? UNLISTED_MIN_CACHEABLE_TOKENS;
}

/**
 * How each model is asked for the answer's JSON, with constrained decoding where it has it:
 * `strict-tool` forces the one tool with `strict: true`; `output-format` sends no tool and asks
 * for the JSON as `output_config.format` (Claude Sonnet 5.5 rejects forced tool use, and takes
 * `between_tools` to keep thinking off). A model not listed gets the forced tool without `strict`,
 * which every tool-using model accepts. The answer check stays the final word either way.
 */
export const ANSWER_MODES: Readonly<Record<string, AnswerMode>> = {
  "claude-haiku-5-5": "strict-tool",
  "claude-haiku-4-5": "strict-tool",
  "claude-haiku-4-5-20251001": "strict-tool",
  "claude-sonnet-5-5": "output-format",
};
export type AnswerMode = "tool" | "strict-tool" | "output-format";

export function answerModeFor(model: string): AnswerMode {
  return ANSWER_MODES[model] ?? "tool";
}

/** The caching rule: mark the stable prefix only when it reaches the model's minimum cacheable length. */
export function shouldCachePrefix(prefixTokens: number, minTokens: number): boolean {
  return prefixTokens >= minTokens;
}

/** What the provider takes beside the config's `summarizer` section. */
export interface AnthropicRunOptions extends ModelRunOptions {
  /** Defaults to `ANTHROPIC_API_KEY` from the environment. */
  apiKey?: string;
  /** Defaults to the SDK's own: `ANTHROPIC_BASE_URL`, else the public API. */
  baseURL?: string;
  /** Count the prefix with the token-counting endpoint (once per run) instead of estimating it. Default true. */
  countPrefixTokens?: boolean;
}

/** A request ready to send, with what its answer is checked against. */
export interface PreparedRequest extends Asked<MessageCreateParamsNonStreaming> {
  prompt: BuiltPrompt;
  /** True when the system prefix carries `cache_control`. */
  cached: boolean;
}

/** Claude as the one-call module and the batch path use it. */
export interface AnthropicModel {
  readonly client: Anthropic;
  readonly caller: ModelCaller<MessageCreateParamsNonStreaming, Message>;
  readonly config: SummarizerConfig;
  /** The expected cost of summarizing `input`, from its size (for the spend cap). */
  estimateCostUsd(input: SummaryInput, options?: { batch?: boolean }): number;
  /** The request for `input`; `batch` marks the cached prefix for an hour (a batch can take longer than 5 minutes). */
  prepare(input: SummaryInput, options?: { batch?: boolean }): Promise<PreparedRequest>;
  /** How a call labelled `label` is retried: the run's budget, policy and clock, and this SDK's errors. */
  retryContext(label: string, signal?: AbortSignal, onRetry?: () => void): RetryContext;
}

export interface AnthropicSummarizer extends Summarizer {
  readonly model: string;
  readonly budget: Budget;
  /** The expected cost of summarizing `input`, from its size (for the spend cap). */
  estimateCostUsd(input: SummaryInput): number;
}

/** Tokens from the API's usage: `input_tokens` is the uncached part; cache reads and writes are apart. */
export function usageOf(message: Pick<Message, "usage">): TokenUsage {
  const u = message.usage;
  return {
    input: u.input_tokens ?? 0,
    cachedInput: u.cache_read_input_tokens ?? 0,
    cacheWrite: u.cache_creation_input_tokens ?? 0,
    output: u.output_tokens ?? 0,
  };
}

/** What an SDK error means for the call; the message never includes the key. */
export function classifyAnthropicError(error: unknown): ErrorVerdict {
  if (error instanceof APIUserAbortError) return { retry: false, why: "aborted" };
  if (error instanceof APIConnectionTimeoutError) return { retry: true, afterMs: null, why: "request timed out" };
  if (error instanceof APIConnectionError) return { retry: true, afterMs: null, why: `connection failed (${error.message})` };
  if (error instanceof APIError && typeof error.status === "number") {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const why = `HTTP ${error.status}${body?.error?.type ? ` ${body.error.type}` : ""}: ${body?.error?.message ?? error.message}`;
    return isRetryableStatus(error.status)
      ? { retry: true, afterMs: retryAfterMs(error.headers ?? undefined), why }
      : { retry: false, why };
  }
  return { retry: false, why: error instanceof Error ? error.message : String(error) };
}

function toolUseOf(message: Message): { id: string; input: unknown } | null {
  const block = message.content.find((b) => b.type === "tool_use" && b.name === SUMMARY_TOOL_NAME);
  return block && block.type === "tool_use" ? { id: block.id, input: block.input } : null;
}

function textOf(message: Message): string {
  return message.content
    .map((b) => (b.type === "text" ? b.text : ""))
    .join("")
    .trim();
}

/** Reads the tool call out of an answer (or, without one, JSON in its text). */
export function readAnthropicAnswer(message: Message): AnswerReading {
  if (message.stop_reason === "refusal") return { kind: "refused", reason: "the model declined to answer (stop_reason refusal)" };
  const cutOff = message.stop_reason === "max_tokens";
  const toolUse = toolUseOf(message);
  if (toolUse) return { kind: "answer", value: toolUse.input, cutOff };
  const text = textOf(message);
  if (text) return { kind: "answer", value: text, cutOff };
  return { kind: "none", error: `(answer): no call of ${SUMMARY_TOOL_NAME}`, cutOff };
}

/** The request with one more exchange: the rejected answer, then the validation errors. */
export function withRepairTurn(
  params: MessageCreateParamsNonStreaming,
  message: Message,
  errors: string[],
): MessageCreateParamsNonStreaming {
  const toolUse = toolUseOf(message);
  let assistant: ContentBlockParam[];
  let reply: MessageParam;
  if (toolUse) {
    const input = typeof toolUse.input === "object" && toolUse.input !== null ? toolUse.input : {};
    assistant = [{ type: "tool_use", id: toolUse.id, name: SUMMARY_TOOL_NAME, input }];
    reply = { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, is_error: true, content: repairMessage(errors) }] };
  } else {
    assistant = [{ type: "text", text: textOf(message) || "(no answer)" }];
    reply = { role: "user", content: repairMessage(errors) };
  }
  return { ...params, messages: [...params.messages, { role: "assistant", content: assistant }, reply] };
}

/** Sets up Claude from the config's `summarizer` section, or says why it cannot start (no key, a model without a price). */
export function createAnthropicModel(config: SummarizerConfig, run: AnthropicRunOptions): Result<AnthropicModel> {
  const section = config.anthropic;
  const priced = modelPrice(section.model, config);
  if (!priced.ok) return priced;
  const price = priced.value;
  const apiKey = run.apiKey ?? process.env.ANTHROPIC_API_KEY;
  if (!apiKey) return fail("ANTHROPIC_API_KEY is not set: the anthropic provider needs an API key in the environment");
  const timeout = section.timeoutSeconds * 1000;
  const { retry, sleep } = retryHooks(run);

  // maxRetries 0: every retry is ours, so each one is counted in the run's budget.
  const client = new Anthropic({ apiKey, ...(run.baseURL ? { baseURL: run.baseURL } : {}), maxRetries: 0, timeout });
  const mode = answerModeFor(section.model);
  // The API's constrained decoding takes a subset of JSON Schema: the SDK moves the rest (lengths, counts) into descriptions.
  const schema =
    mode === "tool"
      ? summaryJsonSchema()
      : (transformJSONSchema(summaryJsonSchema() as Parameters<typeof transformJSONSchema>[0]) as Record<string, unknown>);
  const tool: Tool = {
    name: SUMMARY_TOOL_NAME,
    description: SUMMARY_TOOL_DESCRIPTION,
    input_schema: schema as Tool.InputSchema,
    ...(mode === "strict-tool" ? { strict: true } : {}),
  };
  const tools = mode === "output-format" ? [] : [tool];
  const minTokens = minCacheableTokens(section.model, section.minCacheTokens);
  const cacheDecisions = new Map<string, Promise<boolean>>();

  /** Tokens of the stable prefix (tools + system): counted by the API once per distinct prefix, else estimated. */
  async function prefixTokens(system: string): Promise<number> {
    const estimate = estimateTokens(system) + estimateTokens(JSON.stringify(tools.length > 0 ? tools : schema));
    if (run.countPrefixTokens === false) return estimate;
    try {
      const counted = await client.messages.countTokens(
        {
          model: section.model,
          system: [{ type: "text", text: system }],
          ...(tools.length > 0 ? { tools } : {}),
          messages: [{ role: "user", content: "." }],
        },
        { maxRetries: 0, timeout },
      );
      return counted.input_tokens;
    } catch {
      return estimate; // counting is an optimisation; a failure must not fail the item
    }
  }

  function cacheDecision(system: string): Promise<boolean> {
    let decision = cacheDecisions.get(system);
    if (!decision) {
      decision = prefixTokens(system).then((tokens) => shouldCachePrefix(tokens, minTokens));
      cacheDecisions.set(system, decision);
    }
    return decision;
  }

  const promptFor = (input: SummaryInput) =>
    buildPrompt(input, { vocabulary: input.vocabulary, randomId: run.randomId, maxArticleChars: config.maxArticleChars });

  const retryContext = (label: string, signal?: AbortSignal, onRetry?: () => void): RetryContext => ({
    label,
    budget: run.budget,
    retry,
    sleep,
    signal,
    classify: classifyAnthropicError,
    onRetry,
  });

  async function prepare(input: SummaryInput, options: { batch?: boolean } = {}): Promise<PreparedRequest> {
    const prompt = promptFor(input);
    const cached = await cacheDecision(prompt.system);
    const cacheControl = options.batch ? { type: "ephemeral" as const, ttl: "1h" as const } : { type: "ephemeral" as const };
    const answerRequest: Partial<MessageCreateParamsNonStreaming> =
      mode === "output-format"
        ? // No tool: the JSON comes as text, constrained to the schema; between_tools means no thinking when no tool is called.
          { output_config: { format: { type: "json_schema", schema } }, thinking: { type: "between_tools" } }
        : {
            tools,
            tool_choice: { type: "tool", name: SUMMARY_TOOL_NAME, disable_parallel_tool_use: true },
            // Forced tool use does not go with thinking, and the fields need none.
            thinking: { type: "disabled" },
          };
    const request: MessageCreateParamsNonStreaming = {
      model: section.model,
      max_tokens: section.maxTokens,
      system: [{ type: "text", text: prompt.system, ...(cached ? { cache_control: cacheControl } : {}) }],
      ...answerRequest,
      messages: [{ role: "user", content: prompt.user }],
    };
    return { request, ctx: checkContextFor(input, config), estimateUsd: estimatePromptCostUsd(prompt, price), prompt, cached };
  }

  const transport: ModelTransport<MessageCreateParamsNonStreaming, Message> = {
    provider: PROVIDER_NAME,
    model: section.model,
    maxTokens: section.maxTokens,
    send: (params, { signal, onRetry }) =>
      withRetries(
        () => client.messages.create(params, { signal, maxRetries: 0, timeout }),
        retryContext("anthropic messages", signal, onRetry),
      ),
    usage: usageOf,
    read: readAnthropicAnswer,
    withRepair: withRepairTurn,
  };

  return ok({
    client,
    caller: { transport, budget: run.budget, price, stop: createRunStop() },
    config,
    estimateCostUsd: (input, options = {}) => estimatePromptCostUsd(promptFor(input), price, options.batch ? BATCH_PRICE_FACTOR : 1),
    prepare,
    retryContext,
  });
}

/** Summaries from Claude one item at a time, through the one model call. */
export function createAnthropicSummarizer(config: SummarizerConfig, run: AnthropicRunOptions): Result<AnthropicSummarizer> {
  const created = createAnthropicModel(config, run);
  if (!created.ok) return created;
  const model = created.value;
  return ok({
    name: PROVIDER_NAME,
    model: config.anthropic.model,
    budget: run.budget,
    estimateCostUsd: (input) => model.estimateCostUsd(input),
    summarize: async (input: SummaryInput, signal?: AbortSignal) => callModel(model.caller, await model.prepare(input), signal),
    stopReason: () => model.caller.stop.reason,
  });
}
