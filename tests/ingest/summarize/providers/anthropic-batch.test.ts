import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createAnthropicModel, type AnthropicRunOptions } from "../../../../src/ingest/summarize/providers/anthropic.ts";
import { collectPendingBatch, customIdFor, summarizeBatch } from "../../../../src/ingest/summarize/providers/anthropic-batch.ts";
import type { BatchItem } from "../../../../src/ingest/types.ts";
import { repairEstimateUsd } from "../../../../src/ingest/summarize/model-call.ts";
import { SUMMARY_TOOL_NAME } from "../../../../src/ingest/summarize/prompt.ts";
import { costUsd, createBudget, DEFAULT_PRICES } from "../../../../src/ingest/budget/cost.ts";
import { goodAnswer, promptText, startAnthropicStub, type AnthropicStub } from "../../../../scripts/fixtures/anthropic-stub.ts";
import { sampleInput, summarizerConfig } from "./sample-input.ts";

let stub: AnthropicStub;

beforeEach(async () => {
  stub = await startAnthropicStub();
});
afterEach(async () => {
  await stub.close();
});

/** Claude on the stub, as the batch path uses it; waits return at once. */
function summarizer(options: Partial<AnthropicRunOptions> = {}, config: Parameters<typeof summarizerConfig>[0] = {}) {
  const created = createAnthropicModel(summarizerConfig(config), {
    apiKey: "test-key",
    baseURL: stub.url,
    budget: createBudget(),
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1_000 },
    sleep: async () => {},
    ...options,
  });
  if (!created.ok) throw new Error(created.reason);
  return created.value;
}

const items = (n: number): BatchItem[] =>
  Array.from({ length: n }, (_, i) => ({ key: `https://example.org/open-model-${i}`, input: sampleInput({}, i) }));

const fast = { pollBaseMs: 1, pollMaxMs: 4, timeLimitMs: 1_000 };

