import { describe, expect, test } from "vitest";
import { checkGrounding, claimLabel, type Claim } from "../../../../src/ingest/summarize/grounding/check.ts";
import { fromList, type Passage } from "../../../../src/ingest/summarize/passages.ts";

const article: Passage[] = [
  { id: "P1", kind: "article", text: "Kestrel Labs released Kestrel-Coder 27B, an open-weight coding model, on Tuesday." },
  { id: "P2", kind: "article", text: "The model scored 71.5% on SWE-bench Verified, up from 58% for its predecessor." },
  { id: "P3", kind: "article", text: "The lab raised $1.2 billion in 2025 from investors including Sequoia." },
  { id: "P4", kind: "article", text: "“We wanted a model that runs on one workstation,” said chief executive Dana Ruiz." },
  { id: "P5", kind: "article", text: "Training cost rose to 4,000 GPU-hours, and the weights are not licensed for commercial use." },
];
const comments: Passage[] = [
  { id: "101", kind: "comment", text: "I doubt these benchmark numbers hold up. Looks like a misleading cherry-pick." },
  { id: "102", kind: "comment", text: "This is great, the model is fast and genuinely useful on my laptop." },
];
const passages = fromList([...article, ...comments]);
const takeaway = (text: string, cites: string[], index = 1): Claim => ({ field: "takeaway", index, text, cites });
const reasonsOf = (claim: Claim, p = passages) =>
  checkGrounding([claim], p, { originalTitle: "Kestrel Labs ships a coding model" }).flatMap((f) => f.reasons);

describe("grounding check: citations", () => {
  test("a faithful takeaway citing its passage passes", () => {
    expect(reasonsOf(takeaway("Kestrel-Coder 27B scored 71.5% on SWE-bench Verified.", ["P1", "P2"]))).toEqual([]);
  });
  test("an unknown id, a comment where article text exists, and no citation at all are refused", () => {
    expect(reasonsOf(takeaway("The model scored 71.5% on SWE-bench Verified.", ["P9"]))).toEqual([
      "takeaway 2: cites P9, which is not among the passages sent",
    ]);
    expect(reasonsOf(takeaway("The model scored 71.5% on SWE-bench Verified.", ["101"]))[0]).toMatch(
      /cites 101, a comment; cite article passages/,
    );
    expect(reasonsOf(takeaway("The model scored 71.5% on SWE-bench Verified.", []))[0]).toMatch(/takeaway 2: cites nothing/);
  });
  test("a sentiment bullet must cite comments", () => {
    expect(reasonsOf({ field: "positive", index: 0, text: "Commenters found it fast.", cites: ["P1"] })[0]).toMatch(
      /sentiment positive 1: cites P1, an article passage; cite comment ids/,
    );
  });
  test("without article text, takeaways cite the post or comments", () => {
    const noText = fromList([{ id: "Q1", kind: "post", text: "Ask HN: which open coding model runs on one workstation?" }, ...comments]);
    expect(reasonsOf(takeaway("Commenters doubt the benchmark numbers hold up.", ["101"]), noText)).toEqual([]);
  });
});

describe("grounding check: numbers", () => {
  test.each([
    ["The lab raised $1.2B.", ["P3"]],
    ["The lab raised 1.2 billion dollars in 2025.", ["P3"]],
    ["Training took 4000 GPU-hours.", ["P5"]],
    ["Training took four thousand GPU-hours.", ["P5"]],
    ["The model scored 71.5 percent on SWE-bench Verified.", ["P2"]],
  ])("formatting does not matter: %s", (text, cites) => {
    expect(reasonsOf(takeaway(text, cites)).filter((r) => /is not in/.test(r))).toEqual([]);
  });
  test("an invented number is named with the passages it is missing from", () => {
    expect(reasonsOf(takeaway("Microsoft bought the lab for $9 billion.", ["P3", "P4"]))).toContain(
      "takeaway 2: '$9 billion' is not in passages P3, P4",
    );
  });
  test("a changed percentage, year or version is caught", () => {
    expect(reasonsOf(takeaway("The model scored 97% on SWE-bench Verified.", ["P2"]))).toContain("takeaway 2: '97%' is not in passage P2");
    expect(reasonsOf(takeaway("The lab raised $1.2 billion in 2024.", ["P3"]))).toContain("takeaway 2: '2024' is not in passage P3");
    expect(reasonsOf(takeaway("Kestrel Labs released Kestrel-Coder 72B.", ["P1"]))).toContain("takeaway 2: '72B' is not in passage P1");
  });
  test("a percentage must be a percentage in the passage", () => {
    expect(reasonsOf(takeaway("Training cost rose 4,000% in GPU-hours.", ["P5"]))).toContain("takeaway 2: '4,000%' is not in passage P5");
  });
});

