/** Sources stage: finds candidate links on Hacker News (Algolia search API) and RSS/Atom feeds, on topic and not seen before. */
import { readFile } from "node:fs/promises";
import { parseFeed } from "@rowanmanning/feed-parser";
import { z } from "astro/zod";
import { fail, ok, type Result } from "../../article/result.ts";
import { describeIssue } from "../../article/schema-issues.ts";
import { TAG_VOCABULARY } from "../../article/tags.ts";
import { createTopicFilter } from "./topic-filter.ts";
import { linkedUrl, tryNormalizeUrl, urlKey } from "../../article/url.ts";
import type { IngestConfig } from "../config.ts";
import type { Fetcher } from "../types.ts";
import type { Candidate } from "../types.ts";
import { HACKER_NEWS, hnThreadUrl } from "../shared/hacker-news.ts";
import { htmlToText } from "../shared/html-text.ts";

export interface DiscoverOptions {
  /** URLs of articles already written; a link with the same `urlKey` is not a candidate again. */
  existingUrls: Set<string>;
  /** URLs from the block-list (normalised); never candidates. */
  blockedUrls: Set<string>;
  /** Only links that appeared at or after this time. */
  since: Date;
  /** At most this many candidates (after filtering and dedupe). */
  limit?: number;
  signal?: AbortSignal;
}

/** A source that could not be read, or read only in part, and why. */
export interface SourceFailure {
  /** `hacker-news` or the feed's configured name. */
  source: string;
  reason: string;
}

export interface Discovery {
  candidates: Candidate[];
  failures: SourceFailure[];
}

/** The parts of the config this stage reads. */
export type SourcesConfig = Pick<IngestConfig, "sources" | "topic">;

/** A link a source found, with the text the topic filter reads. */
interface Found {
  candidate: Candidate;
  /** Description, story text, categories: what besides the title says what it is about. */
  text: string;
  /** Whether the topic filter applies (a feed can be all on topic). */
  filter: boolean;
}

interface SourceResult {
  found: Found[];
  failures: SourceFailure[];
}

// ---------------------------------------------------------------------------------------
// Hacker News (hn.algolia.com/api/v1: search_by_date answers { hits, page, nbPages, … })

/** The search for one page of stories with at least `minPoints` created since `since`. */
export function hackerNewsSearchUrl(apiBase: string, query: { since: Date; minPoints: number; hitsPerPage: number; page: number }): string {
  const params = new URLSearchParams({
    tags: "story",
    numericFilters: `created_at_i>=${Math.floor(query.since.getTime() / 1000)},points>=${query.minPoints}`,
    hitsPerPage: String(query.hitsPerPage),
    page: String(query.page),
  });
  return `${apiBase.replace(/\/+$/, "")}/search_by_date?${params}`;
}

const algoliaPageSchema = z.object({
  hits: z.array(z.unknown()),
  page: z.number().int().min(0),
  nbPages: z.number().int().min(0),
});

/** One story hit, as far as we use it (Algolia sends more fields; counts may be null). */
const storyHitSchema = z.object({
  objectID: z.coerce.string().regex(/^\d+$/, "expected a story id such as 41234567"),
  title: z.string(),
  url: z.string().nullish(),
  points: z.number().int().nullish(),
  num_comments: z.number().int().nullish(),
  created_at_i: z.number().int(),
  story_text: z.string().nullish(),
});
type StoryHit = z.output<typeof storyHitSchema>;

interface AlgoliaPage {
  hits: StoryHit[];
  page: number;
  nbPages: number;
  /** Why hits were left out, e.g. `hits[3].created_at_i: expected a number`. */
  badHits: string[];
}

/** Reads one search answer; a wrong overall shape is a failure, a bad hit is only left out. */
export function parseAlgoliaPage(json: unknown): Result<AlgoliaPage> {
  const page = algoliaPageSchema.safeParse(json);
  if (!page.success) return fail(`not an Algolia search answer: ${describeIssue(page.error.issues[0]!, json)}`);
  const hits: StoryHit[] = [];
  const badHits: string[] = [];
  page.data.hits.forEach((raw, i) => {
    const hit = storyHitSchema.safeParse(raw);
    if (hit.success) hits.push(hit.data);
    else badHits.push(describeIssue({ ...hit.error.issues[0]!, path: ["hits", i, ...hit.error.issues[0]!.path] }, json));
  });
  return ok({ hits, page: page.data.page, nbPages: page.data.nbPages, badHits });
}

/**
 * A story as a candidate. A story without a URL (Ask HN, a Show HN text post) becomes an
 * article about its discussion: its URL is the thread's and it carries the story's text.
 * Null when the story links to something that is not an http(s) page.
 */
