import { describe, expect, it } from "vitest";
import { countOf, firstSentence, formatLongDate, formatShortDate, heatLabel, heatSortKey, isoDay } from "../../src/lib/format.ts";

describe("dates", () => {
  const date = new Date("2026-06-24T00:00:00Z");
  it("formats in UTC as the seed shows them", () => {
    expect(formatLongDate(date)).toBe("June 24, 2026");
    expect(formatShortDate(date)).toBe("Jun 24, 2026");
    expect(isoDay(date)).toBe("2026-06-24");
    expect(formatLongDate(new Date("2026-03-10T23:30:00Z"))).toBe("March 10, 2026");
  });
});

describe("firstSentence", () => {
  it("cuts at the first sentence end", () => {
    expect(firstSentence("Proprietary AI is costly. Yann LeCun argues otherwise.")).toBe("Proprietary AI is costly.");
  });
  it("does not cut at decimals, abbreviations or initials", () => {
    expect(firstSentence("Qwen 3.6 beats GPT-4 on e.g. coding. More text.")).toBe("Qwen 3.6 beats GPT-4 on e.g. coding.");
    expect(firstSentence("Dr. Smith and the U.S. Senate agree. Others do not.")).toBe("Dr. Smith and the U.S. Senate agree.");
  });
  it("returns the whole text when there is one sentence, flattening whitespace", () => {
    expect(firstSentence("  One   line\nonly  ")).toBe("One line only");
  });
});

describe("counts and heat", () => {
  it("pluralises counts", () => {
    expect(countOf(1, "comment")).toBe("1 comment");
    expect(countOf(1312, "point")).toBe("1,312 points");
  });
  it("labels the heat and pads its sort key", () => {
    expect(heatLabel(55)).toBe("Heat 55 out of 100");
    expect(heatSortKey(5)).toBe("005");
    expect(heatSortKey(100)).toBe("100");
  });
});
