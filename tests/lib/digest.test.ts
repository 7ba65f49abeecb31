import { describe, expect, it } from "vitest";
import { completedWeeks, groupByWeek, isoWeek, weekKey, weekStart } from "../../src/lib/digest.ts";
import { groupByMonth } from "../../src/lib/archive.ts";

const article = (id: string, day: string, heat = 0) => ({
  id,
  data: { title: id, published: new Date(`${day}T12:00:00Z`), tags: [], heat },
});

describe("ISO weeks", () => {
  it("numbers weeks as ISO 8601 does, the Thursday deciding the year", () => {
    expect(isoWeek(new Date("2026-01-01T00:00:00Z"))).toEqual({ year: 2026, week: 1 }); // a Thursday
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toEqual({ year: 2026, week: 1 }); // Monday of that week
    expect(isoWeek(new Date("2027-01-03T23:59:59Z"))).toEqual({ year: 2026, week: 53 }); // 2026 has 53 weeks
    expect(isoWeek(new Date("2021-01-03T00:00:00Z"))).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(new Date("2026-06-21T23:00:00Z"))).toEqual({ year: 2026, week: 25 }); // Sunday ends the week
    expect(isoWeek(new Date("2026-06-22T00:00:00Z"))).toEqual({ year: 2026, week: 26 });
  });

  it("starts a week on Monday 00:00 UTC and keys it with a two-digit week", () => {
    expect(weekStart(new Date("2026-06-21T23:00:00Z")).toISOString()).toBe("2026-06-15T00:00:00.000Z");
    expect(weekKey({ year: 2026, week: 5 })).toBe("2026-w05");
  });
});

describe("digest weeks", () => {
  it("groups by week, newest first, each week hottest first; only the newest is so far", () => {
    const weeks = groupByWeek([article("a", "2026-06-20", 10), article("b", "2026-06-16", 80), article("c", "2026-06-10", 5)]);
    expect(weeks.map((w) => [w.key, w.soFar, w.articles.map((a) => a.id)])).toEqual([
      ["2026-w25", true, ["b", "a"]],
      ["2026-w24", false, ["c"]],
    ]);
  });

  it("feeds completed weeks only, judged from the content's dates: one week alone is never complete", () => {
    expect(completedWeeks(groupByWeek([article("a", "2026-06-20")]), 10)).toEqual([]);
    const two = groupByWeek([article("a", "2026-06-22"), article("b", "2026-06-20")]);
    expect(completedWeeks(two, 10).map((w) => w.key)).toEqual(["2026-w25"]);
  });
});

describe("archive months", () => {
  it("groups newest-first articles by UTC month with labels", () => {
    const months = groupByMonth([article("a", "2026-06-01"), article("b", "2026-05-31"), article("c", "2026-05-02")]);
    expect(months.map((m) => [m.key, m.label, m.articles.length])).toEqual([
      ["2026-06", "June 2026", 1],
      ["2026-05", "May 2026", 2],
    ]);
  });
});
