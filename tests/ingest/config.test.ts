import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_PATH, ingestConfigFileSchema, loadConfig, parseConfig } from "../../src/ingest/config.ts";
import { TAGS } from "../../src/article/tags.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function reasonOf(result: { ok: boolean; reason?: string }): string {
  expect(result.ok).toBe(false);
  return result.reason ?? "";
}

describe("the default config file", () => {
  it("parses, with absolute paths beside the repository root", async () => {
    const result = await loadConfig();
    if (!result.ok) throw new Error(result.reason);
    const config = result.value;
    expect(config.file).toBe(DEFAULT_CONFIG_PATH);
    expect(config.sources.hackerNews.apiBase).toBe("https://hn.algolia.com/api/v1");
    expect(config.summarizer.provider).toBe("extractive");
    expect(config.contentDir).toBe(join(DEFAULT_CONFIG_PATH, "..", "content"));
    expect(config.blocklistFile).toBe(join(DEFAULT_CONFIG_PATH, "..", "content", "blocklist.txt"));
    expect(config.runStateFile).toBe(join(DEFAULT_CONFIG_PATH, "..", "state", "ingest-state.json"));
    expect(config.refreshWindowDays).toBe(7);
  });

  it("lists every setting that has a default, so it shows maintainers all there is", async () => {
    const text = JSON.parse(await readFile(DEFAULT_CONFIG_PATH, "utf8"));
    expect(ingestConfigFileSchema.parse(text)).toEqual(text);
  });
});

describe("defaults", () => {
  it("fill every field of an empty file", async () => {
    const result = await loadConfig(await configFile("empty.json", "{}"));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.fetch.maxBytes).toBe(5 * 1024 * 1024);
    expect(result.value.fetch.maxRedirects).toBe(5);
    expect(result.value.sources.feeds).toEqual([]);
    expect(result.value.topic.useTagVocabulary).toBe(true);
    expect(result.value.summarizer.anthropic.model).toBe("claude-haiku-5-5");
    expect(result.value.cacheDir).toBe(join(dir, ".cache", "ingest"));
  });

  it("fill the rest of a partly given group", () => {
    const result = parseConfig({ sources: { hackerNews: { minPoints: 5 } } }, null);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.sources.hackerNews).toMatchObject({ minPoints: 5, enabled: true, maxStories: 200 });
  });

  it("give the summarizer the vocabulary plus extra tags", () => {
    const result = parseConfig({ summarizer: { extraTags: ["quantum-computing"] } }, null);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.summarizer.vocabulary).toEqual([...TAGS, "quantum-computing"]);
  });
});

