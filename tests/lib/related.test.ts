import { describe, expect, it } from "vitest";
import { relatedArticles, titleWords } from "../../src/lib/related.ts";

let day = 0;
function article(id: string, tags: string[], title = id, published?: string) {
  day++;
  return { id, data: { title, tags, published: new Date(published ?? Date.UTC(2026, 0, day)) } };
}

const ids = (list: { id: string }[] | undefined) => (list ?? []).map((a) => a.id);

describe("relatedArticles", () => {
  it("ranks a neighbour sharing a rare tag above one sharing a common tag", () => {
    const common = Array.from({ length: 8 }, (_, i) => article(`filler-${i}`, ["llms"]));
    const a = article("a", ["llms", "robotics"]);
    const rare = article("rare", ["robotics"]);
    const result = relatedArticles([...common, a, rare], { count: 3 });
    expect(ids(result.get("a"))[0]).toBe("rare");
  });

  it("adds shared title words to shared tags", () => {
    const a = article("a", ["llms"], "Open weights reach the Global South");
    const plain = article("plain", ["llms"], "Something else entirely", "2026-03-01");
    const worded = article("worded", ["llms"], "The Global South builds models", "2026-02-01");
    expect(ids(relatedArticles([a, plain, worded]).get("a"))).toEqual(["worded", "plain"]);
  });

  it("never lists the article itself, and keeps at most `count`", () => {
    const all = Array.from({ length: 12 }, (_, i) => article(`x${i}`, ["llms", "agents"]));
    const result = relatedArticles(all, { count: 5 });
    for (const a of all) {
      expect(ids(result.get(a.id))).toHaveLength(5);
      expect(ids(result.get(a.id))).not.toContain(a.id);
    }
  });

  it("breaks ties by date, newest first", () => {
    const a = article("a", ["robotics"], "a", "2026-05-01");
    const older = article("older", ["robotics"], "older", "2026-01-01");
    const newer = article("newer", ["robotics"], "newer", "2026-04-01");
    expect(ids(relatedArticles([a, older, newer]).get("a"))).toEqual(["newer", "older"]);
  });

  it("takes candidates only from the articles nearest in date on each tag (capped work per article)", () => {
    const all = Array.from({ length: 40 }, (_, i) =>
      article(
        `d${String(i).padStart(2, "0")}`,
        ["llms"],
        `t${i}`,
        `2026-01-${String((i % 28) + 1).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:00:00Z`,
      ),
    );
    const sorted = [...all].sort((x, y) => y.data.published.valueOf() - x.data.published.valueOf());
    const middle = sorted[20];
    const result = relatedArticles(all, { count: 40, candidatesPerTag: 6 });
    const near = new Set(sorted.slice(17, 24).map((a) => a.id));
    expect(ids(result.get(middle.id))).toHaveLength(6);
    for (const id of ids(result.get(middle.id))) expect(near.has(id), id).toBe(true);
  });

  it("scores every shared tag of a candidate, also one whose window did not reach it", () => {
    // On `llms`, 30 fillers sit between `a` and `far`, so a's llms window (2 nearest) misses `far`;
    // `far` is found through `robotics`, and must score both tags it shares, beating `near`.
    const a = article("a", ["robotics", "llms"], "a", "2026-01-01");
    const near = article("near", ["robotics"], "near", "2025-06-01");
    const far = article("far", ["robotics", "llms"], "far", "2025-01-01");
    const fillers = Array.from({ length: 30 }, (_, i) =>
      article(`f${i}`, ["llms"], `f${i}`, `2025-0${2 + (i % 8)}-${String((i % 28) + 1).padStart(2, "0")}`),
    );
    const result = relatedArticles([a, near, far, ...fillers], { count: 2, candidatesPerTag: 2 });
    expect(ids(result.get("a"))[0]).toBe("far");
  });

  it("gives an article without shared tags no related articles", () => {
    const result = relatedArticles([article("a", ["x"]), article("b", ["y"], "a")]);
    expect(result.get("a")).toEqual([]);
  });
});

describe("titleWords", () => {
  it("keeps meaningful lowercase words and drops short and stop words", () => {
    expect([...titleWords("The US Is Winning the AI Race — and what’s next")]).toEqual(["winning", "race", "whats", "next"]);
  });
});
