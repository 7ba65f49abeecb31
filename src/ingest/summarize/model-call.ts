/** One model call, the same for every provider: reserve budget → send → count cost → check the answer → one repair turn → release. */
import { addUsage, costUsd, reserve, settle, type Budget, type ModelPrice } from "../budget/cost.ts";
import { fail, skip, type Failure, type Result } from "../../article/result.ts";
import { checkAnswer, checkFailure, type SummaryCheckContext, type SummaryCheckResult } from "./answer-check.ts";
import { PROMPT_VERSION } from "./prompt.ts";
import type { CallFailure, Summary, TokenUsage } from "../types.ts";

/** What a provider reads out of one answer, before it is checked. */
export type AnswerReading =
  | { kind: "refused"; reason: string }
  /** `value`: the answer as an object, or as JSON text. `cutOff`: the output token limit ended it. */
  | { kind: "answer"; value: unknown; cutOff: boolean }
  /** Nothing to check: `error` says what was missing. */
  | { kind: "none"; error: string; cutOff: boolean };

/** How one provider talks to its model; everything else about a call is here, once. */
export interface ModelTransport<Request, Answer> {
  /** Provenance: the provider's name and the model it calls. */
  readonly provider: string;
  readonly model: string;
  /** Output token limit of one answer, named when an answer is cut off. */
  readonly maxTokens: number;
  /** Sends one request (retries included, each reported to `call.onRetry`) and gives the answer, or why there is none. */
  send(request: Request, call: SendContext): Promise<Result<Answer>>;
  /** The tokens the answer's call used. */
  usage(answer: Answer): TokenUsage;
  read(answer: Answer): AnswerReading;
  /** The request with one more exchange: the rejected answer, then the validation errors. */
  withRepair(request: Request, answer: Answer, errors: string[]): Request;
  /** Why the answer cannot be used because the server did not read the whole request (it cut the prompt), or null. */
  inputCut?(request: Request, answer: Answer): string | null;
}

/** What one send is given: the item's abort signal, and where each retry is counted. */
export interface SendContext {
  signal?: AbortSignal;
  onRetry: () => void;
}

/** A transport with the run's budget, the model's price and the run's stop: what a call needs. */
export interface ModelCaller<Request, Answer> {
  transport: ModelTransport<Request, Answer>;
  budget: Budget;
  price: ModelPrice;
  stop: RunStop;
}

/**
 * Failures no later item would escape: a key the API refuses (401, 403), or the same 400 on the
 * first items before any answer (a misconfiguration, such as a model the API does not take).
 * Once `reason` is set, no further call is sent; the pipeline keeps the items not done for the next run.
 */
export interface RunStop {
  reason: string | null;
  /** Some call was answered: a 400 after that is the item's own. */
  answered: boolean;
  badRequest: { reason: string; count: number } | null;
}

/** The same 400 on this many items in a row, before any answer, stops the run. */
export const SAME_BAD_REQUESTS_TO_STOP = 3;

export function createRunStop(): RunStop {
  return { reason: null, answered: false, badRequest: null };
}

/** Notes a failed call; sets `stop.reason` when the failure is one every item would meet. */
export function noteFailedCall(stop: RunStop, reason: string): void {
  if (/\bHTTP (401|403)\b/.test(reason)) {
    stop.reason = `${reason}: the API refused the key or its permissions, so every item would fail alike; the run stopped and keeps the links not done for the next run`;
    return;
  }
  if (stop.answered || !/\bHTTP 400\b/.test(reason)) return;
  stop.badRequest = stop.badRequest?.reason === reason ? { reason, count: stop.badRequest.count + 1 } : { reason, count: 1 };
  if (stop.badRequest.count >= SAME_BAD_REQUESTS_TO_STOP)
    stop.reason = `the first ${stop.badRequest.count} items all failed with the same error (${reason}): a misconfiguration, not a bad item; the run stopped and keeps the links not done for the next run`;
}

/** A request ready to send, with what its answer is checked against and what one call of it is expected to cost. */
export interface Asked<Request> {
  request: Request;
  ctx: SummaryCheckContext;
  /** The expected cost of one direct call of `request` (for the spend cap). */
  estimateUsd: number;
}

/** What the calls of one item used and cost so far, and the retries they took. */
export interface Spent {
  usage: TokenUsage;
  costUsd: number;
  retries?: number;
}

/** The reason a call is not sent at the spend cap; `what` names the call. */
export function capReason(budget: Budget, estimateUsd: number, what = "this item"): string {
  return (
    `spend cap reached: $${budget.spentUsd.toFixed(4)} spent` +
    (budget.reservedUsd > 0 ? ` and $${budget.reservedUsd.toFixed(4)} in flight` : "") +
    `, ${what} would add about $${estimateUsd.toFixed(4)} to a cap of $${(budget.maxCostUsd ?? 0).toFixed(2)}; ` +
    `left for the next run`
  );
}

/**
 * The expected cost of the repair turn: the first call's estimate (the prompt again and a new
 * answer) plus the rejected answer, which now goes back as input.
 */
export function repairEstimateUsd(firstEstimateUsd: number, rejected: TokenUsage, price: ModelPrice): number {
  return firstEstimateUsd + (rejected.output * price.input) / 1_000_000;
}

