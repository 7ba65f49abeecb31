/** A night's items as one Anthropic Message Batch (half price): submit, poll until ended or a time limit, match results by custom_id. */
import { createHash } from "node:crypto";
import type { MessageBatch, MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { costUsd, reserve, settle } from "../../budget/cost.ts";
import { fail, skip, type Result } from "../../../article/result.ts";
import type { IngestConfig } from "../../config.ts";
import type { SummaryCheckContext } from "../answer-check.ts";
import type { Summary, SummaryInput } from "../../types.ts";
import { classifyAnthropicError, usageOf, type AnswerContext, type AnthropicSummarizer, type PreparedRequest } from "./anthropic.ts";
import { capReason } from "./common.ts";
import { withRetries } from "../../budget/retry.ts";

/** One item of the night: `key` identifies it to the caller (its URL). */
export interface BatchItem {
  key: string;
  input: SummaryInput;
}

/**
 * A batch still running when the run had to stop: what the next run needs to collect it and
 * check its answers without the items at hand. JSON-serialisable; the pipeline keeps it in its run state.
 */
export interface PendingBatch {
  provider: "anthropic";
  batchId: string;
  model: string;
  submittedAt: string;
  vocabulary: string[];
  requests: { customId: string; key: string; commentIds: string[]; originalTitle?: string }[];
}

export interface BatchRunResult {
  /** Per item key: a summary, or why not. Items of a still-running batch are `skip`s naming the batch. */
  results: Map<string, Result<Summary>>;
  /** Set when the batch was still running at the time limit: record it, the next run collects it first. */
  pending: PendingBatch | null;
}

export interface BatchOptions {
  /** How long a run waits for the batch to end before leaving it to the next run. */
  timeLimitMs?: number;
  /** First wait between polls; it grows by half each poll up to `pollMaxMs`. */
  pollBaseMs?: number;
  pollMaxMs?: number;
  signal?: AbortSignal;
}

const DEFAULTS = { timeLimitMs: 30 * 60_000, pollBaseMs: 10_000, pollMaxMs: 120_000 };

/** Batch options from the config's `summarizer` section. */
export function batchOptionsFromConfig(config: IngestConfig["summarizer"]): BatchOptions {
  return { timeLimitMs: config.anthropic.batchTimeLimitMinutes * 60_000 };
}

/** A custom_id from the item's key: deterministic (the next run can recompute it) and within the API's charset. */
export function customIdFor(key: string): string {
  return `item-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}

type Waited = { ended: true; batch: MessageBatch } | { ended: false; reason: string };

/**
 * Polls the batch with growing waits until it has ended or the time limit would pass. Time is
 * the larger of the wall clock and the waits made, so an instant test clock still ends.
 */
async function waitForBatch(summarizer: AnthropicSummarizer, batchId: string, options: BatchOptions): Promise<Result<Waited>> {
  const { timeLimitMs, pollBaseMs, pollMaxMs } = { ...DEFAULTS, ...options };
  const { settings, client } = summarizer;
  const started = Date.now();
  let waited = 0;
  let delay = pollBaseMs;
  for (;;) {
    const polled = await withRetries(() => client.messages.batches.retrieve(batchId, {}, { signal: options.signal, maxRetries: 0 }), {
      label: `anthropic batch ${batchId}`,
      budget: settings.budget,
      retry: settings.retry,
      sleep: settings.sleep,
      signal: options.signal,
      classify: classifyAnthropicError,
    });
    if (!polled.ok) return polled;
    if (polled.value.processing_status === "ended") return { ok: true, value: { ended: true, batch: polled.value } };
    const elapsed = Math.max(Date.now() - started, waited);
    if (elapsed + delay > timeLimitMs)
      return { ok: true, value: { ended: false, reason: `batch ${batchId} still running after ${Math.round(elapsed / 1000)} s (limit ${Math.round(timeLimitMs / 1000)} s); the next run collects it` } };
    try {
      await settings.sleep(delay, options.signal);
    } catch {
      return fail(`batch ${batchId}: aborted while polling`);
    }
    waited += delay;
    delay = Math.min(pollMaxMs, Math.round(delay * 1.5));
  }
}

/** The result of one batch entry: a checked summary (repaired once by a direct call if needed) or why not. */
async function entryResult(
  summarizer: AnthropicSummarizer,
  entry: MessageBatchIndividualResponse,
  request: AnswerContext,
  signal?: AbortSignal,
): Promise<Result<Summary>> {
  const r = entry.result;
  switch (r.type) {
    case "succeeded": {
      const usage = usageOf(r.message);
      const cost = costUsd(usage, summarizer.settings.price, { batch: true });
      settle(summarizer.budget, 0, cost);
      return summarizer.finish(request, r.message, { usage, costUsd: cost }, signal);
    }
    case "errored": {
      const e = r.error?.error as { type?: string; message?: string } | undefined;
      return fail(`batch entry errored (${e?.type ?? "error"}: ${e?.message ?? "no message"}); retried next run`);
    }
    case "expired":
      return fail("batch entry expired before it was processed; retried next run");
    case "canceled":
      return fail("batch entry was canceled; retried next run");
  }
}

/** Downloads the results and matches them to the requests by custom_id; a missing entry fails its item. */
async function collectResults(
  summarizer: AnthropicSummarizer,
  batchId: string,
  requests: Map<string, { key: string; answer: AnswerContext }>,
  signal?: AbortSignal,
): Promise<Result<Map<string, Result<Summary>>>> {
  const { settings, client } = summarizer;
  const entries = new Map<string, MessageBatchIndividualResponse>();
  const read = await withRetries(
    async () => {
      entries.clear();
      for await (const entry of await client.messages.batches.results(batchId, {}, { signal, maxRetries: 0 })) entries.set(entry.custom_id, entry);
    },
    { label: `anthropic batch ${batchId} results`, budget: settings.budget, retry: settings.retry, sleep: settings.sleep, signal, classify: classifyAnthropicError },
  );
  if (!read.ok) return read;
  const results = new Map<string, Result<Summary>>();
  for (const [customId, request] of requests) {
    const entry = entries.get(customId);
    results.set(
      request.key,
      entry ? await entryResult(summarizer, entry, request.answer, signal) : fail(`no result for this item in batch ${batchId}; retried next run`),
    );
  }
  return { ok: true, value: results };
}

function pendingResults(keys: Iterable<string>, reason: string): Map<string, Result<Summary>> {
  return new Map([...keys].map((key) => [key, skip(reason)]));
}

/**
 * Summarizes a night's items as one batch. Items past the spend cap are refused before it is sent
 * (estimated at batch prices); a batch still running at the time limit comes back as `pending`.
 */
export async function summarizeBatch(summarizer: AnthropicSummarizer, items: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchRunResult> {
  const results = new Map<string, Result<Summary>>();
  const requests = new Map<string, { key: string; prepared: PreparedRequest }>();
  let reserved = 0;
  for (const item of items) {
    const customId = customIdFor(item.key);
    if (requests.has(customId) || results.has(item.key)) {
      results.set(item.key, fail("the same item twice in one batch"));
      continue;
    }
    const estimate = summarizer.estimateCostUsd(item.input, { batch: true });
    if (!reserve(summarizer.budget, estimate)) {
      results.set(item.key, skip(capReason(summarizer.budget, estimate)));
      continue;
    }
    reserved += estimate;
    requests.set(customId, { key: item.key, prepared: await summarizer.prepare(item.input) });
  }
  if (requests.size === 0) return { results, pending: null };

  try {
    const { settings, client } = summarizer;
    const created = await withRetries(
      () =>
        client.messages.batches.create(
          { requests: [...requests].map(([customId, r]) => ({ custom_id: customId, params: r.prepared.params })) },
          { signal: options.signal, maxRetries: 0 },
        ),
      { label: "anthropic batch create", budget: settings.budget, retry: settings.retry, sleep: settings.sleep, signal: options.signal, classify: classifyAnthropicError },
    );
    if (!created.ok) {
      for (const r of requests.values()) results.set(r.key, fail(created.reason));
      return { results, pending: null };
    }
    const batchId = created.value.id;
    const pending: PendingBatch = {
      provider: "anthropic",
      batchId,
      model: summarizer.model,
      submittedAt: created.value.created_at,
      vocabulary: [...new Set(items.flatMap((i) => i.input.vocabulary))],
      requests: [...requests].map(([customId, r]) => ({
        customId,
        key: r.key,
        commentIds: [...r.prepared.ctx.commentIds],
        ...(r.prepared.ctx.originalTitle ? { originalTitle: r.prepared.ctx.originalTitle } : {}),
      })),
    };
    const answers = new Map([...requests].map(([customId, r]) => [customId, { key: r.key, answer: r.prepared as AnswerContext }]));
    const collected = await waitAndCollect(summarizer, pending, answers, options);
    for (const [key, result] of collected.results) results.set(key, result);
    return { results, pending: collected.pending };
  } finally {
    settle(summarizer.budget, reserved, 0);
  }
}

async function waitAndCollect(
  summarizer: AnthropicSummarizer,
  pending: PendingBatch,
  answers: Map<string, { key: string; answer: AnswerContext }>,
  options: BatchOptions,
): Promise<BatchRunResult> {
  const keys = [...answers.values()].map((a) => a.key);
  const waited = await waitForBatch(summarizer, pending.batchId, options);
  if (!waited.ok) return { results: pendingResults(keys, `${waited.reason}; the next run collects the batch`), pending };
  if (!waited.value.ended) return { results: pendingResults(keys, waited.value.reason), pending };
  const collected = await collectResults(summarizer, pending.batchId, answers, options.signal);
  if (!collected.ok) return { results: pendingResults(keys, `${collected.reason}; the next run collects the batch`), pending };
  return { results: collected.value, pending: null };
}

/**
 * Collects a batch an earlier run left running. `inputs` (by item key), when the caller has
 * the items again, lets an invalid answer be asked once more; without them it fails cleanly.
 */
export async function collectPendingBatch(
  summarizer: AnthropicSummarizer,
  pending: PendingBatch,
  options: BatchOptions & { inputs?: ReadonlyMap<string, SummaryInput> } = {},
): Promise<BatchRunResult> {
  const answers = new Map<string, { key: string; answer: AnswerContext }>();
  for (const r of pending.requests) {
    const ctx: SummaryCheckContext = {
      vocabulary: pending.vocabulary,
      extraTags: summarizer.settings.extraTags,
      allowUnknownTags: summarizer.settings.allowUnknownTags,
      commentIds: new Set(r.commentIds),
      originalTitle: r.originalTitle,
    };
    const input = options.inputs?.get(r.key);
    // A fresh prompt for the same item lets the repair turn carry the data again; the check stays the one recorded.
    const params = input ? (await summarizer.prepare(input)).params : null;
    answers.set(r.customId, { key: r.key, answer: { ctx, params } });
  }
  return waitAndCollect(summarizer, pending, answers, options);
}
