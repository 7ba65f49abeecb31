/** A night's items as one Anthropic Message Batch (half price): submit, poll until ended or a time limit, match results by custom_id. */
import { createHash } from "node:crypto";
import type {
  Message,
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageCreateParamsNonStreaming,
} from "@anthropic-ai/sdk/resources/messages";
import { reserve, settle } from "../../budget/cost.ts";
import { fail, ok, skip, type Result } from "../../../article/result.ts";
import type { SummaryCheckContext } from "../answer-check.ts";
import { fromList, type Passage } from "../passages.ts";
import { bookAnswer, capReason, finishAnswer, noteFailedCall, type Spent } from "../model-call.ts";

/** Batch answers: half price, cache writes at the 1-hour price. */
const BATCH_COST = { batch: true, cacheWriteTtl: "1h" } as const;
import type { BatchItem, BatchRunResult, BatchSummarizer, PendingBatch, Summary, SummaryInput } from "../../types.ts";
import { createAnthropicModel, type AnthropicModel, type AnthropicRunOptions, type PreparedRequest } from "./anthropic.ts";
import type { SummarizerConfig } from "./common.ts";
import { withRetries } from "../../budget/retry.ts";
import { adoptCreated, CLOCK_SLACK_MS, createBatchOnce } from "./anthropic-batch-create.ts";

/** What the next run needs to collect an Anthropic batch and check its answers without the items at hand. */
export interface AnthropicPendingBatch extends PendingBatch {
  provider: "anthropic";
  batchId: string;
  model: string;
  submittedAt: string;
  vocabulary: string[];
  /** Per request, what its answer is checked against: the passages (and comment ids) the prompt showed when the batch was sent. */
  /**
   * Set while the create has no answer yet: the record is saved before the batch is sent, so a run
   * killed in between leaves the next run what it needs to find the batch (made since `since`,
   * with `count` requests) instead of a billed batch nobody collects. `batchId` is empty then.
   */
  unconfirmed?: { since: number; count: number };
  requests: { customId: string; key: string; commentIds: string[]; originalTitle?: string; passages?: Passage[] }[];
}

/** A batch run's results, with the pending record in its Anthropic shape. */
export type AnthropicBatchRunResult = BatchRunResult & { pending: AnthropicPendingBatch | null };

/** What an answer is checked against, and the request that asked for it (null when it is no longer at hand). */
interface AnswerContext {
  ctx: SummaryCheckContext;
  request: MessageCreateParamsNonStreaming | null;
  /** A direct call's expected cost, held against the cap before a repair turn. */
  estimateUsd: number;
}

export interface BatchOptions {
  /** How long a run waits for the batch to end before leaving it to the next run. */
  timeLimitMs: number;
  /** First wait between polls; it grows by half each poll up to `pollMaxMs`. */
  pollBaseMs?: number;
  pollMaxMs?: number;
  signal?: AbortSignal;
  /** Saves the batch's record (in the run state) before it is sent; awaited. */
  beforeCreate?: (record: AnthropicPendingBatch) => Promise<void>;
}

/** Polling pace: the API's batches take minutes to hours, so a poll every few seconds would only spend requests. */
const POLL = { pollBaseMs: 10_000, pollMaxMs: 120_000 };

/** The batch summarizer from the config's `summarizer` section (`anthropic.batchTimeLimitMinutes` bounds a run's wait). */
export function createAnthropicBatchSummarizer(
  config: SummarizerConfig,
  run: AnthropicRunOptions & { poll?: { pollBaseMs: number; pollMaxMs: number } },
): Result<BatchSummarizer> {
  const created = createAnthropicModel(config, run);
  if (!created.ok) return created;
  const model = created.value;
  const options: BatchOptions = { timeLimitMs: config.anthropic.batchTimeLimitMinutes * 60_000, ...run.poll };
  return ok({
    name: "anthropic",
    summarizeBatch: (items, hooks) => summarizeBatch(model, items, { ...options, beforeCreate: hooks?.beforeCreate }),
    collectPending: (pending, inputs) => collectPendingBatch(model, pending, { ...options, inputs }),
    stopReason: () => model.caller.stop.reason,
  });
}