export function storyCandidate(hit: StoryHit): Found | null {
  const text = hit.story_text ? htmlToText(hit.story_text) : "";
  const link = hit.url?.trim() ? linkedUrl(hit.url) : hnThreadUrl(hit.objectID);
  if (!link) return null;
  return {
    candidate: {
      url: link,
      title: hit.title.trim(),
      via: HACKER_NEWS,
      seenAt: new Date(hit.created_at_i * 1000),
      hn: {
        id: hit.objectID,
        points: hit.points ?? 0,
        comments: hit.num_comments ?? 0,
        ...(text ? { text } : {}),
      },
    },
    text,
    filter: true,
  };
}

/** Fetches a URL as JSON: the fetcher's failure, or the parsed value. */
async function getJson(fetcher: Fetcher, url: string, signal?: AbortSignal): Promise<Result<unknown>> {
  const response = await fetcher.get(url, "json", signal);
  if (!response.ok) return fail(withUrl(url, response.reason));
  try {
    return ok(JSON.parse(response.value.text));
  } catch (error) {
    return fail(`${url}: not JSON (${(error as Error).message})`);
  }
}

/** A reason that names the URL it is about (the fetcher's failures do; its skips do not). */
function withUrl(url: string, reason: string): string {
  return reason.startsWith(url) ? reason : `${url}: ${reason}`;
}

/** Stories with enough points since `since`, page by page up to `maxStories`, most points first. */
async function readHackerNews(config: SourcesConfig, fetcher: Fetcher, since: Date, signal?: AbortSignal): Promise<SourceResult> {
  const { apiBase, minPoints, maxStories, pageSize } = config.sources.hackerNews;
  const hitsPerPage = Math.min(pageSize, maxStories);
  const maxPages = Math.ceil(maxStories / hitsPerPage);
  const found: Found[] = [];
  const failures: SourceFailure[] = [];
  let read = 0;
  for (let page = 0; page < maxPages && read < maxStories; page++) {
    const url = hackerNewsSearchUrl(apiBase, { since, minPoints, hitsPerPage, page });
    const json = await getJson(fetcher, url, signal);
    const answer = json.ok ? parseAlgoliaPage(json.value) : json;
    if (!answer.ok) {
      failures.push({ source: HACKER_NEWS, reason: withUrl(url, answer.reason) });
      break;
    }
    const { hits, badHits, nbPages } = answer.value;
    for (const hit of hits.slice(0, maxStories - read)) {
      const story = storyCandidate(hit);
      if (story) found.push(story);
      else badHits.push(`story ${hit.objectID}: ${JSON.stringify(hit.url)} is not an http(s) URL`);
    }
    read += hits.length;
    if (badHits.length) {
      const more = badHits.length > 1 ? ` (and ${badHits.length - 1} more)` : "";
      failures.push({ source: HACKER_NEWS, reason: `${url}: left out ${badHits.length} stories: ${badHits[0]}${more}` });
    }
    if (hits.length + badHits.length === 0 || page + 1 >= nbPages) break;
  }
  found.sort((a, b) => (b.candidate.hn?.points ?? 0) - (a.candidate.hn?.points ?? 0));
  return { found, failures };
}

// ---------------------------------------------------------------------------------------
// RSS 2.0 and Atom feeds

/** One feed entry, as far as we use it. */
export interface FeedEntry {
  /** Absolute link, as the feed wrote it. */
  url: string;
  title: string;
  published: Date | null;
  /** Description (or summary) as plain text, then the item's categories. */
  text: string;
}

/**
 * The entries of a feed document. Relative links resolve against the feed's own site link
 * (RSS `<channel><link>`, Atom `<link rel="alternate">`), else against the feed's address;
 * entries without an http(s) link are left out. A document that is not RSS or Atom is a failure.
 */
export function parseFeedEntries(xml: string, feedUrl: string): Result<FeedEntry[]> {
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(xml);
  } catch (error) {
    return fail(`not an RSS or Atom feed (${(error as Error).message})`);
  }
  const entries: FeedEntry[] = [];
  for (const item of feed.items) {
    const link = item.url ? linkedUrl(item.url, feedUrl) : null;
    if (!link) continue;
    const categories = item.categories.map((c) => c.label ?? c.term).join(", ");
    const description = htmlToText(item.description ?? item.content ?? "");
    entries.push({
      url: link,
      title: htmlToText(item.title ?? ""),
      published: item.published ?? item.updated ?? null,
      text: [description, categories].filter(Boolean).join("\n\n"),
    });
  }
  return ok(entries);
}