/** The answer's check: the reading through the answer check, with the cut-off named when it failed. */
export function checkReading(
  reading: AnswerReading,
  ctx: SummaryCheckContext,
  maxTokens: number,
  lastTurn = true,
): { refused: string } | SummaryCheckResult {
  if (reading.kind === "refused") return { refused: reading.reason };
  let result = reading.kind === "answer" ? checkAnswer(reading.value, ctx, { lastTurn }) : checkFailure([reading.error]);
  if (reading.cutOff && !result.ok)
    result = checkFailure([`(answer): cut off at the ${maxTokens}-token limit; write every field shorter`, ...result.errors]);
  return result;
}

/** Books one answer's cost on the budget and returns what it used. */
export function bookAnswer<Request, Answer>(
  caller: ModelCaller<Request, Answer>,
  answer: Answer,
  options: Parameters<typeof costUsd>[2] = {},
): Spent {
  const usage = caller.transport.usage(answer);
  const cost = costUsd(usage, caller.price, options);
  settle(caller.budget, 0, cost);
  return { usage, costUsd: cost };
}

/**
 * Checks an answer already received and, when it is invalid, asks once more (the request with
 * the rejected answer and its errors; not possible when `asked.request` is null, e.g. a batch
 * collected without its items). `spent` is what the answer's call cost; every further call is booked.
 */
export async function finishAnswer<Request, Answer>(
  caller: ModelCaller<Request, Answer>,
  asked: { request: Request | null; ctx: SummaryCheckContext; estimateUsd: number },
  answer: Answer,
  spent: Spent,
  signal?: AbortSignal,
): Promise<Result<Summary>> {
  const { transport } = caller;
  let { usage, costUsd: cost } = spent;
  let retries = spent.retries ?? 0;
  const call = { signal, onRetry: () => void retries++ };
  // A failure carries the retries the item's calls took, for its report line.
  const failed = (failure: Failure): CallFailure => (retries > 0 ? { ...failure, retries } : failure);
  let request = asked.request;
  let current = answer;
  // Claims the grounding check refused on the first turn: mended if the repair turn's answer holds.
  let refusedFirst = 0;
  for (let turn = 1; ; turn++) {
    const cut = request === null ? null : (transport.inputCut?.(request, current) ?? null);
    if (cut) return failed(fail(cut));
    // Unsupported claims are dropped only when no repair turn follows.
    const lastTurn = turn === 2 || request === null;
    const checked = checkReading(transport.read(current), asked.ctx, transport.maxTokens, lastTurn);
    if ("refused" in checked) return failed(fail(checked.refused));
    if (checked.ok) {
      const { version, checked: claims, dropped } = checked.grounding;
      return {
        ok: true,
        value: {
          output: checked.value,
          grounding: { version, checked: claims, dropped, repaired: Math.max(0, refusedFirst - dropped) },
          usage,
          costUsd: cost,
          retries,
          provider: transport.provider,
          model: transport.model,
          promptVersion: PROMPT_VERSION,
        },
      };
    }
    if (turn === 1) refusedFirst = checked.failedClaims ?? 0;
    if (turn === 2) return failed(fail(`${checked.reason} (after one retry with the errors)`));
    if (request === null) return failed(fail(`${checked.reason} (not asked again: the item's prompt is no longer at hand)`));
    request = transport.withRepair(request, current, checked.errors);
    // The repair turn is a call like any other: held against the cap before it is sent.
    const estimate = repairEstimateUsd(asked.estimateUsd, transport.usage(current), caller.price);
    if (!reserve(caller.budget, estimate))
      return failed(skip(`${capReason(caller.budget, estimate, "asking again")} (after: ${checked.reason})`));
    let next: Result<Answer>;
    try {
      next = await transport.send(request, call);
    } finally {
      settle(caller.budget, estimate, 0);
    }
    if (!next.ok) return failed(fail(`${next.reason} (asking again after: ${checked.reason})`));
    current = next.value;
    const more = bookAnswer(caller, current);
    usage = addUsage(usage, more.usage);
    cost += more.costUsd;
  }
}

/**
 * The whole call for one item: holds the first call's estimate against the cap (or refuses the
 * item as a skip), sends the request, releases the hold as the answer's real cost is booked,
 * and checks the answer with one repair turn (held in its turn).
 */
export async function callModel<Request, Answer>(
  caller: ModelCaller<Request, Answer>,
  asked: Asked<Request>,
  signal?: AbortSignal,
): Promise<Result<Summary>> {
  if (caller.stop.reason) return skip(caller.stop.reason);
  if (!reserve(caller.budget, asked.estimateUsd)) return skip(capReason(caller.budget, asked.estimateUsd));
  let first: Result<Answer>;
  let retries = 0;
  try {
    first = await caller.transport.send(asked.request, { signal, onRetry: () => void retries++ });
  } finally {
    settle(caller.budget, asked.estimateUsd, 0);
  }
  if (!first.ok) {
    noteFailedCall(caller.stop, first.reason);
    const failure: CallFailure = retries > 0 ? { ...first, retries } : first;
    return failure;
  }
  caller.stop.answered = true;
  return finishAnswer(caller, asked, first.value, { ...bookAnswer(caller, first.value), retries }, signal);
}
