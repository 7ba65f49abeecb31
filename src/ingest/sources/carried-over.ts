/**
 * Links carried from one run to the next: those a run's deadline left unattempted, and links
 * whose fetch failed, tried again on later nights with a growing back-off until given up.
 */
import { urlKey } from "../../article/url.ts";
import type { Candidate } from "../types.ts";

/** A link that failed, as the run state keeps it. */
export interface FailedLink {
  candidate: Candidate;
  /** Nights it failed on, in a row. */
  failures: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
  /** Not tried before this; ignored once given up. */
  nextTryAt: Date;
  /** The last failure's reason. */
  reason: string;
  /** True once it failed `giveUpAfter` times: never tried again (until forgotten). */
  gaveUp: boolean;
}

export interface BackoffPolicy {
  /** Wait after the first failure, in hours; it doubles after each further failure. */
  retryAfterHours: number;
  /** Failures after which a link is given up. */
  giveUpAfter: number;
  /** Days after its last failure a given-up link is forgotten (a source still listing it then gets one more round). */
  forgetAfterDays: number;
}

const HOUR_MS = 3_600_000;

/** Tonight's carried-over candidates: every deferred one, then failed links whose back-off has passed. */
export function carriedCandidates(deferred: readonly Candidate[], failedLinks: readonly FailedLink[], now: Date): Candidate[] {
  const due = failedLinks.filter((link) => !link.gaveUp && link.nextTryAt.getTime() <= now.getTime()).map((link) => link.candidate);
  const seen = new Set<string>();
  return [...deferred, ...due].filter((candidate) => {
    const key = urlKey(candidate.url);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** URLs discovery must leave alone tonight: carried over (they come from here), backing off, or given up. */
export function carriedUrls(deferred: readonly Candidate[], failedLinks: readonly FailedLink[]): string[] {
  return [...deferred.map((c) => c.url), ...failedLinks.map((link) => link.candidate.url)];
}

/**
 * The failed-link list after a run: each link that failed tonight gets one more failure (and a
 * longer wait, or is given up); each link attempted tonight that did not fail is dropped; links
 * given up longer than `forgetAfterDays` ago are forgotten.
 */
export function updateFailedLinks(
  previous: readonly FailedLink[],
  tonight: Pick<NightLedger, "failed" | "attempted">,
  now: Date,
  policy: BackoffPolicy,
): FailedLink[] {
  const byKey = new Map(previous.map((link) => [urlKey(link.candidate.url), link]));
  for (const url of tonight.attempted) byKey.delete(urlKey(url));
  for (const { candidate, reason } of tonight.failed) {
    const key = urlKey(candidate.url);
    const before = previous.find((link) => urlKey(link.candidate.url) === key);
    const failures = (before?.failures ?? 0) + 1;
    byKey.set(key, {
      candidate: before?.candidate ?? candidate,
      failures,
      firstFailedAt: before?.firstFailedAt ?? now,
      lastFailedAt: now,
      nextTryAt: new Date(now.getTime() + policy.retryAfterHours * HOUR_MS * 2 ** (failures - 1)),
      reason,
      gaveUp: failures >= policy.giveUpAfter,
    });
  }
  const forgetBefore = now.getTime() - policy.forgetAfterDays * 24 * HOUR_MS;
  return [...byKey.values()].filter((link) => !(link.gaveUp && link.lastFailedAt.getTime() < forgetBefore));
}

/** Tonight's bookkeeping: which items started before the run's deadline, which were deferred, which failed to fetch. */
export class NightLedger {
  readonly deferred: Candidate[] = [];
  readonly attempted: string[] = [];
  readonly failed: { candidate: Candidate; reason: string }[] = [];
  /** Live-field refreshes not started because the deadline had passed (they wait for a later night). */
  refreshesLeft = 0;
  readonly #endsAt: number;
  readonly #clock: () => number;

  /** `endsAt`: epoch ms after which no new item starts. */
  constructor(endsAt: number, clock: () => number = Date.now) {
    this.#endsAt = endsAt;
    this.#clock = clock;
  }

  pastDeadline(): boolean {
    return this.#clock() >= this.#endsAt;
  }

  /** Whether `candidate` may start now; past the deadline it is deferred instead. */
  mayStart(candidate: Candidate): boolean {
    if (this.pastDeadline()) {
      this.deferred.push(candidate);
      return false;
    }
    this.attempted.push(candidate.url);
    return true;
  }

  /** Whether a live-field refresh may start now; past the deadline it is counted as left instead. */
  mayRefresh(): boolean {
    if (!this.pastDeadline()) return true;
    this.refreshesLeft++;
    return false;
  }

  failedToFetch(candidate: Candidate, reason: string): void {
    this.failed.push({ candidate, reason });
  }
}

/** What the report says about work carried to later runs: deferred items, refreshes left, failed links backing off or given up. */
export function carryOverNotes(
  deferred: readonly Candidate[],
  refreshesLeft: number,
  failedLinks: readonly FailedLink[],
  now: Date,
  settings: { runDeadlineSeconds: number; giveUpAfter: number },
): string[] {
  const notes: string[] = [];
  const deadline = `the run's deadline (runDeadlineSeconds: ${settings.runDeadlineSeconds} s)`;
  if (deferred.length > 0)
    notes.push(`${deferred.length} item(s) not attempted before ${deadline}: kept in the run state, the next run tries them first`);
  if (refreshesLeft > 0) notes.push(`${refreshesLeft} live-field refresh(es) left for the next run by ${deadline}`);
  let waiting = 0;
  for (const link of failedLinks) {
    const tonight = link.lastFailedAt.getTime() === now.getTime();
    if (tonight && link.gaveUp) notes.push(`gave up on ${link.candidate.url} after ${link.failures} failed runs: ${link.reason}`);
    else if (tonight)
      notes.push(
        `backing off: ${link.candidate.url} failed ${link.failures} of ${settings.giveUpAfter} times; next try after ${link.nextTryAt.toISOString()}`,
      );
    else if (!link.gaveUp) waiting++;
  }
  if (waiting > 0) notes.push(`${waiting} failed link(s) from earlier runs are backing off (not tried tonight)`);
  return notes;
}

/**
 * Tonight's share of what earlier runs carried over: the candidates due (without those `isDone`
 * says were written or blocked since), and every carried URL, for discovery to leave alone.
 */
export function carriedTonight(
  carried: { deferred: readonly Candidate[]; failedLinks: readonly FailedLink[] } | undefined,
  now: Date,
  isDone: (url: string) => boolean,
): { candidates: Candidate[]; excluded: string[] } {
  const deferred = carried?.deferred ?? [];
  const failedLinks = carried?.failedLinks ?? [];
  return {
    candidates: carriedCandidates(deferred, failedLinks, now).filter((candidate) => !isDone(candidate.url)),
    excluded: carriedUrls(deferred, failedLinks),
  };
}

/** The failed-link list after tonight, and the report's notes on everything carried to later runs. */
export function closeNight(
  ledger: NightLedger,
  previousFailures: readonly FailedLink[],
  now: Date,
  config: { runDeadlineSeconds: number; failedLinks: BackoffPolicy },
): { failedLinks: FailedLink[]; notes: string[] } {
  const failedLinks = updateFailedLinks(previousFailures, ledger, now, config.failedLinks);
  const settings = { runDeadlineSeconds: config.runDeadlineSeconds, giveUpAfter: config.failedLinks.giveUpAfter };
  return { failedLinks, notes: carryOverNotes(ledger.deferred, ledger.refreshesLeft, failedLinks, now, settings) };
}
