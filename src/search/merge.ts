// Search across index shards: each shard's results merged into the one list a single index would give.
// Pure: the page hands in Pagefind (or anything shaped like it) and renders what comes out.

/** What Pagefind returns for one result, once loaded. */
export interface PagefindResultData {
  url: string;
  meta: Record<string, string | undefined>;
}
/** One result before its data is loaded (the data fragment is a separate download). */
export interface PagefindResult {
  score: number;
  data(): Promise<PagefindResultData>;
}
export interface PagefindSearch {
  results: PagefindResult[];
}
export type SearchOptions = { filters?: Record<string, string>; sort?: Record<string, string> };
/** The part of Pagefind's JS API that searching shards needs. */
export interface ShardSearcher {
  search(query: string | null, options: SearchOptions): Promise<PagefindSearch>;
}
/** An index shard, from the `shards.json` the indexer writes (newest first). */
export interface Shard {
  id: string;
  path: string;
  /** The dates of its newest and oldest article (ISO, or "" for the undated shard). */
  newest?: string;
  oldest?: string;
}
/** Pagefind with shards merged into it on demand: only the newest shard's index is loaded at start. */
export interface ShardedIndex extends ShardSearcher {
  /** Merges a shard's index in; loading one twice costs nothing. */
  load(shard: Shard): Promise<void>;
}
/** Results to show, a page at a time. */
export interface ResultList {
  /** Results found so far: all of them once `complete`. */
  readonly total: number;
  /** Whether every shard that could hold a result has been searched. */
  readonly complete: boolean;
  /** The oldest (or, oldest first, the newest) date searched so far, while not complete. */
  readonly searchedTo: string;
  next(count: number): Promise<PagefindResultData[]>;
}

/** `next` run one call at a time: a second "Show more" before the first is done waits for it, so no result is shown twice. */
function oneAtATime<T>(next: (count: number) => Promise<T>): (count: number) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (count) => {
    const run = queue.then(() => next(count));
    queue = run.catch(() => undefined);
    return run;
  };
}

/** Results already in order (one index, or best match across shards). */
export function inOrder(found: PagefindResult[]): ResultList {
  let taken = 0;
  return {
    total: found.length,
    complete: true,
    searchedTo: "",
    next: (count) => Promise.all(found.slice(taken, (taken += count)).map((result) => result.data())),
  };
}

/**
 * Sorted results across shards: each shard's results come sorted, and are merged by the sort
 * key in their meta (`date` is ISO, `heat` zero-padded, so text order is value order). Only the
 * head of each shard is loaded ahead of what is shown.
 */
export function mergeSorted(lists: PagefindResult[][], key: string, direction: string): ResultList {
  const cursors = lists.map(() => 0);
  const heads = new Map<number, Promise<PagefindResultData>>();
  const head = (i: number) => heads.get(i) ?? heads.set(i, lists[i][cursors[i]].data()).get(i)!;
  const before = (a: string, b: string) => (direction === "asc" ? a < b : a > b);
  return {
    total: lists.reduce((sum, found) => sum + found.length, 0),
    complete: true,
    searchedTo: "",
    next: oneAtATime(async (count) => {
      const out: PagefindResultData[] = [];
      while (out.length < count) {
        const live = lists.map((_, i) => i).filter((i) => cursors[i] < lists[i].length);
        if (live.length === 0) break;
        const data = await Promise.all(live.map(head));
        let best = 0; // ties go to the earlier (newer) shard
        for (let j = 1; j < live.length; j++) if (before(data[j].meta[key] ?? "", data[best].meta[key] ?? "")) best = j;
        out.push(data[best]);
        heads.delete(live[best]);
        cursors[live[best]]++;
      }
      return out;
    }),
  };
}

/** Per-shard results as one list: by the sort key when there is one, else by score (best first). */
export function mergeShardResults(each: PagefindResult[][], sort: Record<string, string>): ResultList {
  const [key, direction] = Object.entries(sort)[0] ?? [];
  return key ? mergeSorted(each, key, direction) : inOrder(each.flat().sort((a, b) => b.score - a.score));
}

/** Which of the query's words each shard knows: `known[s][t]` for shard s and word t. */
export async function shardsKnowingTerms(pagefind: ShardSearcher, shards: Shard[], terms: string[]): Promise<boolean[][]> {
  return Promise.all(
    shards.map((shard) =>
      Promise.all(terms.map(async (term) => (await pagefind.search(term, { filters: { shard: shard.id } })).results.length > 0)),
    ),
  );
}