/** One feed's dated entries, newest first. Entries without a date cannot be placed in time and are left out. */
async function readFeed(feed: SourcesConfig["sources"]["feeds"][number], fetcher: Fetcher, signal?: AbortSignal): Promise<SourceResult> {
  const response = await fetcher.get(feed.url, "feed", signal);
  if (!response.ok) return { found: [], failures: [{ source: feed.name, reason: withUrl(feed.url, response.reason) }] };
  const entries = parseFeedEntries(response.value.text, response.value.finalUrl);
  if (!entries.ok) return { found: [], failures: [{ source: feed.name, reason: withUrl(feed.url, entries.reason) }] };
  const dated = entries.value.filter((entry): entry is FeedEntry & { published: Date } => entry.published !== null);
  const failures: SourceFailure[] =
    entries.value.length > 0 && dated.length === 0
      ? [{ source: feed.name, reason: `${feed.url}: no entry has a date (published or updated), so none can be placed after --since` }]
      : [];
  const found = dated
    .sort((a, b) => b.published.getTime() - a.published.getTime())
    .map((entry) => ({
      candidate: { url: entry.url, title: entry.title, via: feed.name, seenAt: entry.published },
      text: entry.text,
      filter: feed.topicFilter,
    }));
  return { found, failures };
}

// ---------------------------------------------------------------------------------------
// The stage

/**
 * Where a run starts looking when `--since` is not given: `lookbackHours` before now, or the
 * last run's time if that is earlier (a run missed). Stories keep gathering points for a day
 * or two, so looking back past the last run is deliberate; written articles are skipped anyway.
 */
export function defaultSince(config: Pick<IngestConfig, "sources">, now: Date, lastRunAt?: Date | null): Date {
  const lookback = new Date(now.getTime() - config.sources.hackerNews.lookbackHours * 3_600_000);
  return lastRunAt && lastRunAt < lookback ? lastRunAt : lookback;
}

/**
 * Every new, on-topic link from the configured sources, in this order: Hacker News stories
 * (most points first), then each feed in config order (newest first); `limit` keeps the first
 * ones. A link is left out when it appeared before `since`, is off topic (feeds can opt out
 * of the filter), or has the same dedupe key (`urlKey`: normalised, http = https, www. ignored)
 * as an earlier candidate, an existing article or a block-listed URL. The fetcher follows
 * redirects later; the pipeline checks the final URL's key again.
 * A source that fails is reported in `failures`; the others still give candidates.
 */
export async function discoverCandidates(config: SourcesConfig, fetcher: Fetcher, options: DiscoverOptions): Promise<Discovery> {
  const reads: Promise<SourceResult>[] = [];
  if (config.sources.hackerNews.enabled) reads.push(readHackerNews(config, fetcher, options.since, options.signal));
  for (const feed of config.sources.feeds) reads.push(readFeed(feed, fetcher, options.signal));
  const results = await Promise.all(reads);

  const onTopic = createTopicFilter({
    keywords: config.topic.keywords,
    vocabulary: config.topic.useTagVocabulary ? TAG_VOCABULARY : null,
  });
  const seen = new Set<string>([...options.existingUrls, ...options.blockedUrls].map(urlKey));
  const candidates: Candidate[] = [];
  for (const { candidate, text, filter } of results.flatMap((r) => r.found)) {
    if (options.limit !== undefined && candidates.length >= options.limit) break;
    if (candidate.seenAt < options.since) continue;
    const key = urlKey(candidate.url);
    if (seen.has(key)) continue;
    if (filter && !onTopic(candidate.title, text).onTopic) continue;
    seen.add(key);
    candidates.push(candidate);
  }
  return { candidates, failures: results.flatMap((r) => r.failures) };
}

// ---------------------------------------------------------------------------------------
// The block-list (content/blocklist.txt)

export interface Blocklist {
  /** Normalised URLs. */
  urls: Set<string>;
  /** Lines that are not URLs, as `line N: why`; they are ignored. */
  problems: string[];
}

/**
 * The block-list's URLs: one per line; blank lines and lines starting with `#` are skipped,
 * as is a ` #` note after a URL.
 */
export function parseBlocklist(text: string): Blocklist {
  const urls = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) return;
    const url = tryNormalizeUrl(line);
    if (url) urls.add(url);
    else problems.push(`line ${i + 1}: ${JSON.stringify(line)} is not an http(s) URL`);
  });
  return { urls, problems };
}

/** Reads the block-list file; a missing file is an empty list. */
export async function readBlocklist(file: string): Promise<Result<Blocklist>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return ok({ urls: new Set(), problems: [] });
    return fail(`${file}: cannot read the block-list (${code ?? String(error)})`);
  }
  const list = parseBlocklist(text);
  return ok({ urls: list.urls, problems: list.problems.map((p) => `${file}: ${p}`) });
}
