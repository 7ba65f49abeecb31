// The shard merge: per-shard results come out as the one list a single index would give.
import { describe, expect, it } from "vitest";
import {
  contributingShards,
  inOrder,
  mergeShardResults,
  mergeSorted,
  dateWalk,
  searchEachShard,
  searchShards,
  type PagefindResult,
  type SearchOptions,
  type Shard,
  type ShardedIndex,
} from "../../src/search/merge.ts";

/** A result whose data load is counted, so tests can see what was fetched ahead. */
function result(url: string, score: number, meta: Record<string, string>, loads: string[] = []): PagefindResult {
  return {
    score,
    data: async () => {
      loads.push(url);
      return { url, meta };
    },
  };
}

const urls = async (list: { next(n: number): Promise<{ url: string }[]> }, n: number) => (await list.next(n)).map((d) => d.url);

describe("inOrder", () => {
  it("hands out results a page at a time in the given order", async () => {
    const list = inOrder([result("a", 3, {}), result("b", 2, {}), result("c", 1, {})]);
    expect(list.total).toBe(3);
    expect(await urls(list, 2)).toEqual(["a", "b"]);
    expect(await urls(list, 2)).toEqual(["c"]);
    expect(await urls(list, 2)).toEqual([]);
  });
});

describe("mergeSorted", () => {
  const newer = [result("n1", 1, { date: "2026-06-20" }), result("n2", 1, { date: "2026-03-01" })];
  const older = [result("o1", 1, { date: "2026-05-01" }), result("o2", 1, { date: "2025-01-01" })];

  it("merges sorted shards by the sort key, descending", async () => {
    const list = mergeSorted([newer, older], "date", "desc");
    expect(list.total).toBe(4);
    expect(await urls(list, 10)).toEqual(["n1", "o1", "n2", "o2"]);
  });

  it("merges ascending lists by the sort key, ascending", async () => {
    const list = mergeSorted([[...newer].reverse(), [...older].reverse()], "date", "asc");
    expect(await urls(list, 10)).toEqual(["o2", "n2", "o1", "n1"]);
  });

  it("compares zero-padded heat as text, which is value order", async () => {
    const a = [result("a90", 1, { heat: "090" }), result("a05", 1, { heat: "005" })];
    const b = [result("b100", 1, { heat: "100" }), result("b10", 1, { heat: "010" })];
    expect(await urls(mergeSorted([a, b], "heat", "desc"), 10)).toEqual(["b100", "a90", "b10", "a05"]);
  });

  it("gives ties to the earlier (newer) shard", async () => {
    const list = mergeSorted([[result("first", 1, { heat: "050" })], [result("second", 1, { heat: "050" })]], "heat", "desc");
    expect(await urls(list, 10)).toEqual(["first", "second"]);
  });

  it("continues where the last page stopped, loading only each shard's head ahead", async () => {
    const loads: string[] = [];
    const a = ["a1", "a2", "a3"].map((u, i) => result(u, 1, { date: `2026-0${9 - i}-01` }, loads));
    const b = ["b1", "b2", "b3"].map((u, i) => result(u, 1, { date: `2025-0${9 - i}-01` }, loads));
    const list = mergeSorted([a, b], "date", "desc");
    expect(await urls(list, 2)).toEqual(["a1", "a2"]);
    expect(new Set(loads)).toEqual(new Set(["a1", "a2", "b1"]));
    expect(await urls(list, 10)).toEqual(["a3", "b1", "b2", "b3"]);
  });

  it("treats a missing key as the lowest value", async () => {
    const list = mergeSorted([[result("none", 1, {})], [result("dated", 1, { date: "2020-01-01" })]], "date", "desc");
    expect(await urls(list, 10)).toEqual(["dated", "none"]);
  });
});