describe("a bad config names the file, the field and what was expected", () => {
  it("an unknown setting, with the settings allowed there", async () => {
    const file = await configFile("typo.json", JSON.stringify({ sources: { hackerNews: { minPoint: 10 } } }));
    expect(reasonOf(await loadConfig(file))).toBe(
      `${file}: sources.hackerNews.minPoint: unknown setting (expected one of enabled, apiBase, minPoints, lookbackHours, maxStories, pageSize)`,
    );
  });

  it("an unknown top-level setting", () => {
    expect(reasonOf(parseConfig({ sorces: {} }, null))).toMatch(/^config: sorces: unknown setting \(expected one of sources, topic,/);
  });

  it("a wrong type", () => {
    expect(reasonOf(parseConfig({ refreshWindowDays: "seven" }, null))).toBe('config: refreshWindowDays: expected a number, found "seven"');
  });

  it("a bad feed URL, by its position in the list", () => {
    const reason = reasonOf(
      parseConfig(
        {
          sources: {
            feeds: [
              { name: "a", url: "https://a.example/feed" },
              { name: "b", url: "not a url" },
            ],
          },
        },
        null,
      ),
    );
    expect(reason).toBe('config: sources.feeds[1].url: expected a full URL such as https://example.com/page, found "not a url"');
  });

  it("a feed URL that is not http(s)", () => {
    expect(reasonOf(parseConfig({ sources: { feeds: [{ name: "a", url: "file:///etc/passwd" }] } }, null))).toMatch(
      /^config: sources\.feeds\[0\]\.url: expected a full URL/,
    );
  });

  it("a missing required field", () => {
    expect(reasonOf(parseConfig({ sources: { feeds: [{ url: "https://a.example/feed" }] } }, null))).toBe(
      "config: sources.feeds[0].name: expected text (the field is missing)",
    );
  });

  it("two feeds with one name", () => {
    const feeds = [
      { name: "Blog", url: "https://a.example/feed" },
      { name: "blog", url: "https://b.example/feed" },
    ];
    expect(reasonOf(parseConfig({ sources: { feeds } }, null))).toBe(
      'config: sources.feeds[1].name: expected a name no other source uses (names are compared ignoring case; hacker-news is taken), found "blog"',
    );
  });

  it("an unknown provider", () => {
    expect(reasonOf(parseConfig({ summarizer: { provider: "gpt" } }, null))).toBe(
      'config: summarizer.provider: expected one of extractive, anthropic, openai-compatible, found "gpt"',
    );
  });

  it("an extra tag that is not a slug", () => {
    expect(reasonOf(parseConfig({ summarizer: { extraTags: ["Quantum Computing"] } }, null))).toBe(
      'config: summarizer.extraTags[0]: expected a lowercase slug such as `quantum-computing`, found "Quantum Computing"',
    );
  });

  it("a price with a missing rate, under a model id", () => {
    expect(reasonOf(parseConfig({ summarizer: { prices: { "my-model": { input: 1, output: 2, cacheRead: 0.1 } } } }, null))).toBe(
      "config: summarizer.prices.my-model.cacheWrite: expected a number (the field is missing)",
    );
  });

  it("a spend cap of zero", () => {
    expect(reasonOf(parseConfig({ summarizer: { maxCostUsd: 0 } }, null))).toBe(
      "config: summarizer.maxCostUsd: expected a number above 0, or null for no cap, found 0",
    );
  });

  it("every problem, one per line", () => {
    const reason = reasonOf(parseConfig({ refreshWindowDays: -1, fetch: { maxBytes: 0, colour: "red" } }, null));
    expect(reason.split("\n").sort()).toEqual([
      "config: fetch.colour: unknown setting (expected one of userAgent, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs, maxBytes, maxRedirects, retries, retryBaseMs, retryMaxMs, perHostConcurrency, globalConcurrency, respectRobots, itemDeadlineMs)",
      "config: fetch.maxBytes: expected a number of at least 1, found 0",
      "config: refreshWindowDays: expected a number of at least 0, found -1",
    ]);
  });

  it("bad JSON", async () => {
    const file = await configFile("broken.json", '{ "sources": { } ');
    expect(reasonOf(await loadConfig(file))).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON: `));
  });

  it("a missing file", async () => {
    const file = join(dir, "nope.json");
    expect(reasonOf(await loadConfig(file))).toBe(`${file}: cannot read the config file (ENOENT)`);
  });
});

describe("a config module", () => {
  it("a .mjs file's default export is the config", async () => {
    const file = await configFile(
      "themata.config.mjs",
      "export default { refreshWindowDays: 3, sources: { hackerNews: { enabled: false } } };\n",
    );
    const result = await loadConfig(file);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.refreshWindowDays).toBe(3);
    expect(result.value.sources.hackerNews.enabled).toBe(false);
  });

  it("a .ts file's default export is the config, checked like JSON", async () => {
    const file = await configFile(
      "themata.config.ts",
      'const config: { topic: { keywords: string[] } } = { topic: { keywords: ["robots"] } };\nexport default config;\n',
    );
    const result = await loadConfig(file);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.topic.keywords).toEqual(["robots"]);
  });

  it("a module without a default export fails", async () => {
    const file = await configFile("named.mjs", "export const config = {};\n");
    expect(reasonOf(await loadConfig(file))).toBe(`${file}: the config module has no default export (write \`export default { … }\`)`);
  });

  it("a module's bad value names the field", async () => {
    const file = await configFile("bad.mjs", 'export default { summarizer: { maxCostUsd: "lots" } };\n');
    expect(reasonOf(await loadConfig(file))).toBe(`${file}: summarizer.maxCostUsd: expected a number, found "lots"`);
  });
});
