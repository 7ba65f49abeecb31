/** Errors as values: a stage returns `ok` with a value, or a reason a maintainer can act on. */
export type Failure = {
  ok: false;
  /** Why, in words a maintainer can act on: "robots.txt disallows /path". */
  reason: string;
  /** True when the item is passed over on purpose (e.g. a PDF), not broken. */
  skip?: boolean;
};
export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (reason: string): Failure => ({ ok: false, reason });
export const skip = (reason: string): Failure => ({ ok: false, reason, skip: true });