describe("mergeShardResults", () => {
  it("orders best match across shards by score", async () => {
    const list = mergeShardResults([[result("a", 0.5, {}), result("b", 0.1, {})], [result("c", 0.9, {})]], {});
    expect(await urls(list, 10)).toEqual(["c", "a", "b"]);
  });

  it("merges by the sort key when one is chosen", async () => {
    const list = mergeShardResults([[result("a", 9, { heat: "010" })], [result("b", 1, { heat: "020" })]], { heat: "desc" });
    expect(await urls(list, 10)).toEqual(["b", "a"]);
  });
});

describe("contributingShards", () => {
  it("drops a shard lacking a word another shard knows", () => {
    expect(
      contributingShards([
        [true, true],
        [true, false],
        [false, true],
      ]),
    ).toEqual([true, false, false]);
  });

  it("ignores a word no shard knows, as one index would", () => {
    expect(
      contributingShards([
        [true, false],
        [true, false],
      ]),
    ).toEqual([true, true]);
  });

  it("keeps every shard for a query without words (a filter-only list)", () => {
    expect(contributingShards([[], []])).toEqual([true, true]);
  });
});

/** A fake Pagefind over shards: word → urls (newest first), per shard; a search sees only the shards loaded so far. */
function fakePagefind(
  index: Record<string, Record<string, string[]>>,
  calls: [string | null, SearchOptions][] = [],
  loaded = new Set<string>(Object.keys(index)),
): ShardedIndex {
  return {
    async load(shard: Shard) {
      loaded.add(shard.id);
    },
    async search(query, options) {
      calls.push([query, options]);
      const shard = options.filters?.shard ?? "";
      if (!loaded.has(shard)) throw new Error(`shard ${shard} searched before it was loaded`);
      const words = (query ?? "").split(/\s+/).filter(Boolean);
      const known = words.filter((w) => index[shard]?.[w]);
      const found = [...new Set(query === null ? Object.values(index[shard] ?? {}).flat() : known.flatMap((w) => index[shard][w]))];
      if (options.sort?.date === "asc") found.reverse();
      return { results: found.map((u) => result(u, 1, {})) };
    },
  };
}

describe("searchEachShard", () => {
  const shards = [
    { id: "2026", path: "" },
    { id: "2025", path: "2025/" },
  ];

  it("searches each shard with its filter added, skipping a shard that lacks a known word", async () => {
    const calls: [string | null, SearchOptions][] = [];
    const pagefind = fakePagefind({ "2026": { open: ["/a/"], models: ["/a/"] }, "2025": { open: ["/b/"] } }, calls);
    const each = await searchEachShard(pagefind, shards, "open models", { filters: { tag: "x" }, sort: { date: "desc" } });
    expect(each.map((list) => list.length)).toEqual([1, 0]);
    expect(calls.at(-1)).toEqual(["open models", { filters: { tag: "x", shard: "2026" }, sort: { date: "desc" } }]);
  });

  it("lists every shard's matches for a filter-only query", async () => {
    const pagefind = fakePagefind({ "2026": { x: ["/a/"] }, "2025": { y: ["/b/"] } });
    const each = await searchEachShard(pagefind, shards, "", { filters: { tag: "x" } });
    expect(each.map((list) => list.length)).toEqual([1, 1]);
  });
});

describe("dateWalk", () => {
  const shards = ["recent", "2025", "2024", "undated"].map((id) => ({ id, path: `${id}/` }));
  it("reads shards newest first, or oldest first, with undated articles last either way", () => {
    expect(dateWalk(shards, "desc").map((s) => s.id)).toEqual(["recent", "2025", "2024", "undated"]);
    expect(dateWalk(shards, "asc").map((s) => s.id)).toEqual(["2024", "2025", "recent", "undated"]);
  });
});

