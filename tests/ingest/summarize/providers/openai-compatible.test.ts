import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { parseConfig } from "../../../../src/ingest/config.ts";
import {
  chatCompletionsUrl,
  createOpenAiCompatibleSummarizer,
  type OpenAiCompatibleRunOptions,
} from "../../../../src/ingest/summarize/providers/openai-compatible.ts";
import type { IngestConfigInput } from "../../../../src/ingest/config.ts";
import { SUMMARY_TOOL_NAME } from "../../../../src/ingest/summarize/prompt.ts";
import { summaryJsonSchema } from "../../../../src/ingest/summarize/answer-check.ts";
import { createBudget } from "../../../../src/ingest/budget/cost.ts";
import { goodAnswer } from "../../../../scripts/fixtures/anthropic-stub.ts";
import { chatPrompt, startOpenAiStub, type OpenAiStub } from "../../../../scripts/fixtures/openai-stub.ts";
import { sampleInput, summarizerConfig } from "./sample-input.ts";

let stub: OpenAiStub;
let waits: number[];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  stub = await startOpenAiStub();
  waits = [];
  vi.stubEnv("THEMATA_OPENAI_API_KEY", "");
  vi.stubEnv("OPENAI_API_KEY", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(closers.splice(0).map((close) => close()));
  await stub.close();
});

type SummarizerInput = NonNullable<IngestConfigInput["summarizer"]>;

/** The provider on the stub (or `server`), with `config` over a local model's section; waits are recorded, not slept. */
function summarizer(
  options: Partial<OpenAiCompatibleRunOptions> & { server?: SummarizerInput["openaiCompatible"]; config?: SummarizerInput } = {},
) {
  const { server, config, ...run } = options;
  const created = createOpenAiCompatibleSummarizer(
    summarizerConfig({ ...config, openaiCompatible: { baseUrl: stub.url, model: "qwen3-8b-instruct", ...server } }),
    {
      budget: createBudget(),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5_000 },
      sleep: async (ms) => void waits.push(ms),
      ...run,
    },
  );
  if (!created.ok) throw new Error(created.reason);
  closers.push(created.value.close);
  return created.value;
}

