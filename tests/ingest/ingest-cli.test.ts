import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { html, json, startFixtureWeb, type FixtureWeb } from "../../scripts/fixtures/fixture-web.ts";

const run = promisify(execFile);
const NODE = join(process.cwd(), "node_modules/.bin/node");

async function ingest(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(NODE, ["scripts/ingest.ts", ...args], { env: { ...process.env, CI: "true" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const body = [
  "Open-weight language models now run on a single consumer graphics card.",
  "A team in Nairobi moved its support bot from a hosted API to a local model last spring.",
  "Their monthly bill fell from four thousand dollars to the price of electricity.",
  "Latency dropped as well, because requests no longer crossed an ocean.",
  "Quantisation to four bits cost them about two points on their internal benchmark.",
  "The hardest part was evaluation: nobody had written tests for the old prompts.",
  "Security reviewers liked that customer data never left the building.",
  "The team now fine-tunes adapters for Swahili and Sheng every quarter.",
  "Other startups in the region have started sharing their evaluation sets.",
  "Critics say the savings vanish once you count the engineers' time.",
]
  .map((sentence, i) => `<p>${sentence} Paragraph ${i + 1} of the report explains the details.</p>`)
  .join("");

let web: FixtureWeb;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-cli-"));
  web = await startFixtureWeb({});
  const now = Math.floor(Date.now() / 1000);
  const hit = (id: number, path: string) => ({
    objectID: String(id),
    title: `LLM story ${id}`,
    url: `${web.url}${path}`,
    author: "a",
    points: 120,
    num_comments: 0,
    created_at: new Date((now - 3600) * 1000).toISOString(),
    created_at_i: now - 3600,
    story_text: null,
  });
  const thread = (id: number, path: string) => ({
    id,
    type: "story",
    title: `LLM story ${id}`,
    url: `${web.url}${path}`,
    points: 120,
    created_at_i: now - 3600,
    children: [],
  });
  web.route("/good/search_by_date", json({ hits: [hit(1, "/a")], page: 0, nbPages: 1 }));
  web.route("/mixed/search_by_date", json({ hits: [hit(1, "/a"), hit(2, "/missing")], page: 0, nbPages: 1 }));
  for (const api of ["/good", "/mixed"]) {
    web.route(`${api}/items/1`, json(thread(1, "/a")));
    web.route(`${api}/items/2`, json(thread(2, "/missing")));
  }
  web.route(
    "/a",
    html(
      `<html><head><title>Open weights on one GPU</title></head><body><article><h1>Open weights on one GPU</h1>${body}</article></body></html>`,
    ),
  );
});

afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

async function configFor(name: string, api: string): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({
      sources: { hackerNews: { apiBase: `${web.url}${api}`, minPoints: 10 }, feeds: [] },
      contentDir: join(dir, name, "content"),
      cacheDir: join(dir, name, "cache"),
      blocklistFile: join(dir, name, "blocklist.txt"),
      runStateFile: join(dir, name, "state.json"),
      fetch: { retries: 0, respectRobots: false },
    }),
  );
  return file;
}

describe("npm run ingest", () => {
  it("exits 2 with the usage on an unknown option or a bad value", async () => {
    const unknown = await ingest(["--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'[\s\S]*usage: npm run ingest/);
    const limit = await ingest(["--limit", "many"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit must be a whole number above 0, not many");
  });

  it("exits 2 naming the file and field of a bad config", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ sources: { hackerNews: { minPoints: "lots" } } }));
    const result = await ingest(["--config", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: sources.hackerNews.minPoints: expected a number, found "lots"`);
  });

  it("exits 2 when --batch is asked of a provider without batches", async () => {
    const result = await ingest(["--batch", "--provider", "extractive"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--batch needs the anthropic provider");
  });

  it("exits 0 after a clean run, writing the article, the report and the run state", async () => {
    const config = await configFor("good", "/good");
    const report = join(dir, "good-report.json");
    const result = await ingest(["--config", config, "--allow-host", web.hostPort, "--report", report]);
    expect(result.stderr).toMatch(/^new\s+http:\/\/127\.0\.0\.1:\d+\/a → /m);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(await readFile(report, "utf8"));
    expect(parsed.totals).toMatchObject({ new: 1, failed: 0 });
    expect(parsed.items[0]).toMatchObject({ outcome: "new", model: "extractive-v1" });
    const state = JSON.parse(await readFile(join(dir, "good", "state.json"), "utf8"));
    expect(state).toMatchObject({ pendingBatches: [] });
    expect(typeof state.lastRunAt).toBe("string");
  });

  it("exits 1 when an item failed, listing it with its reason, and still writes the others", async () => {
    const config = await configFor("mixed", "/mixed");
    const result = await ingest(["--config", config, "--allow-host", web.hostPort]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed\s+http:\/\/127\.0\.0\.1:\d+\/missing\s+.*404/);
    expect(result.stderr).toMatch(/^new\s+http:\/\/127\.0\.0\.1:\d+\/a/m);
  });

  it("refuses the loopback fixture server without --allow-host", async () => {
    const config = await configFor("refused", "/good");
    const result = await ingest(["--config", config]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/source failed: hacker-news: .*(loopback|private|not allowed|refus)/i);
  });
});
