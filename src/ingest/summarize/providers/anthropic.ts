/** Summaries from Claude through the official SDK: one forced tool, a cached stable prefix, and retries of our own. */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
} from "@anthropic-ai/sdk/resources/messages";
import { BATCH_PRICE_FACTOR, costUsd, estimateTokens, reserve, settle, type Budget } from "../../budget/cost.ts";
import { fail, skip, type Result } from "../../../article/result.ts";
import { buildPrompt, PROMPT_VERSION, repairMessage, SUMMARY_TOOL_DESCRIPTION, SUMMARY_TOOL_NAME, type BuiltPrompt } from "../prompt.ts";
import { checkContextFor, checkFailure, checkSummary, summaryJsonSchema, type SummaryCheckContext, type SummaryCheckResult } from "../answer-check.ts";
import type { IngestConfig } from "../../config.ts";
import type { Summarizer, Summary, SummaryInput, TokenUsage } from "../../types.ts";
import { addUsage } from "../../budget/cost.ts";
import { capReason, estimatePromptCostUsd, resolveSettings, type ModelSettings, type ModelSummarizerOptions } from "./common.ts";
import { isRetryableStatus, retryAfterMs, withRetries, type ErrorVerdict } from "../../budget/retry.ts";

export const PROVIDER_NAME = "anthropic";

/** The cheapest current Claude model that writes these fields well (Claude Haiku 5.5, released 2026-10-07). */
export const DEFAULT_ANTHROPIC_MODEL = "claude-haiku-5-5";

/**
 * The shortest prompt prefix each model caches, in tokens (Anthropic's prompt-caching docs).
 * A prefix below it is processed normally even when marked, so it is not marked.
 */
export const MIN_CACHEABLE_TOKENS: Readonly<Record<string, number>> = {
  "claude-haiku-5-5": 512,
  "claude-haiku-4-5": 4096,
  "claude-haiku-4-5-20251001": 4096,
  "claude-sonnet-5-5": 1024,
};
/** For a model not listed: the largest minimum in use, so a prefix is never marked in vain. */
export const DEFAULT_MIN_CACHEABLE_TOKENS = 4096;

export function minCacheableTokens(model: string, override?: number): number {
  return override ?? MIN_CACHEABLE_TOKENS[model] ?? DEFAULT_MIN_CACHEABLE_TOKENS;
}

/** The caching rule: mark the stable prefix only when it reaches the model's minimum cacheable length. */
export function shouldCachePrefix(prefixTokens: number, minTokens: number): boolean {
  return prefixTokens >= minTokens;
}

export interface AnthropicSummarizerOptions extends ModelSummarizerOptions {
  /** Defaults to `ANTHROPIC_API_KEY` from the environment. */
  apiKey?: string;
  /** Defaults to the SDK's own: `ANTHROPIC_BASE_URL`, else the public API. */
  baseURL?: string;
  /** Overrides the model's minimum cacheable prefix length. */
  minCacheTokens?: number;
  /** Count the prefix with the token-counting endpoint (once per run) instead of estimating it. Default true. */
  countPrefixTokens?: boolean;
}

/** A request ready to send, with what its answer is checked against. */
export interface PreparedRequest {
  params: MessageCreateParamsNonStreaming;
  ctx: SummaryCheckContext;
  prompt: BuiltPrompt;
  /** True when the system prefix carries `cache_control`. */
  cached: boolean;
}

/** What an answer is checked against, and the request that asked for it (null when it is no longer at hand). */
export interface AnswerContext {
  ctx: SummaryCheckContext;
  params: MessageCreateParamsNonStreaming | null;
}