describe("Message Batches", () => {
  test("custom ids are deterministic, unique per item and within the API's charset", () => {
    const id = customIdFor("https://example.org/a?x=1&y=2");
    expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(customIdFor("https://example.org/a?x=1&y=2")).toBe(id);
    expect(customIdFor("https://example.org/b")).not.toBe(id);
  });

  test("one batch for the night: results matched by custom_id; an errored and an expired entry fail cleanly", async () => {
    stub.pollsUntilEnded = 2;
    stub.batchOutcome = (_id, index) => (index === 1 ? "errored" : index === 2 ? "expired" : "succeeded");
    const s = summarizer();
    const run = await summarizeBatch(s, items(4), fast);

    expect(stub.batches.size).toBe(1);
    const [batch] = stub.batches.values();
    expect(batch.requests.map((r) => r.custom_id)).toEqual(items(4).map((i) => customIdFor(i.key)));
    expect(batch.requests[0].params.tool_choice).toMatchObject({ type: "tool", name: SUMMARY_TOOL_NAME });
    // A batch can take longer than the 5-minute cache: its prefix is cached for an hour.
    expect(batch.requests[0].params.system[0].cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    // Two polls in progress, the one that sees it ended, and the SDK's own retrieve before reading results.
    expect(batch.polls).toBe(4);

    expect(run.pending).toBeNull();
    const [r0, r1, r2, r3] = items(4).map((i) => run.results.get(i.key)!);
    expect(r0.ok && r3.ok).toBe(true);
    expect(r1).toEqual({
      ok: false,
      reason: "batch entry errored (invalid_request_error: stub: request was invalid); sent again next run",
    });
    expect(r2).toEqual({ ok: false, reason: "batch entry expired before it was processed; sent again next run" });
    // Not left to the look-back window: they go back to the queue.
    expect(run.returned).toEqual([items(4)[1].key, items(4)[2].key]);

    if (!r0.ok || !r3.ok) return;
    // Batch prices: half of each token class, cache writes at the 1-hour price (twice the input price).
    const haiku = DEFAULT_PRICES["claude-haiku-5-5"];
    expect(r0.value.usage.cacheWrite).toBeGreaterThan(0);
    expect(r0.value.costUsd).toBeCloseTo(costUsd(r0.value.usage, { ...haiku, cacheWrite: haiku.input * 2 }) / 2, 12);
    expect(s.caller.budget.spentUsd).toBeCloseTo(r0.value.costUsd! + r3.value.costUsd!, 12);
    expect(s.caller.budget.reservedUsd).toBe(0);
    expect(stub.messageBodies()).toHaveLength(0);
  });

  test("a batch still running at the time limit comes back pending; a later run collects it by id", async () => {
    stub.pollsUntilEnded = Infinity;
    const first = await summarizeBatch(summarizer(), items(2), { pollBaseMs: 1, pollMaxMs: 1, timeLimitMs: 5 });
    expect(first.pending).toMatchObject({ provider: "anthropic", batchId: "msgbatch_stub_1", model: "claude-haiku-5-5" });
    expect(first.pending!.requests.map((r) => r.key)).toEqual(items(2).map((i) => i.key));
    expect(first.pending!.requests[0].commentIds).toEqual(["41000001", "41000002", "41000003"]);
    for (const result of first.results.values()) {
      expect(result).toMatchObject({
        ok: false,
        skip: true,
        reason: expect.stringMatching(/^batch msgbatch_stub_1 still running after \d+ s \(limit 0 s\); the next run collects it$/),
      });
    }

    // The record survives a trip through the run state file.
    const record = JSON.parse(JSON.stringify(first.pending));
    stub.endBatches();
    const next = await collectPendingBatch(summarizer(), record, fast);
    expect(next.pending).toBeNull();
    expect([...next.results.keys()]).toEqual(items(2).map((i) => i.key));
    for (const result of next.results.values()) expect(result.ok).toBe(true);
    expect(stub.batches.size).toBe(1);
  });

  test("a create that times out after the API made the batch: the batch is found and adopted, not sent twice", async () => {
    stub.createDelayMs = 1_500;
    const run = await summarizeBatch(summarizer({}, { anthropic: { timeoutSeconds: 0.3 } }), items(3), fast);
    expect(stub.batches.size).toBe(1);
    expect([...run.results.values()].map((r) => r.ok)).toEqual([true, true, true]);
    expect(run.notes).toEqual(["the batch create had no clear answer; batch msgbatch_stub_1, made by it, was adopted"]);
    expect(stub.requests.filter((r) => r.method === "POST" && r.path === "/v1/messages/batches")).toHaveLength(1);
  });

  test("a create that reached the API twice: the first batch is adopted, the copy canceled, so only one is billed", async () => {
    stub.createDelayMs = 1_500;
    stub.duplicateCreates = true;
    const run = await summarizeBatch(summarizer({}, { anthropic: { timeoutSeconds: 0.3 } }), items(2), fast);
    expect(run.notes).toEqual([
      "the batch create had no clear answer; batch msgbatch_stub_1, made by it, was adopted",
      "batch msgbatch_stub_2, a second copy of the same create, was canceled",
    ]);
    expect(stub.batches.get("msgbatch_stub_1")!.canceledAt).toBeNull();
    expect(stub.batches.get("msgbatch_stub_2")!.canceledAt).not.toBeNull();
    expect([...run.results.values()].every((r) => r.ok)).toBe(true);
  });

  test("a batch adopted after an unclear create is confirmed by its custom ids: another's batch is given up and the items go back to the queue", async () => {
    // Someone else's batch of the same size, made just now; then our create fails with a 500 that made nothing.
    await summarizeBatch(
      summarizer(),
      [
        { key: "https://example.org/someone-else", input: sampleInput({}, 9) },
        { key: "https://example.org/another", input: sampleInput({}, 8) },
      ],
      { ...fast, timeLimitMs: 0 },
    );
    stub.createFailures = 1;
    const run = await summarizeBatch(summarizer(), items(2), fast);
    expect(run.pending).toBeNull();
    expect(run.returned).toEqual(items(2).map((i) => i.key));
    for (const result of run.results.values())
      expect(result).toMatchObject({ ok: false, skip: true, reason: expect.stringMatching(/holds none of these items' custom ids/) });
  });

  test("the batch's record is saved before it is sent: a run killed while the create is unanswered leaves what the next run needs to find and collect the batch", async () => {
    let saved: unknown = null;
    let batchesWhenSaved = -1;
    stub.createDelayMs = 2_000;
    const killed = new AbortController();
    const beforeCreate = async (record: unknown) => {
      saved = JSON.parse(JSON.stringify(record)); // through the run state file
      batchesWhenSaved = stub.batches.size;
      setTimeout(() => killed.abort(), 200);
    };
    const first = await summarizeBatch(summarizer(), items(2), { ...fast, signal: killed.signal, beforeCreate });
    expect(batchesWhenSaved).toBe(0);
    expect(first.pending).toBeNull();
    expect(stub.batches.size).toBe(1); // made and billed, its id never heard
    expect(saved).toMatchObject({ batchId: "", unconfirmed: { count: 2 } });

    const next = await collectPendingBatch(summarizer(), saved as any, fast);
    expect(next.notes).toEqual(["the batch create had no clear answer; batch msgbatch_stub_1, made by it, was adopted"]);
    expect([...next.results.values()].map((r) => r.ok)).toEqual([true, true]);
    expect(stub.batches.size).toBe(1);

    // Killed before the create reached the API: nothing to find, the items go back to the queue.
    const none = await collectPendingBatch(summarizer(), { ...(saved as any), unconfirmed: { since: Date.now(), count: 2 } }, fast);
    expect(none.returned).toEqual(items(2).map((i) => i.key));
  });

  test("a batch the API no longer knows (404 on retrieve) is given up: its items go back to the queue", async () => {
    stub.pollsUntilEnded = Infinity;
    const first = await summarizeBatch(summarizer(), items(2), { pollBaseMs: 1, timeLimitMs: 0 });
    const gone = { ...first.pending!, batchId: "msgbatch_gone" };
    const next = await collectPendingBatch(summarizer(), gone, fast);
    expect(next.pending).toBeNull();
    expect(next.returned).toEqual(items(2).map((i) => i.key));
    for (const result of next.results.values())
      expect(result).toMatchObject({
        ok: false,
        skip: true,
        reason: expect.stringMatching(
          /^batch msgbatch_gone cannot be read \(.*HTTP 404 not_found_error.*\): its items go back to the queue$/,
        ),
      });
  });

  test("an invalid batch answer is asked again once by a direct call carrying the errors", async () => {
    stub.batchReply = (params, customId) =>
      customId === customIdFor(items(2)[1].key)
        ? { tool: { ...goodAnswer(promptText(params)), takeaways: ["one"] } }
        : { tool: goodAnswer(promptText(params)) };
    const run = await summarizeBatch(summarizer(), items(2), fast);
    expect([...run.results.values()].map((r) => r.ok)).toEqual([true, true]);
    const [repair] = stub.messageBodies();
    expect(repair.messages[2].content[0]).toMatchObject({ type: "tool_result", is_error: true });
    expect(repair.messages[2].content[0].content).toContain("takeaways: give 3 to 5 takeaways");
  });

  test("collected later without the items at hand, an invalid answer fails cleanly; with them it is repaired", async () => {
    stub.pollsUntilEnded = Infinity;
    stub.batchReply = (params) => ({ tool: { ...goodAnswer(promptText(params)), tags: ["web3"] } });
    const first = await summarizeBatch(summarizer(), items(1), { pollBaseMs: 1, timeLimitMs: 0 });
    stub.endBatches();

    const without = await collectPendingBatch(summarizer(), first.pending!, fast);
    expect([...without.results.values()][0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/tags: none of \["web3"\].*not asked again/),
    });

    const inputs = new Map(items(1).map((i) => [i.key, i.input]));
    const withInputs = await collectPendingBatch(summarizer(), first.pending!, { ...fast, inputs });
    expect([...withInputs.results.values()][0].ok).toBe(true);
    expect(stub.messageBodies()).toHaveLength(1);
  });

  test("a batch answer is checked against the passages recorded when it was sent, not the next night's page", async () => {
    const sent = "Kestrel Labs released a coding model with 27B parameters on Tuesday.";
    const item = {
      key: "https://example.org/kestrel",
      input: sampleInput({
        text: [sent, "It runs on one workstation.", "The weights are free for research.", "A licence costs extra."].join("\n\n"),
      }),
    };
    stub.pollsUntilEnded = Infinity;
    const first = await summarizeBatch(summarizer(), [item], { pollBaseMs: 1, timeLimitMs: 0 });
    expect(first.pending!.requests[0].passages?.[0]).toEqual({ id: "P1", kind: "article", text: sent });
    stub.endBatches();
    // The page changed overnight: P1 now says 70B. The answer cites what was sent, and holds.
    const changed = new Map([[item.key, sampleInput({ text: item.input.text.replace("27B", "70B") })]]);
    const record = JSON.parse(JSON.stringify(first.pending));
    const next = await collectPendingBatch(summarizer(), record, { ...fast, inputs: changed });
    const result = [...next.results.values()][0];
    expect(result.ok && result.value.output.summary).toBe(sent);
    expect(result.ok && result.value.output.evidence?.[0].quotes).toEqual(["It runs on one workstation."]);
    expect(stub.messageBodies()).toHaveLength(0);
  });

  test("an invented figure in a batch answer collected without the same passages fails cleanly: no repair from a different page", async () => {
    const item = {
      key: "https://example.org/kestrel",
      input: sampleInput({
        text: [
          "Kestrel Labs released a coding model with 27B parameters.",
          "It runs on one workstation.",
          "The weights are free.",
          "A licence costs extra.",
        ].join("\n\n"),
      }),
    };
    stub.pollsUntilEnded = Infinity;
    stub.batchReply = (params) => {
      const answer = goodAnswer(promptText(params)) as { takeaways: string[] };
      return {
        tool: {
          ...answer,
          takeaways: ["Kestrel Labs released a coding model with 70B parameters.", answer.takeaways[1], answer.takeaways[2]],
        },
      };
    };
    const first = await summarizeBatch(summarizer(), [item], { pollBaseMs: 1, timeLimitMs: 0 });
    stub.endBatches();
    const changed = new Map([[item.key, sampleInput({ text: "A different page now." })]]);
    const next = await collectPendingBatch(summarizer(), first.pending!, { ...fast, inputs: changed });
    const result = [...next.results.values()][0];
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/'70B' is not in passage P2.*not asked again/);
    expect(stub.messageBodies()).toHaveLength(0);
  });

  test("a batch answer's repair turn is held against the cap: one that could pass it is not sent", async () => {
    stub.batchReply = (params) => ({ tool: { ...goodAnswer(promptText(params)), takeaways: ["one"] } });
    const direct = summarizer().estimateCostUsd(sampleInput());
    const budget = createBudget({ maxCostUsd: direct * 0.9 });
    const run = await summarizeBatch(summarizer({ budget }), items(1), fast);
    expect([...run.results.values()][0]).toMatchObject({ ok: false, skip: true, reason: expect.stringMatching(/asking again would add/) });
    expect(stub.messageBodies()).toHaveLength(0);
    expect(budget.spentUsd).toBeLessThanOrEqual(budget.maxCostUsd!);
  });

  test("a collected batch is booked whole before a repair turn is held: a repair the rest of the batch's cost would push past the cap is not sent", async () => {
    stub.pollsUntilEnded = Infinity;
    const night = items(10);
    const first = await summarizeBatch(summarizer(), night, { pollBaseMs: 1, timeLimitMs: 0 });
    stub.endBatches();
    const inputs = new Map(night.map((i) => [i.key, i.input]));
    // What the batch costs when every answer is valid, and what a repair of the first would be estimated at.
    const calibration = await collectPendingBatch(summarizer(), first.pending!, { ...fast, inputs });
    const costs = night.map((i) => {
      const r = calibration.results.get(i.key)!;
      return r.ok ? r.value : null;
    });
    const total = costs.reduce((sum, c) => sum + (c?.costUsd ?? 0), 0);
    const repair = repairEstimateUsd(summarizer().estimateCostUsd(night[0].input), costs[0]!.usage, DEFAULT_PRICES["claude-haiku-5-5"]);
    // Room for the first answer and its repair, not for the whole batch and the repair.
    const cap = costs[0]!.costUsd! + repair * 1.2 + (total - costs[0]!.costUsd!) / 2;

    stub.batchReply = (params, customId) =>
      customId === customIdFor(night[0].key)
        ? { tool: { ...goodAnswer(promptText(params)), takeaways: ["one"] } }
        : { tool: goodAnswer(promptText(params)) };
    const budget = createBudget({ maxCostUsd: cap });
    const collected = await collectPendingBatch(summarizer({ budget }), first.pending!, { ...fast, inputs });
    expect(collected.results.get(night[0].key)).toMatchObject({
      ok: false,
      skip: true,
      reason: expect.stringMatching(/asking again would add/),
    });
    expect(stub.messageBodies()).toHaveLength(0);
    expect(budget.spentUsd).toBeLessThanOrEqual(cap);
  });

  test("items that would pass the spend cap are left out of the batch", async () => {
    const probe = summarizer();
    const perItem = probe.estimateCostUsd(sampleInput(), { batch: true });
    const budget = createBudget({ maxCostUsd: perItem * 1.5 });
    const run = await summarizeBatch(summarizer({ budget }), items(3), fast);
    const [batch] = stub.batches.values();
    expect(batch.requests).toHaveLength(1);
    const refused = [...run.results.values()].filter((r) => !r.ok);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r).toMatchObject({ skip: true, reason: expect.stringMatching(/^spend cap reached/) });
    expect(budget.capReached).toBe(true);
  });

  test("a batch that cannot be created fails every item with the reason", async () => {
    const run = await summarizeBatch(summarizer({ apiKey: "x", baseURL: `${stub.url}/nowhere` }), items(2), fast);
    for (const r of run.results.values())
      expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^anthropic batch create: HTTP 404/) });
    expect(run.pending).toBeNull();
  });
});