describe("searchShards", () => {
  const shards: Shard[] = [
    { id: "recent", path: "", newest: "2026-06-20", oldest: "2026-05-01" },
    { id: "2025", path: "2025/", newest: "2025-12-30", oldest: "2025-01-02" },
    { id: "2024", path: "2024/", newest: "2024-12-28", oldest: "2024-01-05" },
  ];
  const archive = {
    recent: { robots: ["/r1/", "/r2/", "/r3/"], open: ["/r1/"] },
    "2025": { robots: ["/a1/", "/a2/"], rare: ["/a2/"] },
    "2024": { robots: ["/b1/"], open: ["/b1/"] },
  };
  const newest = { sort: { date: "desc" } };
  /** The fake index with only the newest shard loaded, as the search page starts. */
  const started = () => {
    const loaded = new Set(["recent"]);
    return { loaded, index: fakePagefind(archive, [], loaded) };
  };

  it("answers a first page from the newest shard alone, loading older ones only when the reader asks for more", async () => {
    const { loaded, index } = started();
    const list = await searchShards(index, shards, "robots", newest);
    expect(await urls(list, 2)).toEqual(["/r1/", "/r2/"]);
    expect([...loaded]).toEqual(["recent"]);
    expect([list.total, list.complete, list.searchedTo]).toEqual([3, false, "2026-05-01"]);
    expect(await urls(list, 2)).toEqual(["/r3/", "/a1/"]);
    expect([...loaded]).toEqual(["recent", "2025"]);
    expect(await urls(list, 10)).toEqual(["/a2/", "/b1/"]);
    expect([list.total, list.complete]).toEqual([6, true]);
  });

  it("gives the same list, page by page, as searching every shard at once", async () => {
    for (const q of ["robots", "open", "", "robots open"]) {
      for (const sort of [{ date: "desc" }, { date: "asc" }]) {
        const lazy = await searchShards(started().index, shards, q, { sort, filters: q ? {} : { tag: "x" } });
        const pages = [...(await urls(lazy, 1)), ...(await urls(lazy, 2)), ...(await urls(lazy, 10))];
        const each = await searchEachShard(fakePagefind(archive), dateWalk(shards, sort.date), q, { sort });
        expect(pages, `${q} ${sort.date}`).toEqual(await Promise.all(each.flat().map(async (r) => (await r.data()).url)));
      }
    }
  });

  it("hands out each result once when the reader asks for more twice before the first answer", async () => {
    const list = await searchShards(started().index, shards, "robots", newest);
    const [first, second] = await Promise.all([urls(list, 2), urls(list, 2)]);
    expect([...first, ...second]).toEqual(["/r1/", "/r2/", "/r3/", "/a1/"]);
  });

  it("reads the oldest shard first when sorted oldest first", async () => {
    const { loaded, index } = started();
    const list = await searchShards(index, shards, "robots", { sort: { date: "asc" } });
    expect(await urls(list, 1)).toEqual(["/b1/"]);
    expect([...loaded].sort()).toEqual(["2024", "recent"]);
    expect(list.searchedTo).toBe("2024-12-28");
  });

  it("loads every shard for a word the newest shard lacks, and then only shards knowing it contribute", async () => {
    const { loaded, index } = started();
    const list = await searchShards(index, shards, "robots rare", newest);
    expect(loaded.size).toBe(3);
    expect(await urls(list, 10)).toEqual(["/a1/", "/a2/"]); // the fake matches any word; only 2025 knows both
    expect(list.complete).toBe(true);
  });

  it("loads every shard for best match and by heat, which need every shard's results", async () => {
    for (const sort of [{}, { heat: "desc" }] as Record<string, string>[]) {
      const { loaded, index } = started();
      const list = await searchShards(index, shards, "open", { sort });
      expect(loaded.size).toBe(3);
      expect((await urls(list, 10)).sort()).toEqual(["/b1/", "/r1/"]);
    }
  });

  it("walks to the end when nothing matches, so a miss is a complete answer", async () => {
    const list = await searchShards(started().index, shards, "zebra", newest);
    expect(await urls(list, 10)).toEqual([]);
    expect([list.total, list.complete]).toEqual([0, true]);
  });
});