export interface AnthropicSummarizer extends Summarizer {
  readonly model: string;
  readonly budget: Budget;
  readonly client: Anthropic;
  readonly settings: ModelSettings;
  /** The expected cost of summarizing `input`, from its size (for the spend cap). */
  estimateCostUsd(input: SummaryInput, options?: { batch?: boolean }): number;
  prepare(input: SummaryInput): Promise<PreparedRequest>;
  /**
   * Checks an answer to a request and, when it is invalid, asks once more (a direct call carrying
   * the validation errors; not possible when `params` is null). Every call's cost is booked on the
   * budget as it returns.
   */
  finish(request: AnswerContext, answer: Message, spent: { usage: TokenUsage; costUsd: number }, signal?: AbortSignal): Promise<Result<Summary>>;
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

type Reading =
  | { kind: "refused"; reason: string }
  | { kind: "read"; result: SummaryCheckResult; toolUse: { id: string; input: unknown } | null; text: string };

/** Reads the tool call out of an answer and checks it. */
export function readAnswer(message: Message, ctx: SummaryCheckContext, maxTokens: number): Reading {
  if (message.stop_reason === "refusal") return { kind: "refused", reason: "the model declined to answer (stop_reason refusal)" };
  const toolBlock = message.content.find((b) => b.type === "tool_use" && b.name === SUMMARY_TOOL_NAME);
  const toolUse = toolBlock && toolBlock.type === "tool_use" ? { id: toolBlock.id, input: toolBlock.input } : null;
  const text = message.content.map((b) => (b.type === "text" ? b.text : "")).join("").trim();
  const cutOff = message.stop_reason === "max_tokens" ? [`(answer): cut off at the ${maxTokens}-token limit; write every field shorter`] : [];
  let result: SummaryCheckResult;
  if (toolUse) result = checkSummary(toolUse.input, ctx);
  else if (text) result = checkSummary(text, ctx); // no tool call: the text may still hold the JSON
  else result = checkFailure([`(answer): no call of ${SUMMARY_TOOL_NAME}`]);
  if (cutOff.length > 0 && !result.ok) result = checkFailure([...cutOff, ...result.errors]);
  return { kind: "read", result, toolUse, text };
}

/** The request with one more exchange: the rejected answer, then the validation errors. */
export function withRepairTurn(params: MessageCreateParamsNonStreaming, reading: Extract<Reading, { kind: "read" }>, errors: string[]): MessageCreateParamsNonStreaming {
  let assistant: ContentBlockParam[];
  let reply: MessageParam;
  if (reading.toolUse) {
    const input = typeof reading.toolUse.input === "object" && reading.toolUse.input !== null ? reading.toolUse.input : {};
    assistant = [{ type: "tool_use", id: reading.toolUse.id, name: SUMMARY_TOOL_NAME, input }];
    reply = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: reading.toolUse.id, is_error: true, content: repairMessage(errors) }],
    };
  } else {
    assistant = [{ type: "text", text: reading.text || "(no answer)" }];
    reply = { role: "user", content: repairMessage(errors) };
  }
  return { ...params, messages: [...params.messages, { role: "assistant", content: assistant }, reply] };
}

/** The provider's options from the config's `summarizer` section, for a run with `budget`. */
export function anthropicOptionsFromConfig(config: IngestConfig["summarizer"], budget: Budget): AnthropicSummarizerOptions {
  return {
    model: config.anthropic.model,
    maxTokens: config.anthropic.maxTokens,
    timeoutMs: config.anthropic.timeoutSeconds * 1000,
    minCacheTokens: config.anthropic.minCacheTokens,
    prices: config.prices,
    budget,
    extraTags: config.extraTags,
    allowUnknownTags: config.allowUnknownTags,
    maxArticleChars: config.maxArticleChars,
  };
}

