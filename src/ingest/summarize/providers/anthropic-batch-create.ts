/** Creating a Message Batch at most once: after an unclear failure, the batch it may have made is found and adopted, never sent twice. */
import { APIConnectionError, APIError } from "@anthropic-ai/sdk";
import type { MessageBatch, BatchCreateParams } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Result } from "../../../article/result.ts";
import { withRetries } from "../../budget/retry.ts";
import type { AnthropicModel } from "./anthropic.ts";

/** How far before the attempt a batch may be dated and still be its (clocks differ between us and the API). */
export const CLOCK_SLACK_MS = 60_000;

/** A created batch, and what the report should say about how it was found. */
export interface CreatedBatch {
  batch: MessageBatch;
  notes: string[];
}

/**
 * A failure after which the batch may exist: a timeout, a dropped connection, or a 5xx other than
 * 529 (overloaded: refused before it was processed). A 4xx or 529 made nothing.
 */
export function mayHaveCreated(error: unknown): boolean {
  if (error instanceof APIError && typeof error.status === "number") return error.status >= 500 && error.status !== 529;
  return error instanceof APIConnectionError; // the timeout error is a connection error too
}

function requestCount(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}

/**
 * The batches made since `since` with `count` requests: the first is adopted, any later ones
 * (a create that reached the API more than once) are canceled, so only one is billed.
 */
export async function adoptCreated(
  model: AnthropicModel,
  since: number,
  count: number,
  signal?: AbortSignal,
): Promise<CreatedBatch | null> {
  const found: MessageBatch[] = [];
  // Newest first: stop at the first batch older than the attempt.
  for await (const batch of model.client.messages.batches.list({ limit: 20 }, { signal, maxRetries: 0 })) {
    if (Date.parse(batch.created_at) < since) break;
    if (requestCount(batch) === count) found.push(batch);
  }
  if (found.length === 0) return null;
  found.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id));
  const [adopted, ...extra] = found;
  const notes = [`the batch create had no clear answer; batch ${adopted.id}, made by it, was adopted`];
  for (const batch of extra) {
    try {
      await model.client.messages.batches.cancel(batch.id, {}, { signal, maxRetries: 0 });
      notes.push(`batch ${batch.id}, a second copy of the same create, was canceled`);
    } catch (error) {
      notes.push(
        `batch ${batch.id}, a second copy of the same create, could not be canceled (${(error as Error).message}): cancel it in the console`,
      );
    }
  }
  return { batch: adopted, notes };
}

/**
 * Creates the batch. Each try is sent once; after a failure that may have made the batch, the
 * batches made since the first try with the same request count are looked up and one is adopted
 * before anything is sent again. The custom ids are confirmed when the results arrive.
 */
export async function createBatchOnce(
  model: AnthropicModel,
  requests: BatchCreateParams["requests"],
  signal?: AbortSignal,
  since = Date.now() - CLOCK_SLACK_MS,
): Promise<Result<CreatedBatch>> {
  return withRetries(
    async () => {
      try {
        return { batch: await model.client.messages.batches.create({ requests }, { signal, maxRetries: 0 }), notes: [] };
      } catch (error) {
        if (!mayHaveCreated(error)) throw error;
        const adopted = await adoptCreated(model, since, requests.length, signal).catch(() => null);
        if (adopted) return adopted;
        throw error; // nothing was made: the retry policy decides on another try
      }
    },
    model.retryContext("anthropic batch create", signal),
  );
}
