/** Deadlines as abort signals that know when they end, so a wait can be refused before it starts instead of cut off. */

/** The reason a deadline signal aborts with: says which deadline passed. */
export class DeadlineError extends Error {
  readonly code = "THEMATA_DEADLINE";
}

/** An abort signal that ends at `deadlineAt` (epoch ms) at the latest. */
export type DeadlineSignal = AbortSignal & { readonly deadlineAt: number };

/** When a signal's deadline is (epoch ms), or undefined for a signal without one. */
export function deadlineOf(signal: AbortSignal | undefined): number | undefined {
  const at = (signal as Partial<DeadlineSignal> | undefined)?.deadlineAt;
  return typeof at === "number" ? at : undefined;
}

/** Why a signal aborted, in words: the deadline's message, or "aborted". */
export function abortReason(signal: AbortSignal): string {
  return signal.reason instanceof DeadlineError ? signal.reason.message : "aborted";
}

/**
 * A signal that aborts `ms` from now with `message`, or earlier when `parent` aborts (its
 * reason kept) or reaches its own deadline. `clear` stops the timer once the work is done.
 */
export function startDeadline(
  ms: number,
  message: string,
  parent?: AbortSignal,
  now = Date.now(),
): { signal: DeadlineSignal; clear: () => void } {
  const controller = new AbortController();
  const parentAt = deadlineOf(parent);
  const ownAt = now + ms;
  const deadlineAt = parentAt !== undefined && parentAt < ownAt ? parentAt : ownAt;
  const onParentAbort = () => controller.abort(parent!.reason);
  const timer = setTimeout(() => controller.abort(new DeadlineError(message)), Math.max(0, ownAt - now));
  timer.unref?.();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  const clear = () => {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
  };
  return { signal: Object.assign(controller.signal, { deadlineAt }) as DeadlineSignal, clear };
}

/** Runs `work` with a deadline signal (see `startDeadline`), and stops its timer when the work ends. */
export async function withDeadline<T>(
  ms: number,
  message: string,
  work: (signal: DeadlineSignal) => Promise<T>,
  parent?: AbortSignal,
): Promise<T> {
  const deadline = startDeadline(ms, message, parent);
  try {
    return await work(deadline.signal);
  } finally {
    deadline.clear();
  }
}