describe("openai-compatible summarizer", () => {
  test("a good answer: a json_schema response_format from the article schema; usage from the response", async () => {
    const result = await summarizer().summarize(sampleInput());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ provider: "openai-compatible", model: "qwen3-8b-instruct", costUsd: 0 });
    expect(result.value.output.tags).toEqual(["llms", "open-source-ai", "local-ai"]);

    const [body] = stub.chatBodies();
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: SUMMARY_TOOL_NAME, schema: summaryJsonSchema(), strict: true },
    });
    expect(body.messages.map((m: any) => m.role)).toEqual(["system", "user"]);
    expect(body.model).toBe("qwen3-8b-instruct");
    expect(result.value.usage.input).toBeGreaterThan(500);
    expect(result.value.usage.output).toBeGreaterThan(20);
    expect(stub.requests[0].headers.authorization).toBeUndefined();
  });

  test("an invalid JSON answer is asked again with the error; a good second answer is used", async () => {
    stub.queue({ content: '{"summary": "The model said' });
    const result = await summarizer().summarize(sampleInput());
    expect(result.ok).toBe(true);
    const second = stub.chatBodies()[1];
    expect(second.messages.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second.messages[2].content).toBe('{"summary": "The model said');
    expect(second.messages[3].content).toMatch(/- \(answer\): not valid JSON/);
  });

  test("an invalid answer twice fails the item cleanly with the reasons", async () => {
    stub.queue({ content: { ...goodAnswer(""), takeaways: [] } }, { content: { ...goodAnswer(""), takeaways: ["x"] } });
    const result = await summarizer().summarize(sampleInput({ discussion: null }));
    expect(result).toEqual({ ok: false, reason: "invalid answer: takeaways: give 3 to 5 takeaways (after one retry with the errors)" });
  });

  test("an answer in a Markdown code fence is read", async () => {
    stub.queue({ content: "```json\n" + JSON.stringify(goodAnswer("")) + "\n```" });
    expect((await summarizer().summarize(sampleInput({ discussion: null }))).ok).toBe(true);
  });

  test("429 with retry-after and a 503 are retried and counted", async () => {
    stub.queue(
      { error: { status: 429, message: "busy" }, headers: { "retry-after": "1" } },
      { error: { status: 503, message: "loading model" } },
    );
    const budget = createBudget();
    const result = await summarizer({ budget }).summarize(sampleInput());
    expect(result.ok).toBe(true);
    expect(waits[0]).toBe(1000);
    expect(waits).toHaveLength(2);
    expect(budget.retriesUsed).toBe(2);
  });

  test("a 400 fails at once with the server's message", async () => {
    stub.queue({ error: { status: 400, message: "response_format not supported" } });
    const result = await summarizer().summarize(sampleInput());
    expect(!result.ok && result.reason).toBe(`openai-compatible ${stub.url}/v1/chat/completions: HTTP 400: response_format not supported`);
  });

  test("an unreachable server is retried, then fails with the reason", async () => {
    const gone = `${stub.url}`;
    await stub.close();
    const result = await summarizer({ server: { baseUrl: gone } }).summarize(sampleInput());
    expect(!result.ok && result.reason).toMatch(/connection failed .*\(gave up after 3 attempts\)$/);
    stub = await startOpenAiStub();
  });

  test("a key is sent only when the config names its variable for that server", async () => {
    vi.stubEnv("OPENAI_API_KEY", "a-key-for-someone-else");
    vi.stubEnv("MY_SERVER_KEY", "server-key");
    await summarizer().summarize(sampleInput());
    await summarizer({ server: { apiKeyEnv: "MY_SERVER_KEY" } }).summarize(sampleInput());
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual([undefined, "Bearer server-key"]);
    vi.stubEnv("MY_SERVER_KEY", "");
    const unset = createOpenAiCompatibleSummarizer(
      summarizerConfig({ openaiCompatible: { baseUrl: stub.url, apiKeyEnv: "MY_SERVER_KEY" } }),
      { budget: createBudget() },
    );
    expect(unset).toMatchObject({ ok: false, reason: expect.stringMatching(/^MY_SERVER_KEY is not set/) });
  });

  test("a server that refuses the key (401) stops the summarizer: no later item is sent", async () => {
    const guarded = await startOpenAiStub({ requireKey: "right-key" });
    try {
      vi.stubEnv("MY_SERVER_KEY", "wrong-key");
      const s = summarizer({ server: { baseUrl: guarded.url, apiKeyEnv: "MY_SERVER_KEY" } });
      const first = await s.summarize(sampleInput({}, 1));
      expect(first).toMatchObject({ ok: false, reason: expect.stringMatching(/HTTP 401: invalid api key/) });
      expect(s.stopReason!()).toMatch(/the API refused the key or its permissions/);
      expect(await s.summarize(sampleInput({}, 2))).toMatchObject({ ok: false, skip: true });
      expect(guarded.chatBodies()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  test("an unpriced model on a server off this machine and network needs a price or free: true", () => {
    const start = (openaiCompatible: Record<string, unknown>, prices = {}) =>
      createOpenAiCompatibleSummarizer(summarizerConfig({ openaiCompatible: { model: "big-model", ...openaiCompatible }, prices }), {
        budget: createBudget(),
      });
    expect(start({ baseUrl: "https://api.example.com" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no price for model big-model on api\.example\.com.*openaiCompatible\.free/),
    });
    expect(start({ baseUrl: "https://api.example.com", free: true }).ok).toBe(true);
    expect(start({ baseUrl: "https://api.example.com" }, { "big-model": { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 } }).ok).toBe(
      true,
    );
    for (const baseUrl of ["http://127.0.0.1:8080", "http://localhost:11434", "http://192.168.1.20:8000", "http://gpu-box.local:8080"])
      expect(start({ baseUrl }).ok).toBe(true);
  });

  test("a prompt the server cut to its context window fails the item, naming OLLAMA_CONTEXT_LENGTH", async () => {
    stub.contextTokens = 1000;
    const result = await summarizer().summarize(sampleInput());
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/read only 1000 prompt tokens .*OLLAMA_CONTEXT_LENGTH/) });
    expect(stub.chatBodies()).toHaveLength(1);
  });

  test("one request at a time by default; summarizer.openaiCompatible.concurrency allows more", async () => {
    stub.latencyMs = 40;
    const one = summarizer();
    await Promise.all([1, 2, 3, 4].map((n) => one.summarize(sampleInput({}, n))));
    expect(stub.maxInFlight).toBe(1);
    const three = summarizer({ server: { concurrency: 3 } });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => three.summarize(sampleInput({}, n))));
    expect(stub.maxInFlight).toBe(3);
  });

  test("extra request fields from the config go into every request; the ingest's own fields cannot be replaced", async () => {
    const extraBody = { chat_template_kwargs: { enable_thinking: false }, top_k: 20 };
    await summarizer({ server: { extraBody } }).summarize(sampleInput());
    expect(stub.chatBodies()[0]).toMatchObject({ ...extraBody, model: "qwen3-8b-instruct" });
    expect(parseConfig({ summarizer: { openaiCompatible: { extraBody: { model: "other" } } } }, null)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/extraBody: expected none of the fields/),
    });
  });

  test("cached prompt tokens are reported apart", async () => {
    stub.queue({ content: goodAnswer(""), cachedTokens: 300 });
    const result = await summarizer().summarize(sampleInput({ discussion: null }));
    expect(result.ok && result.value.usage.cachedInput).toBe(300);
  });

  test("a priced model counts toward the spend cap", async () => {
    const budget = createBudget({ maxCostUsd: 1 });
    const prices = { "hosted-model": { input: 1, output: 2, cacheWrite: 0, cacheRead: 0.1 } };
    const result = await summarizer({ server: { model: "hosted-model" }, config: { prices }, budget }).summarize(sampleInput());
    expect(result.ok && result.value.costUsd).toBeGreaterThan(0);
    expect(budget.spentUsd).toBe(result.ok && result.value.costUsd);
  });

  test("the config's openaiCompatible section sets server, model, limits and temperature", async () => {
    await summarizer({ server: { baseUrl: `${stub.url}/v1`, model: "qwen3:8b", temperature: 0.2, timeoutSeconds: 60 } }).summarize(
      sampleInput(),
    );
    expect(stub.chatBodies()[0]).toMatchObject({ model: "qwen3:8b", temperature: 0.2, max_tokens: 2048 });
  });

  test("the endpoint is <base>/v1/chat/completions, whether the base ends in /v1 or not", () => {
    expect(chatCompletionsUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/v1/chat/completions");
    expect(chatCompletionsUrl("http://127.0.0.1:11434/v1/")).toBe("http://127.0.0.1:11434/v1/chat/completions");
  });

  test("an empty model name or a bad base URL is a config error", () => {
    expect(parseConfig({ summarizer: { openaiCompatible: { model: "" } } }, null)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/summarizer\.openaiCompatible\.model/),
    });
    expect(parseConfig({ summarizer: { openaiCompatible: { baseUrl: "localhost:8080" } } }, null)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/summarizer\.openaiCompatible\.baseUrl/),
    });
  });

  test("the stub sees the same fenced prompt the Anthropic provider sends", async () => {
    await summarizer().summarize(sampleInput());
    expect(chatPrompt(stub.chatBodies()[0])).toMatch(/^The data for this request is fenced with the id DATA-[0-9a-f]{32}\./);
  });
});