/** Creates the provider, or says why it cannot start (no key, a model without a price). */
export function createAnthropicSummarizer(options: AnthropicSummarizerOptions = {}): Result<AnthropicSummarizer> {
  const resolved = resolveSettings(options, { model: DEFAULT_ANTHROPIC_MODEL });
  if (!resolved.ok) return resolved;
  const settings = resolved.value;
  const apiKey = options.apiKey ?? process.env.ANTHROPIC_API_KEY;
  if (!apiKey) return fail("ANTHROPIC_API_KEY is not set: the anthropic provider needs an API key in the environment");

  // maxRetries 0: every retry is ours, so each one is counted in the run's budget.
  const client = new Anthropic({ apiKey, ...(options.baseURL ? { baseURL: options.baseURL } : {}), maxRetries: 0, timeout: settings.timeoutMs });
  const tool: Tool = {
    name: SUMMARY_TOOL_NAME,
    description: SUMMARY_TOOL_DESCRIPTION,
    input_schema: summaryJsonSchema() as Tool.InputSchema,
  };
  const minTokens = minCacheableTokens(settings.model, options.minCacheTokens);
  const cacheDecisions = new Map<string, Promise<boolean>>();

  /** Tokens of the stable prefix (tools + system): counted by the API once per distinct prefix, else estimated. */
  async function prefixTokens(system: string): Promise<number> {
    const estimate = estimateTokens(system) + estimateTokens(JSON.stringify(tool));
    if (options.countPrefixTokens === false) return estimate;
    try {
      const counted = await client.messages.countTokens(
        { model: settings.model, system: [{ type: "text", text: system }], tools: [tool], messages: [{ role: "user", content: "." }] },
        { maxRetries: 0, timeout: settings.timeoutMs },
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
    buildPrompt(input, {
      vocabulary: [...input.vocabulary, ...settings.extraTags],
      randomId: settings.randomId,
      maxArticleChars: settings.maxArticleChars,
    });

  async function prepare(input: SummaryInput): Promise<PreparedRequest> {
    const prompt = promptFor(input);
    const cached = await cacheDecision(prompt.system);
    const params: MessageCreateParamsNonStreaming = {
      model: settings.model,
      max_tokens: settings.maxTokens,
      system: [{ type: "text", text: prompt.system, ...(cached ? { cache_control: { type: "ephemeral" as const } } : {}) }],
      tools: [tool],
      tool_choice: { type: "tool", name: SUMMARY_TOOL_NAME, disable_parallel_tool_use: true },
      // Forced tool use does not go with thinking, and the fields need none.
      thinking: { type: "disabled" },
      messages: [{ role: "user", content: prompt.user }],
    };
    return { params, ctx: checkContextFor(input, settings), prompt, cached };
  }

  function send(params: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<Result<Message>> {
    return withRetries(() => client.messages.create(params, { signal, maxRetries: 0, timeout: settings.timeoutMs }), {
      label: "anthropic messages",
      budget: settings.budget,
      retry: settings.retry,
      sleep: settings.sleep,
      signal,
      classify: classifyAnthropicError,
    });
  }

  async function finish(
    request: AnswerContext,
    answer: Message,
    spent: { usage: TokenUsage; costUsd: number },
    signal?: AbortSignal,
  ): Promise<Result<Summary>> {
    let { usage, costUsd: cost } = spent;
    let params = request.params;
    let message = answer;
    for (let turn = 1; ; turn++) {
      const reading = readAnswer(message, request.ctx, settings.maxTokens);
      if (reading.kind === "refused") return fail(reading.reason);
      if (reading.result.ok)
        return {
          ok: true,
          value: { output: reading.result.value, usage, costUsd: cost, provider: PROVIDER_NAME, model: settings.model, promptVersion: PROMPT_VERSION },
        };
      if (turn === 2) return fail(`${reading.result.reason} (after one retry with the errors)`);
      if (!params) return fail(`${reading.result.reason} (not asked again: the item's prompt is no longer at hand)`);
      params = withRepairTurn(params, reading, reading.result.errors);
      const next = await send(params, signal);
      if (!next.ok) return fail(`${next.reason} (asking again after: ${reading.result.reason})`);
      message = next.value;
      const callUsage = usageOf(message);
      const callCost = costUsd(callUsage, settings.price);
      settle(settings.budget, 0, callCost);
      usage = addUsage(usage, callUsage);
      cost += callCost;
    }
  }

  function estimateCostUsd(input: SummaryInput, opts: { batch?: boolean } = {}): number {
    return estimatePromptCostUsd(promptFor(input), settings, opts.batch ? BATCH_PRICE_FACTOR : 1);
  }

  async function summarize(input: SummaryInput, signal?: AbortSignal): Promise<Result<Summary>> {
    const estimate = estimateCostUsd(input);
    if (!reserve(settings.budget, estimate)) return skip(capReason(settings.budget, estimate));
    try {
      const request = await prepare(input);
      const first = await send(request.params, signal);
      if (!first.ok) return first;
      const usage = usageOf(first.value);
      const cost = costUsd(usage, settings.price);
      settle(settings.budget, 0, cost);
      return await finish(request, first.value, { usage, costUsd: cost }, signal);
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
      client,
      settings,
      estimateCostUsd,
      prepare,
      finish,
      summarize,
    },
  };
}
