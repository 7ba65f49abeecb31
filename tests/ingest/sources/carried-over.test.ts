// The carry-over queue: which carried links come back tonight, and how failures grow their back-off, give up and are forgotten.
import { describe, expect, it } from "vitest";
import {
  carriedCandidates,
  carriedTonight,
  NightLedger,
  updateFailedLinks,
  type FailedLink,
} from "../../../src/ingest/sources/carried-over.ts";
import type { Candidate } from "../../../src/ingest/types.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-06-25T03:00:00Z");
const POLICY = { retryAfterHours: 20, giveUpAfter: 3, forgetAfterDays: 30 };
const candidate = (url: string): Candidate => ({ url, title: url, via: "feed", seenAt: new Date("2026-06-24T00:00:00Z") });
const failed = (url: string, extra: Partial<FailedLink> = {}): FailedLink => ({
  candidate: candidate(url),
  failures: 1,
  firstFailedAt: NOW,
  lastFailedAt: NOW,
  nextTryAt: new Date(NOW.getTime() + 20 * HOUR),
  reason: "HTTP 500",
  gaveUp: false,
  ...extra,
});

describe("carried candidates", () => {
  it("are the deferred ones, then failed links whose back-off has passed, once each by dedupe key", () => {
    const later = new Date(NOW.getTime() + 21 * HOUR);
    const links = [
      failed("https://a.example/due"),
      failed("https://b.example/waiting", { nextTryAt: new Date(NOW.getTime() + 40 * HOUR) }),
      failed("https://c.example/given-up", { gaveUp: true, nextTryAt: NOW }),
      failed("http://www.d.example/same/"),
    ];
    const urls = carriedCandidates([candidate("https://d.example/same"), candidate("https://e.example/x")], links, later).map((c) => c.url);
    expect(urls).toEqual(["https://d.example/same", "https://e.example/x", "https://a.example/due"]);
  });

  it("leave out links written or blocked since, while discovery is told to leave every carried link alone", () => {
    const tonight = carriedTonight(
      {
        deferred: [candidate("https://a.example/written"), candidate("https://b.example/new")],
        failedLinks: [failed("https://c.example/waiting")],
      },
      NOW,
      (url) => url.includes("written"),
    );
    expect(tonight.candidates.map((c) => c.url)).toEqual(["https://b.example/new"]);
    expect(tonight.excluded).toEqual(["https://a.example/written", "https://b.example/new", "https://c.example/waiting"]);
  });
});

describe("failed links after a night", () => {
  it("double their wait with each failure, and are given up on the giveUpAfter-th", () => {
    const ledger = new NightLedger(Number.POSITIVE_INFINITY);
    ledger.mayStart(candidate("https://a.example/x"));
    ledger.failedToFetch(candidate("https://a.example/x"), "HTTP 503");
    const first = updateFailedLinks([], ledger, NOW, POLICY);
    expect(first).toEqual([{ ...failed("https://a.example/x"), reason: "HTTP 503" }]);
    const next = new Date(NOW.getTime() + 24 * HOUR);
    const second = updateFailedLinks(first, ledger, next, POLICY);
    expect(second[0]).toMatchObject({
      failures: 2,
      firstFailedAt: NOW,
      lastFailedAt: next,
      nextTryAt: new Date(next.getTime() + 40 * HOUR),
      gaveUp: false,
    });
    expect(updateFailedLinks(second, ledger, next, POLICY)[0]).toMatchObject({ failures: 3, gaveUp: true });
  });

  it("leave the list when tried again without failing; others stay; given-up links are forgotten after forgetAfterDays", () => {
    const ledger = new NightLedger(Number.POSITIVE_INFINITY);
    ledger.mayStart(candidate("https://a.example/x/"));
    const old = new Date(NOW.getTime() - 31 * 24 * HOUR);
    const list = [
      failed("https://a.example/x"),
      failed("https://b.example/y"),
      failed("https://c.example/z", { gaveUp: true, failures: 3, lastFailedAt: old }),
    ];
    expect(updateFailedLinks(list, ledger, NOW, POLICY).map((l) => l.candidate.url)).toEqual(["https://b.example/y"]);
  });

  it("a ledger past its deadline defers instead of starting", () => {
    let now = 0;
    const ledger = new NightLedger(100, () => now);
    expect(ledger.mayStart(candidate("https://a.example/1"))).toBe(true);
    now = 100;
    expect(ledger.mayStart(candidate("https://a.example/2"))).toBe(false);
    expect(ledger.attempted).toEqual(["https://a.example/1"]);
    expect(ledger.deferred.map((c) => c.url)).toEqual(["https://a.example/2"]);
  });
});
