// The discussion stage: HN item trees parsed (nulls, bad shapes, deep nesting), comments ranked, de-duplicated and cut to a budget; fetched over real HTTP.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  commentScore,
  DEFAULT_MAX_COMMENT_CHARS,
  excerptThread,
  fetchDiscussion,
  flattenComments,
  parseHnItem,
  rankComments,
  type HnItem,
} from "../../../src/ingest/discussion/discussion.ts";
import { createFetcher } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import { fetchConfig } from "../../../src/ingest/config.ts";
import type { ThreadExcerpt } from "../../../src/ingest/types.ts";
import { json, startFixtureWeb, text, type FixtureWeb } from "../../../scripts/fixtures/fixture-web.ts";

const SEED = JSON.parse(readFileSync(new URL("../../fixtures/hn/seed-thread.json", import.meta.url), "utf8")) as unknown;
const FETCHED_AT = new Date("2026-06-25T06:00:00Z");

function parsed(json: unknown): HnItem {
  const result = parseHnItem(json);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function excerptOf(json: unknown, budgetChars = 12_000, maxCommentChars?: number): ThreadExcerpt {
  return excerptThread(parsed(json), { budgetChars, fetchedAt: FETCHED_AT, maxCommentChars });
}

const usedChars = (thread: ThreadExcerpt) => thread.excerpt.reduce((sum, c) => sum + c.text.length, 0);

/** A comment node in the API's shape. */
function comment(id: number, textHtml: string | null, children: unknown[] = [], extra: Record<string, unknown> = {}) {
  return { id, type: "comment", author: `user${id}`, text: textHtml, points: null, parent_id: null, children, ...extra };
}

function story(children: unknown[], extra: Record<string, unknown> = {}) {
  return {
    id: 1,
    type: "story",
    author: "poster",
    title: "A story",
    url: "https://example.com/a",
    text: null,
    points: 10,
    created_at: "2026-06-24T10:00:00.000Z",
    children,
    ...extra,
  };
}

describe("the seed thread", () => {
  const thread = excerptOf(SEED);
  const ids = thread.excerpt.map((c) => c.id);

  test("drops the deleted and the flagged comment and counts the 11 live ones of 13", () => {
    expect(ids).not.toContain("990000007"); // deleted: author and text null
    expect(ids).not.toContain("990000293"); // [flagged]
    expect(thread.comments).toBe(11);
    expect(ids).toHaveLength(11);
    expect(new Set(ids).size).toBe(11);
  });

  test("keeps the story's figures, title, thread URL and dates", () => {
    expect(thread).toMatchObject({
      site: "hacker-news",
      id: "990000001",
      url: "https://news.ycombinator.com/item?id=990000001",
      title: "For Most of the World, Open-Source AI Is the Only Way Forward",
      text: null,
      points: 312,
    });
    expect(thread.createdAt.toISOString()).toBe("2026-06-24T14:02:11.000Z");
    expect(thread.fetchedAt).toBe(FETCHED_AT);
  });

  test("ranks the top comment with the most replies first and replies deep in a sub-thread last", () => {
    expect(ids[0]).toBe("990000016"); // three live replies below it
    // Top-level comments that drew a reply come before those that did not.
    for (const answered of ["990000031", "990000022"]) {
      for (const unanswered of ["990000025", "990000034", "990000040"]) expect(ids.indexOf(answered)).toBeLessThan(ids.indexOf(unanswered));
    }
    expect(ids.at(-1)).toBe("990000004"); // depth 2, no replies
  });

  test("each kept comment has its author, permalink, depth and decoded text with paragraph breaks", () => {
    const byId = new Map(thread.excerpt.map((c) => [c.id, c]));
    for (const c of thread.excerpt) expect(c.permalink).toBe(`https://news.ycombinator.com/item?id=${c.id}`);
    expect(byId.get("990000016")).toMatchObject({ author: "localinference", depth: 0 });
    expect(byId.get("990000010")).toMatchObject({ author: "gpu_poor", depth: 1 });
    expect(byId.get("990000004")).toMatchObject({ author: "localinference", depth: 2 });
    expect(byId.get("990000016")!.text).toBe(
      'Qwen 3.6 27B is the first open model I\'d actually hand an agentic coding task to. It runs on a single 24 GB consumer card at 4-bit and the tool calling is solid.\n\nThat is what "accessible" means in practice.',
    );
    for (const c of thread.excerpt) expect(c.text).not.toMatch(/<|&#|&quot;|&amp;/);
  });

  test("a small budget keeps the best comments that fit and never passes the budget", () => {
    const full = thread.excerpt;
    for (const budget of [60, 250, 400, 800]) {
      const small = excerptOf(SEED, budget);
      expect(usedChars(small)).toBeLessThanOrEqual(budget);
      expect(small.comments).toBe(11);
      // Greedy in rank order: a comment is left out only if it did not fit in what was left then.
      let used = 0;
      for (const c of full) {
        const kept = small.excerpt.find((k) => k.id === c.id);
        if (kept) used += kept.text.length;
        else expect(used + Math.min(c.text.length, budget)).toBeGreaterThan(budget - 20);
      }
    }
    const one = excerptOf(SEED, 250);
    expect(one.excerpt[0].id).toBe("990000016");
  });

  test("a zero budget keeps no comment but still counts them", () => {
    const counts = excerptOf(SEED, 0);
    expect(counts.excerpt).toEqual([]);
    expect(counts.comments).toBe(11);
    expect(counts.points).toBe(312);
  });
});

describe("scoring", () => {
  test("more replies, more text (up to 1,000 characters) and less depth score higher", () => {
    expect(commentScore(3, 200, 0)).toBeGreaterThan(commentScore(1, 200, 0));
    expect(commentScore(0, 600, 0)).toBeGreaterThan(commentScore(0, 200, 0));
    expect(commentScore(0, 5000, 0)).toBe(commentScore(0, 1000, 0));
    expect(commentScore(0, 200, 0)).toBeGreaterThan(commentScore(0, 200, 2));
    expect(commentScore(3, 200, 0)).toBeCloseTo(2 * Math.log(4) + 0.4 - 0, 10);
  });

  test("equal scores keep the thread's order", () => {
    const tree = parsed(
      story([comment(10, "<p>same length A</p>"), comment(11, "<p>same length B</p>"), comment(12, "<p>same length C</p>")]),
    );
    expect(rankComments(flattenComments(tree)).map((c) => c.id)).toEqual(["10", "11", "12"]);
  });
});

describe("dead, deleted, nulls everywhere", () => {
  const raw = {
    id: 500,
    type: null,
    author: null,
    title: null,
    url: null,
    text: null,
    points: null,
    created_at: null,
    created_at_i: null,
    parent_id: null,
    story_id: null,
    options: null,
    children: [
      null,
      { id: 501, type: "comment", author: null, text: null, points: null, created_at: null, children: null },
      {
        id: 502,
        type: "comment",
        author: null,
        text: null,
        deleted: true,
        children: [comment(503, "<p>A live reply under a deleted comment is still read.</p>", undefined, { children: undefined })],
      },
      comment(504, "<p>[dead]</p>", [comment(505, "Reply to a dead one, also live.")]),
      comment(506, "Marked dead by the official API shape.", [], { dead: true }),
      comment(507, "<p> </p><p>&nbsp;</p>"),
      comment(508, "[flagged]"),
      comment(509, null, [null, { id: null, text: "no id, cannot be cited", children: [comment(510, "under the id-less one")] }]),
      comment(511, "<p>The only plain live comment &amp; its &lt;entities&gt;.</p>", [], {
        author: "alice",
        created_at: null,
        created_at_i: null,
      }),
    ],
  };

  test("parses, with every null read as absent", () => {
    const tree = parsed(raw);
    expect(tree).toMatchObject({ id: "500", type: null, title: null, url: null, text: null, points: null, createdAt: null });
    expect(tree.children.map((c) => c.id)).toEqual(["501", "502", "504", "506", "507", "508", "509", "511"]);
    expect(tree.children[0].children).toEqual([]);
    expect(tree.children[1].children[0].children).toEqual([]);
  });

  test("keeps only live comments, including replies under a deleted or dead comment", () => {
    const thread = excerptOf(raw);
    expect(thread.excerpt.map((c) => c.id).sort()).toEqual(["503", "505", "511"]);
    expect(thread.comments).toBe(3);
    expect(thread.excerpt.find((c) => c.id === "511")!.text).toBe("The only plain live comment & its <entities>.");
    expect(thread.excerpt.find((c) => c.id === "503")!.depth).toBe(1);
  });

  test("fills the story's missing figures with neutral values", () => {
    const thread = excerptOf(raw);
    expect(thread).toMatchObject({ title: "", text: null, points: 0, url: "https://news.ycombinator.com/item?id=500" });
    expect(thread.createdAt).toBe(FETCHED_AT);
  });

  test("reads created_at_i when created_at is missing", () => {
    expect(parsed(story([], { created_at: null, created_at_i: 1782309731 })).createdAt?.toISOString()).toBe("2026-06-24T14:02:11.000Z");
  });
});

describe("out-of-shape answers fail with the item and the reason", () => {
  const reasonOf = (json: unknown, id?: string) => {
    const result = parseHnItem(json, id);
    expect(result.ok).toBe(false);
    return result.ok ? "" : result.reason;
  };

  test("not an object", () => {
    expect(reasonOf("<html>", "123")).toBe("HN item 123: the answer is not an item object (got a string)");
    expect(reasonOf(null, "123")).toBe("HN item 123: the answer is not an item object (got null)");
    expect(reasonOf([story([])], "123")).toBe("HN item 123: the answer is not an item object (got an array)");
    expect(reasonOf(42)).toBe("HN item (unknown id): the answer is not an item object (got a number)");
  });

  test("children not an array, on the story or on a comment", () => {
    expect(reasonOf({ ...story([]), children: "none" })).toBe("HN item 1: children is not an array (got a string)");
    expect(reasonOf(story([comment(7, "hi", [{ ...comment(8, "x"), children: { nested: true } }])]))).toBe(
      "HN item 1: comment 8: children is not an array (got an object)",
    );
  });

  test("a child that is not an object, an id that is not a number, a field of the wrong type", () => {
    expect(reasonOf(story([comment(7, "ok"), 5]))).toBe("HN item 1: children[1] of the story is not an object (got a number)");
    expect(reasonOf(story([comment(7, "ok", ["text"])]))).toBe("HN item 1: children[0] of comment 7 is not an object (got a string)");
    expect(reasonOf(story([{ ...comment(7, "ok"), id: "seven" }]))).toBe('HN item 1: comment seven: id is not a number (got "seven")');
    expect(reasonOf(story([{ ...comment(7, "ok"), text: 12 }]))).toBe("HN item 1: comment 7: text is not a string (got a number)");
    expect(reasonOf({ ...story([]), id: null }, "77")).toBe("HN item 77: id is not a number (got null)");
  });
});

describe("big trees", () => {
  test("a thread nested 10,000 levels deep parses and excerpts without overflowing the stack", () => {
    const depth = 10_000;
    // Built as text: JSON.stringify itself would overflow on such a value.
    let open = "";
    for (let i = 0; i < depth; i++)
      open += `{"id":${100 + i},"type":"comment","author":"u${i}","text":"<p>Reply number ${i} in a long chain of replies.</p>","children":[`;
    const body = `{"id":1,"type":"story","title":"Deep","points":5,"children":[${open}${"]}".repeat(depth)}]}`;
    const tree = parseHnItem(JSON.parse(body));
    expect(tree.ok).toBe(true);
    if (!tree.ok) return;
    const flat = flattenComments(tree.value);
    expect(flat).toHaveLength(depth);
    expect(flat[0].replies).toBe(depth - 1);
    expect(flat.at(-1)!.depth).toBe(depth - 1);
    const thread = excerptThread(tree.value, { budgetChars: 2_000, fetchedAt: FETCHED_AT });
    expect(thread.comments).toBe(depth);
    expect(thread.excerpt[0].id).toBe("100"); // the chain's head: every other comment is below it
    expect(usedChars(thread)).toBeLessThanOrEqual(2_000);
  });

  test("a thread of 20,000 comments is cut to the budget", () => {
    const children = Array.from({ length: 200 }, (_, i) =>
      comment(
        10_000 + i,
        `<p>Top comment ${i} says something specific about topic ${i} at length, with detail ${"and more detail ".repeat(i % 20)}.</p>`,
        Array.from({ length: 99 }, (_, j) => comment(100_000 + i * 100 + j, `<p>Reply ${j} to ${i}: point ${i * 100 + j} made once.</p>`)),
      ),
    );
    const thread = excerptOf(story(children), 12_000);
    expect(thread.comments).toBe(20_000);
    expect(usedChars(thread)).toBeLessThanOrEqual(12_000);
    expect(usedChars(thread)).toBeGreaterThan(11_000);
    expect(new Set(thread.excerpt.map((c) => c.id)).size).toBe(thread.excerpt.length);
  });
});

describe("de-duplication and long comments", () => {
  test("the same comment posted twice, or with a word changed, is kept once (the better-ranked copy)", () => {
    const long =
      "Running the open weights locally on a consumer card changed how I think about the cost of inference for small teams and hobbyists alike";
    const tree = story([
      comment(20, `<p>${long}.</p>`, [comment(21, "<p>Agreed.</p>")]),
      comment(22, `<p>${long.toUpperCase()}!!</p>`),
      comment(23, `<p>${long.replace("hobbyists", "students")}.</p>`),
      comment(24, "<p>A different point entirely about licences and who may use the weights.</p>"),
    ]);
    const ids = excerptOf(tree).excerpt.map((c) => c.id);
    expect(ids).toContain("20");
    expect(ids).not.toContain("22");
    expect(ids).not.toContain("23");
    expect(ids).toContain("24");
    expect(excerptOf(tree).comments).toBe(5);
  });

  test("a comment longer than the per-comment limit is cut at a word with an ellipsis", () => {
    const essay = "word ".repeat(2_000).trim();
    const thread = excerptOf(story([comment(30, `<p>${essay}</p>`)]));
    expect(thread.excerpt[0].text.length).toBeLessThanOrEqual(DEFAULT_MAX_COMMENT_CHARS);
    expect(thread.excerpt[0].text).toMatch(/word…$/);
    expect(excerptOf(story([comment(30, `<p>${essay}</p>`)]), 12_000, 300).excerpt[0].text.length).toBeLessThanOrEqual(300);
  });
});

describe("story text (Ask HN / Show HN)", () => {
  test("becomes plain text with its paragraphs, links and code", () => {
    const ask = story([comment(40, "<p>Try llama.cpp.</p>")], {
      title: "Ask HN: What do you run locally?",
      url: null,
      text: 'I&#x27;m choosing a model.<p>Options: <a href="https://example.com/x" rel="nofollow">https://example.com/x</a> or <i>vLLM</i>.<p><pre><code>  ollama run qwen3 &gt; out.txt\n</code></pre>',
    });
    const thread = excerptOf(ask);
    expect(thread.text).toBe("I'm choosing a model.\n\nOptions: https://example.com/x or vLLM.\n\nollama run qwen3 > out.txt");
    expect(thread.title).toBe("Ask HN: What do you run locally?");
  });

  test("poll options are not comments", () => {
    const poll = story([{ id: 60, type: "pollopt", author: "poster", text: "Option A", children: [] }, comment(61, "I voted A.")], {
      type: "poll",
    });
    expect(excerptOf(poll).excerpt.map((c) => c.id)).toEqual(["61"]);
  });
});

describe("fetchDiscussion over HTTP", () => {
  let web: FixtureWeb;
  let fetcher: Fetcher;
  const apiBase = () => `${web.url}/api/v1`;
  const opts = { budgetChars: 12_000, fetchedAt: FETCHED_AT };

  beforeAll(async () => {
    web = await startFixtureWeb({
      "/api/v1/items/990000001": json(SEED),
      "/api/v1/items/2": text("{ this is not json", "application/json"),
      "/api/v1/items/3": json({ ...story([]), id: 4 }),
      "/api/v1/items/5": json({ ...story([]), id: 5, children: "no" }),
      "/api/v1/items/6": text(
        `{"id":6,"type":"story","children":[${'{"id":7,"author":"a","text":"deep","children":['.repeat(5_000)}${"]}".repeat(5_000)}]}`,
        "application/json",
      ),
    });
    fetcher = createFetcher({ ...fetchConfig(), allowHosts: [web.hostPort], cacheDir: null, retries: 0, respectRobots: false });
  });
  afterAll(async () => {
    await fetcher.close();
    await web.close();
  });

  test("fetches the whole tree in one request and excerpts it", async () => {
    const result = await fetchDiscussion(fetcher, `${apiBase()}/`, "990000001", opts);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(excerptOf(SEED));
    expect(web.requestsTo("/api/v1/items/990000001")).toHaveLength(1);
  });

  test("an answer that is not JSON fails with the item and the parser's reason", async () => {
    const result = await fetchDiscussion(fetcher, apiBase(), "2", opts);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.reason).toMatch(/^HN item 2: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/items\/2 did not answer JSON \(.+\)$/);
  });

  test("another item than asked for, or a tree out of shape, fails", async () => {
    expect(await fetchDiscussion(fetcher, apiBase(), "3", opts)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^HN item 3: .* answered item 4 instead$/),
    });
    expect(await fetchDiscussion(fetcher, apiBase(), "5", opts)).toEqual({
      ok: false,
      reason: "HN item 5: children is not an array (got a string)",
    });
  });

  test("a missing item fails with the fetcher's reason; a bad id fails before any request", async () => {
    const missing = await fetchDiscussion(fetcher, apiBase(), "404", opts);
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining("/api/v1/items/404") });
    const before = web.requests.length;
    expect(await fetchDiscussion(fetcher, apiBase(), "../admin", opts)).toEqual({
      ok: false,
      reason: 'HN item "../admin": not a Hacker News id (digits only)',
    });
    expect(web.requests.length).toBe(before);
  });

  test("a deep tree over HTTP", async () => {
    const result = await fetchDiscussion(fetcher, apiBase(), "6", { budgetChars: 100, fetchedAt: FETCHED_AT });
    expect(result.ok && result.value.comments).toBe(5_000);
  });
});