/**
 * Which shards may contribute: Pagefind ignores a word its index lacks, so a shard without a word
 * the query has (and another shard knows) must contribute nothing, as one index would behave.
 */
export function contributingShards(has: boolean[][]): boolean[] {
  const termCount = has[0]?.length ?? 0;
  const known = Array.from({ length: termCount }, (_, t) => has.some((row) => row[t]));
  return has.map((row) => known.every((isKnown, t) => !isKnown || row[t]));
}

/** The words of a query, as the shard check splits them. */
export function queryTerms(q: string): string[] {
  return q.split(/\s+/).filter(Boolean);
}

/** Each shard's results for the query, empty for a shard that lacks a word another shard knows. */
export async function searchEachShard(
  pagefind: ShardSearcher,
  shards: Shard[],
  q: string,
  options: SearchOptions,
): Promise<PagefindResult[][]> {
  const contributes = contributingShards(await shardsKnowingTerms(pagefind, shards, queryTerms(q)));
  return Promise.all(shards.map((shard, s) => (contributes[s] ? searchShard(pagefind, shard, q, options) : [])));
}

async function searchShard(pagefind: ShardSearcher, shard: Shard, q: string, options: SearchOptions): Promise<PagefindResult[]> {
  return (await pagefind.search(q || null, { ...options, filters: { ...options.filters, shard: shard.id } })).results;
}

/** The shards in the order a date sort reads them: shards are date-bounded, so the date order of their results is theirs. */
export function dateWalk(shards: Shard[], direction: string): Shard[] {
  const dated = shards.filter((shard) => !shard.id.startsWith("undated"));
  const undated = shards.filter((shard) => shard.id.startsWith("undated"));
  return [...(direction === "asc" ? [...dated].reverse() : dated), ...undated];
}

/**
 * Results sorted by date, read shard by shard along `walk` and each shard loaded only when the
 * results so far run out: the newest shard answers the first page of most queries, and the list
 * is the one a single index gives. `contributes` says whether a loaded shard can hold results.
 */
export function walkShards(
  index: ShardedIndex,
  walk: Shard[],
  q: string,
  options: SearchOptions,
  contributes: (shard: Shard) => Promise<boolean>,
): ResultList {
  const found: PagefindResult[] = [];
  let searched = 0;
  let taken = 0;
  const searchNext = async () => {
    const shard = walk[searched];
    await index.load(shard);
    if (await contributes(shard)) found.push(...(await searchShard(index, shard, q, options)));
    searched++;
  };
  return {
    get total() {
      return found.length;
    },
    get complete() {
      return searched === walk.length;
    },
    get searchedTo() {
      const last = walk[searched - 1];
      const direction = Object.values(options.sort ?? {})[0];
      return (direction === "asc" ? last?.newest : last?.oldest) ?? "";
    },
    next: oneAtATime(async (count) => {
      while (found.length < taken + count && searched < walk.length) await searchNext();
      return Promise.all(found.slice(taken, (taken += count)).map((result) => result.data()));
    }),
  };
}

/**
 * The results of a query over a sharded index, as one index would give them. Sorted by date,
 * shards are searched newest (or oldest) first and older ones loaded only as the reader asks for
 * more; best match and heat need every shard's results, so every shard is loaded. A query word
 * the first shard lacks might be known to an older one (then shards lacking it add nothing), so
 * such a query loads every shard first to find out.
 */
export async function searchShards(index: ShardedIndex, shards: Shard[], q: string, options: SearchOptions): Promise<ResultList> {
  const [key, direction] = Object.entries(options.sort ?? {})[0] ?? [];
  const terms = queryTerms(q);
  const loadAll = () => Promise.all(shards.map((shard) => index.load(shard)));
  if (key !== "date") {
    await loadAll();
    return mergeShardResults(await searchEachShard(index, shards, q, options), options.sort ?? {});
  }
  const walk = dateWalk(shards, direction);
  await index.load(walk[0]);
  const [firstKnows] = await shardsKnowingTerms(index, [walk[0]], terms);
  if (firstKnows.every(Boolean)) {
    // Every word is known, so a shard lacking any of them holds no result.
    const knowsAll = async (shard: Shard) => (await shardsKnowingTerms(index, [shard], terms))[0].every(Boolean);
    return walkShards(index, walk, q, options, knowsAll);
  }
  await loadAll();
  const contributes = contributingShards(await shardsKnowingTerms(index, walk, terms));
  return walkShards(index, walk, q, options, async (shard) => contributes[walk.indexOf(shard)]);
}
