import { describe, expect, it } from "vitest";
import { heatScore, litFlames } from "../../src/article/heat.ts";

describe("heatScore", () => {
  it("gives the seed thread (312 points, 13 comments) a heat of 55", () => {
    expect(heatScore({ points: 312, comments: 13 })).toBe(55);
  });
  it("is 0 with no engagement and never leaves 0–100", () => {
    expect(heatScore({ points: 0, comments: 0 })).toBe(0);
    expect(heatScore({ points: -5, comments: -1 })).toBe(0);
    expect(heatScore({ points: 10_000_000, comments: 5_000_000 })).toBe(100);
  });
  it("grows with points and with comments", () => {
    expect(heatScore({ points: 100, comments: 0 })).toBeLessThan(heatScore({ points: 200, comments: 0 }));
    expect(heatScore({ points: 100, comments: 10 })).toBeLessThan(heatScore({ points: 100, comments: 50 }));
  });
});

describe("litFlames", () => {
  it("lights flames in proportion to heat", () => {
    expect(litFlames(0)).toBe(0);
    expect(litFlames(5)).toBe(1);
    expect(litFlames(55)).toBe(3);
    expect(litFlames(100)).toBe(5);
  });
});
