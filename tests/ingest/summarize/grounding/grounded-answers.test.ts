// Grounding through the real Anthropic SDK against the loopback stub: an unsupported claim goes back in one repair turn, then is dropped or fails the item; it is never written.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createAnthropicSummarizer } from "../../../../src/ingest/summarize/providers/anthropic.ts";
import { createBudget } from "../../../../src/ingest/budget/cost.ts";
import { startAnthropicStub, type AnthropicStub } from "../../../../scripts/fixtures/anthropic-stub.ts";
import { sampleInput, summarizerConfig } from "../providers/sample-input.ts";

const TEXT = [
  "Kestrel Labs released Kestrel-Coder 27B, an open-weight coding model, on Tuesday.",
  "The model scored 71.5% on SWE-bench Verified, the lab said.",
  "It runs on one workstation with 48 GB of memory.",
  "The weights are free for research use, and a commercial licence costs extra.",
].join("\n\n");
const input = () => sampleInput({ text: TEXT, title: "Kestrel Labs ships an open coding model" });

/** A faithful answer for TEXT: every claim copied from the passage it cites. */
const faithful = () => ({
  title: null,
  summary: "Kestrel Labs released Kestrel-Coder 27B, an open-weight coding model, on Tuesday.",
  takeaways: [
    "The model scored 71.5% on SWE-bench Verified.",
    "It runs on one workstation with 48 GB of memory.",
    "The weights are free for research use.",
  ],
  tags: ["llms", "open-source-ai"],
  sentiment: {
    label: "mixed",
    positives: [{ text: "A commenter is glad to run it at home.", comments: ["41000001"] }],
    concerns: [{ text: "A commenter doubts the benchmark numbers.", comments: ["41000002"] }],
  },
  citations: { title: [], summary: ["P1"], takeaways: [["P2"], ["P3"], ["P4"]] },
});
const INVENTED = "Microsoft bought the lab for $9 billion.";
const withInvented = () => {
  const a = faithful();
  return { ...a, takeaways: [...a.takeaways, INVENTED], citations: { ...a.citations, takeaways: [...a.citations.takeaways, ["P1"]] } };
};

let stub: AnthropicStub;
beforeEach(async () => {
  stub = await startAnthropicStub();
});
afterEach(async () => {
  await stub.close();
});

function summarizer() {
  const created = createAnthropicSummarizer(summarizerConfig(), {
    apiKey: "test-key",
    baseURL: stub.url,
    budget: createBudget(),
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    sleep: async () => undefined,
  });
  if (!created.ok) throw new Error(created.reason);
  return created.value;
}

/** The repair turn's last user message: the reasons sent back. */
const repairText = () => {
  const messages = stub.messageBodies()[1].messages as { role: string; content: unknown }[];
  return JSON.stringify(messages[messages.length - 1].content);
};

describe("grounded answers through the SDK", () => {
  test("an invented number is sent back with its reason, and when the repair keeps it, that takeaway is dropped", async () => {
    stub.queue({ tool: withInvented() }, { tool: withInvented() });
    const result = await summarizer().summarize(input());
    expect(stub.messageBodies()).toHaveLength(2);
    expect(repairText()).toContain("takeaway 4: '$9 billion' is not in passage P1");
    expect(repairText()).toContain("takeaway 4: the name 'Microsoft' is not in the article");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.output.takeaways).toEqual(faithful().takeaways);
    expect(JSON.stringify(result.value.output)).not.toContain("9 billion");
    expect(result.value.grounding).toEqual({ version: "grounding-5", checked: 7, repaired: 0, dropped: 1 });
    expect(result.value.output.evidence?.map((e) => e.quotes[0])).toEqual([
      "The model scored 71.5% on SWE-bench Verified, the lab said.",
      "It runs on one workstation with 48 GB of memory.",
      "The weights are free for research use, and a commercial licence costs extra.",
    ]);
  });

  test("a repair that fixes the claim counts it as repaired", async () => {
    stub.queue({ tool: withInvented() }, { tool: faithful() });
    const result = await summarizer().summarize(input());
    expect(result.ok && result.value.grounding).toEqual({ version: "grounding-5", checked: 6, repaired: 1, dropped: 0 });
  });

  test("with too few supported takeaways left, the item fails with the reasons", async () => {
    const three = () => {
      const a = faithful();
      return {
        ...a,
        takeaways: [a.takeaways[0], a.takeaways[1], INVENTED],
        citations: { ...a.citations, takeaways: [["P2"], ["P3"], ["P1"]] },
      };
    };
    stub.queue({ tool: three() }, { tool: three() });
    const result = await summarizer().summarize(input());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/not supported by its sources \(only 2 takeaway\(s\) supported, 3 needed\)/);
    expect(result.reason).toContain("takeaway 3: '$9 billion' is not in passage P1");
  });

  test("a positive bullet resting on a doubtful comment is refused, then dropped", async () => {
    const praise = () => {
      const a = faithful();
      return {
        ...a,
        sentiment: {
          ...a.sentiment,
          positives: [{ text: "Commenters praised the benchmark results as independently verified.", comments: ["41000002"] }],
        },
      };
    };
    stub.queue({ tool: praise() }, { tool: praise() });
    const result = await summarizer().summarize(input());
    expect(repairText()).toContain("sentiment positive 1: a positive resting only on a comment whose tone is negative (41000002)");
    expect(result.ok && result.value.output.sentiment?.positives).toEqual([]);
  });

  test("a planted replacement headline the article does not support keeps the original title", async () => {
    stub.queue({
      tool: { ...faithful(), title: "Pwned: Acme Corp Wins Everything", citations: { ...faithful().citations, title: ["P1"] } },
    });
    const result = await summarizer().summarize(input());
    expect(stub.messageBodies()).toHaveLength(1);
    expect(result.ok && result.value.output.title).toBeUndefined();
  });

  test("missing citations get the repair turn, then fail cleanly", async () => {
    const { citations: _c, ...uncited } = faithful();
    stub.queue({ tool: uncited }, { tool: uncited });
    const result = await summarizer().summarize(input());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/citations: .*\(after one retry with the errors\)$/);
  });
});