function isAnthropicRecord(pending: PendingBatch): pending is AnthropicPendingBatch {
  const record = pending as Partial<AnthropicPendingBatch>;
  return record.provider === "anthropic" && Array.isArray(record.requests) && Array.isArray(record.vocabulary);
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
async function waitForBatch(model: AnthropicModel, batchId: string, options: BatchOptions): Promise<Result<Waited>> {
  const { timeLimitMs, pollBaseMs, pollMaxMs } = { ...POLL, ...options };
  const retry = model.retryContext(`anthropic batch ${batchId}`, options.signal);
  const started = Date.now();
  let waited = 0;
  let delay = pollBaseMs;
  for (;;) {
    const polled = await withRetries(
      () => model.client.messages.batches.retrieve(batchId, {}, { signal: options.signal, maxRetries: 0 }),
      retry,
    );
    if (!polled.ok) return polled;
    if (polled.value.processing_status === "ended") return { ok: true, value: { ended: true, batch: polled.value } };
    const elapsed = Math.max(Date.now() - started, waited);
    if (elapsed + delay > timeLimitMs)
      return {
        ok: true,
        value: {
          ended: false,
          reason: `batch ${batchId} still running after ${Math.round(elapsed / 1000)} s (limit ${Math.round(timeLimitMs / 1000)} s); the next run collects it`,
        },
      };
    try {
      await retry.sleep(delay, options.signal);
    } catch {
      return fail(`batch ${batchId}: aborted while polling`);
    }
    waited += delay;
    delay = Math.min(pollMaxMs, Math.round(delay * 1.5));
  }
}

/** The result of one batch entry: a checked summary (repaired once by a direct call if needed) or why not. */
async function entryResult(
  model: AnthropicModel,
  entry: MessageBatchIndividualResponse,
  asked: AnswerContext,
  spent: Spent | undefined,
  signal?: AbortSignal,
): Promise<Result<Summary>> {
  const r = entry.result;
  switch (r.type) {
    case "succeeded":
      return finishAnswer(
        model.caller,
        asked,
        r.message as Message,
        spent ?? bookAnswer(model.caller, r.message as Message, BATCH_COST),
        signal,
      );
    case "errored": {
      const e = r.error?.error as { type?: string; message?: string } | undefined;
      return fail(`batch entry errored (${e?.type ?? "error"}: ${e?.message ?? "no message"}); sent again next run`);
    }
    case "expired":
      return fail("batch entry expired before it was processed; sent again next run");
    case "canceled":
      return fail("batch entry was canceled; sent again next run");
  }
}

/** Downloads the results and matches them to the requests by custom_id; a missing entry fails its item. */
async function collectResults(
  model: AnthropicModel,
  batchId: string,
  requests: Map<string, { key: string; answer: AnswerContext }>,
  signal?: AbortSignal,
): Promise<Result<{ results: Map<string, Result<Summary>>; answered: Set<string> }>> {
  const { client } = model;
  const entries = new Map<string, MessageBatchIndividualResponse>();
  const read = await withRetries(
    async () => {
      entries.clear();
      for await (const entry of await client.messages.batches.results(batchId, {}, { signal, maxRetries: 0 }))
        entries.set(entry.custom_id, entry);
    },
    model.retryContext(`anthropic batch ${batchId} results`, signal),
  );
  if (!read.ok) return read;
  // A batch adopted after an unclear create is confirmed here: it must hold these items' custom ids.
  if (entries.size > 0 && ![...requests.keys()].some((id) => entries.has(id))) return fail(`batch ${batchId} ${NOT_THEIRS}`);
  const results = new Map<string, Result<Summary>>();
  // The whole batch is booked before any repair turn is held against the cap, so a repair sees every answer's cost.
  const spent = new Map<string, Spent>();
  for (const [customId, entry] of entries)
    if (requests.has(customId) && entry.result.type === "succeeded")
      spent.set(customId, bookAnswer(model.caller, entry.result.message as Message, BATCH_COST));
  for (const [customId, request] of requests) {
    const entry = entries.get(customId);
    results.set(
      request.key,
      entry
        ? await entryResult(model, entry, request.answer, spent.get(customId), signal)
        : fail(`no result for this item in batch ${batchId}; sent again next run`),
    );
  }
  const answered = new Set([...entries].filter(([, entry]) => entry.result.type === "succeeded").map(([customId]) => customId));
  return { ok: true, value: { results, answered } };
}

function pendingResults(keys: Iterable<string>, reason: string): Map<string, Result<Summary>> {
  return new Map([...keys].map((key) => [key, skip(reason)]));
}

/**
 * Summarizes a night's items as one batch. Items past the spend cap are refused before it is sent
 * (estimated at batch prices); a batch still running at the time limit comes back as `pending`.
 */
export async function summarizeBatch(
  model: AnthropicModel,
  items: readonly BatchItem[],
  options: BatchOptions,
): Promise<AnthropicBatchRunResult> {
  const { budget } = model.caller;
  const results = new Map<string, Result<Summary>>();
  const requests = new Map<string, { key: string; prepared: PreparedRequest }>();
  let reserved = 0;
  for (const item of items) {
    const customId = customIdFor(item.key);
    if (requests.has(customId) || results.has(item.key)) {
      results.set(item.key, fail("the same item twice in one batch"));
      continue;
    }
    const estimate = model.estimateCostUsd(item.input, { batch: true });
    if (!reserve(budget, estimate)) {
      results.set(item.key, skip(capReason(budget, estimate)));
      continue;
    }
    reserved += estimate;
    requests.set(customId, { key: item.key, prepared: await model.prepare(item.input, { batch: true }) });
  }
  if (requests.size === 0) return { results, pending: null };

  try {
    const since = Date.now() - CLOCK_SLACK_MS;
    const record = (batchId: string, submittedAt: string): AnthropicPendingBatch => ({
      provider: "anthropic",
      batchId,
      model: model.caller.transport.model,
      submittedAt,
      vocabulary: [...new Set(items.flatMap((i) => i.input.vocabulary))],
      requests: [...requests].map(([customId, r]) => ({
        customId,
        key: r.key,
        commentIds: [...r.prepared.ctx.commentIds],
        ...(r.prepared.ctx.originalTitle ? { originalTitle: r.prepared.ctx.originalTitle } : {}),
        // The next night's fetch of the page may differ: the answer is checked against what was sent.
        passages: r.prepared.ctx.passages.list,
      })),
      ...(batchId ? {} : { unconfirmed: { since, count: requests.size } }),
    });
    await options.beforeCreate?.(record("", new Date().toISOString()));
    const created = await createBatchOnce(
      model,
      [...requests].map(([customId, r]) => ({ custom_id: customId, params: r.prepared.request })),
      options.signal,
      since,
    );
    if (!created.ok) {
      noteFailedCall(model.caller.stop, created.reason);
      const stop = model.caller.stop.reason;
      for (const r of requests.values()) results.set(r.key, stop ? skip(stop) : fail(created.reason));
      return { results, pending: null };
    }
    const { batch, notes } = created.value;
    const pending = record(batch.id, batch.created_at);
    const answers = new Map([...requests].map(([customId, r]) => [customId, { key: r.key, answer: r.prepared as AnswerContext }]));
    const collected = await waitAndCollect(model, pending, answers, options);
    for (const [key, result] of collected.results) results.set(key, result);
    return { ...collected, results, notes: [...notes, ...(collected.notes ?? [])] };
  } finally {
    settle(budget, reserved, 0);
  }
}

async function waitAndCollect(
  model: AnthropicModel,
  pending: AnthropicPendingBatch,
  answers: Map<string, { key: string; answer: AnswerContext }>,
  options: BatchOptions,
): Promise<AnthropicBatchRunResult> {
  const keys = [...answers.values()].map((a) => a.key);
  const waited = await waitForBatch(model, pending.batchId, options);
  if (!waited.ok && isPermanentFailure(waited.reason)) return returnedToQueue(keys, pending.batchId, waited.reason);
  if (!waited.ok) return { results: pendingResults(keys, `${waited.reason}; the next run collects the batch`), pending };
  if (!waited.value.ended) return { results: pendingResults(keys, waited.value.reason), pending };
  const collected = await collectResults(model, pending.batchId, answers, options.signal);
  if (!collected.ok && isPermanentFailure(collected.reason)) return returnedToQueue(keys, pending.batchId, collected.reason);
  if (!collected.ok) return { results: pendingResults(keys, `${collected.reason}; the next run collects the batch`), pending };
  // Entries the batch did not answer (errored, expired, canceled, missing) go back to the queue.
  const unanswered = [...answers].filter(([customId]) => !collected.value.answered.has(customId)).map(([, a]) => a.key);
  return { results: collected.value.results, pending: null, ...(unanswered.length > 0 ? { returned: unanswered } : {}) };
}

/** Why an adopted batch is given up when its results arrive. */
const NOT_THEIRS = "holds none of these items' custom ids, so it is not theirs";

/** A failure no later poll gets past: a 4xx other than timeout, conflict and rate limit (the batch is gone), or a batch that is not ours. */
function isPermanentFailure(reason: string): boolean {
  if (reason.includes(NOT_THEIRS)) return true;
  const status = /\bHTTP (4\d\d)\b/.exec(reason)?.[1];
  return status !== undefined && !["408", "409", "429"].includes(status);
}

/** The batch is given up: its items go back to the queue for the next run. */
function returnedToQueue(keys: string[], batchId: string, reason: string): AnthropicBatchRunResult {
  return {
    results: pendingResults(keys, `batch ${batchId} cannot be read (${reason}): its items go back to the queue`),
    pending: null,
    returned: keys,
  };
}

/**
 * Collects a batch an earlier run left running. `inputs` (by item key), when the caller has
 * the items again, lets an invalid answer be asked once more; without them it fails cleanly.
 */
export async function collectPendingBatch(
  model: AnthropicModel,
  pending: PendingBatch,
  options: BatchOptions & { inputs?: ReadonlyMap<string, SummaryInput> },
): Promise<BatchRunResult> {
  // Another provider's record is not ours to collect: it stays pending for a run that can.
  if (!isAnthropicRecord(pending)) return { results: new Map(), pending };
  const notes: string[] = [];
  let batch: AnthropicPendingBatch = pending;
  if (batch.unconfirmed) {
    // A run stopped between saving the record and hearing back from the create: find the batch it made.
    const found = await adoptCreated(model, batch.unconfirmed.since, batch.unconfirmed.count, options.signal).catch(() => null);
    const keys = batch.requests.map((r) => r.key);
    if (!found)
      return {
        results: pendingResults(keys, "the last run's batch create had no answer and made no batch: its items go back to the queue"),
        pending: null,
        returned: keys,
      };
    notes.push(...found.notes);
    const { unconfirmed: _done, ...rest } = batch;
    batch = { ...rest, batchId: found.batch.id, submittedAt: found.batch.created_at };
  }
  const answers = new Map<string, { key: string; answer: AnswerContext }>();
  for (const r of batch.requests) {
    const ctx: SummaryCheckContext = {
      vocabulary: batch.vocabulary,
      allowUnknownTags: model.config.allowUnknownTags,
      commentIds: new Set(r.commentIds),
      originalTitle: r.originalTitle,
      // A record from before passages were kept checks against none: its citations cannot hold, so it fails cleanly.
      passages: fromList(r.passages ?? []),
    };
    const input = options.inputs?.get(r.key);
    // A fresh prompt for the same item lets the repair turn carry the data again, but only when it
    // shows the very passages recorded: the check stays the one of the batch.
    const prepared = input ? await model.prepare(input) : null;
    const samePassages = prepared !== null && JSON.stringify(prepared.ctx.passages.list) === JSON.stringify(ctx.passages.list);
    answers.set(r.customId, {
      key: r.key,
      answer: { ctx, request: samePassages ? prepared.request : null, estimateUsd: prepared?.estimateUsd ?? 0 },
    });
  }
  const collected = await waitAndCollect(model, batch, answers, options);
  return notes.length > 0 ? { ...collected, notes: [...notes, ...(collected.notes ?? [])] } : collected;
}