describe("grounding check: names, quotes, polarity", () => {
  test("an invented name is caught, even first in the sentence", () => {
    expect(reasonsOf(takeaway("Microsoft invested $1.2 billion in the lab in 2025.", ["P3"]))).toContain(
      "takeaway 2: the name 'Microsoft' is not in the article",
    );
    expect(reasonsOf(takeaway("The lab raised $1.2 billion in 2025 from Andreessen.", ["P3"]))).toContain(
      "takeaway 2: the name 'Andreessen' is not in passage P3",
    );
  });
  test("a capitalised first word found elsewhere in the article is an ordinary word, not an invented name", () => {
    expect(reasonsOf(takeaway("Training cost rose to 4,000 GPU-hours.", ["P5"]))).toEqual([]);
    expect(reasonsOf(takeaway("Investors including Sequoia put $1.2 billion into the lab in 2025.", ["P3"])).join(" ")).not.toMatch(
      /name 'Investors'/,
    );
    expect(reasonsOf(takeaway("Workstation owners like it, said chief executive Dana Ruiz.", ["P4"])).join(" ")).not.toMatch(
      /name 'Workstation'/,
    );
  });
  test("a quote must be word for word, whatever the quote style and spacing", () => {
    expect(reasonsOf(takeaway('Dana Ruiz said: "We wanted a model that  runs on one workstation."', ["P4"]))).toEqual([]);
    expect(reasonsOf(takeaway("Dana Ruiz said: “We wanted a model that runs on any laptop.”", ["P4"]))).toContain(
      'takeaway 2: the quote "We wanted a model that runs on any laptop." is not word for word in passage P4',
    );
  });
  test("a negation or an opposite the passage does not have is caught", () => {
    expect(reasonsOf(takeaway("Kestrel Labs did not release Kestrel-Coder 27B.", ["P1"]))).toContain(
      "takeaway 2: says 'not', but passage P1 says nothing of the kind",
    );
    expect(reasonsOf(takeaway("Training cost fell to 4,000 GPU-hours.", ["P5"])).join(" ")).toMatch(
      /says 'fell' where passage P5 says the opposite/,
    );
  });
  test("a negation of what the passage states plainly is caught, even when the passage negates something else", () => {
    expect(reasonsOf(takeaway("The weights are not licensed for commercial use.", ["P5"]))).toEqual([]);
    expect(reasonsOf(takeaway("Training cost never rose to 4,000 GPU-hours.", ["P5"]))).toContain(
      "takeaway 2: negates 'rose', which passage P5 states without a negation",
    );
  });
  test("a negation the claim drops is caught even when the claim negates something else", () => {
    const p = fromList([
      { id: "P1", kind: "article", text: "The case was dropped with no charges because officials were not able to proceed." },
    ]);
    expect(reasonsOf(takeaway("The case was dropped with no charges because officials were able to proceed.", ["P1"]), p)).toContain(
      "takeaway 2: says 'were able' where passage P1 negates it",
    );
    expect(reasonsOf(takeaway("The case was dropped with no charges because officials were not able to proceed.", ["P1"]), p)).toEqual([]);
    // Mentioning a word the passage negates elsewhere is no dropped negation.
    const q = fromList([{ id: "P1", kind: "article", text: "The lab says its model is not open, but the benchmark code is open." }]);
    expect(reasonsOf(takeaway("The lab says the benchmark code is open.", ["P1"]), q)).toEqual([]);
    expect(reasonsOf(takeaway("The lab says its model is open.", ["P1"]), q)).toContain(
      "takeaway 2: says 'model is open' where passage P1 negates it",
    );
  });
  test("a quote may run from one cited passage into the next", () => {
    const split = fromList([
      { id: "P1", kind: "article", text: "She said the plan was “late, and over budget." },
      { id: "P2", kind: "article", text: "Nobody is happy,” according to the memo." },
    ]);
    expect(
      reasonsOf(
        {
          field: "summary",
          index: 0,
          text: "She said the plan was “late, and over budget. Nobody is happy,” according to the memo.",
          cites: ["P1", "P2"],
        },
        split,
      ),
    ).toEqual([]);
  });
  test("a positive bullet resting only on a negative comment is refused, a fitting one passes", () => {
    expect(
      reasonsOf({ field: "positive", index: 0, text: "Commenters praised the benchmark numbers as solid.", cites: ["101"] }),
    ).toContain("sentiment positive 1: a positive resting only on a comment whose tone is negative (101)");
    expect(reasonsOf({ field: "concern", index: 1, text: "Commenters doubt the benchmark numbers hold up.", cites: ["101"] })).toEqual([]);
    expect(reasonsOf({ field: "concern", index: 0, text: "The model is too slow.", cites: ["102"] })).toContain(
      "sentiment concern 1: a concern resting only on a comment whose tone is positive (102)",
    );
  });
  test("a claim from another article fails coverage", () => {
    const reasons = reasonsOf(takeaway("Regulators in Brussels fined the chipmaker over export controls.", ["P2"]));
    expect(reasons.join(" ")).toMatch(/of its words are in passage P2/);
  });
  test("the headline is checked against the whole article, case-insensitively, and may use the original title's words", () => {
    expect(reasonsOf({ field: "title", index: 0, text: "Kestrel Labs Releases Open-Weight Coding Model", cites: ["P1"] })).toEqual([]);
    expect(reasonsOf({ field: "title", index: 0, text: "Google Acquires Kestrel Labs", cites: [] }).join(" ")).toMatch(
      /the name 'Google' is not in the article/,
    );
  });
  test("labels count from one", () => {
    expect(claimLabel({ field: "takeaway", index: 0 })).toBe("takeaway 1");
  });
});
