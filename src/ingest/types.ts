/** The typed hand-offs between ingest stages: what each stage takes and gives. */
import type { Failure, Result } from "../article/result.ts";
import type { SentimentPoint, TakeawayEvidence } from "../article/schema.ts";

/** A link worth reading, found by a source (Hacker News or a feed). */
export interface Candidate {
  /** The article's URL as the source linked it, made absolute (for Ask HN / Show HN without a URL: the thread's URL); `urlKey` compares it. */
  url: string;
  /** Title as the source gave it. */
  title: string;
  /** Which source found it: `hacker-news`, or the feed's configured name. */
  via: string;
  /** When the source says it appeared. */
  seenAt: Date;
  /** The Hacker News story, when it came from there. */
  hn?: { id: string; points: number; comments: number; text?: string };
}

/** What extraction reads out of one HTML page (also what `npm run extract` prints). */
export interface ExtractedArticle {
  /** The page's own title, raw (before site-name suffixes are cleaned). */
  title: string;
  byline: string | null;
  siteName: string | null;
  /** ISO date-time from metadata, if any. */
  publishedTime: string | null;
  lang: string | null;
  excerpt: string | null;
  /** Main text, paragraphs separated by blank lines. */
  text: string;
  wordCount: number;
  canonicalUrl: string | null;
  /** Absolute URL of og:image, with its alt text if the page gives one. */
  image: { url: string; alt: string | null } | null;
  /** The article's length as the page's JSON-LD states it (`wordCount`), to spot a truncated extraction. */
  declaredWordCount?: number;
}

/** One comment kept for the summarizer, with what is needed to cite it. */
export interface ThreadComment {
  id: string;
  author: string;
  /** Plain text (HTML and entities decoded). */
  text: string;
  permalink: string;
  depth: number;
}

/** A discussion thread, ranked and cut to a budget. */
export interface ThreadExcerpt {
  site: string;
  id: string;
  url: string;
  title: string;
  /** The story's own text (Ask HN), plain. */
  text: string | null;
  points: number;
  /** Every live comment in the thread, not only those kept. */
  comments: number;
  createdAt: Date;
  fetchedAt: Date;
  /** Best comments first, within the character budget. */
  excerpt: ThreadComment[];
}

/** Everything a summarizer sees for one article. */
export interface SummaryInput {
  url: string;
  title: string;
  source: string;
  /** Extracted main text; empty when the page could not be read. */
  text: string;
  extraction: "full" | "partial" | "none";
  discussion: ThreadExcerpt | null;
  /** The tag vocabulary: slugs the summary may use. */
  vocabulary: readonly string[];
}

/** A failed item's summarize step, with the retries its model calls took (429, 529, 5xx, timeouts), if any. */
export type CallFailure = Failure & { retries?: number };

/** The model-written fields of an article. */
export interface SummaryOutput {
  /** A plain headline, only when the original is clickbait. */
  title?: string;
  summary: string;
  takeaways: string[];
  tags: string[];
  /** For each takeaway, the passages (or comments) the grounding check found it rests on. */
  evidence?: TakeawayEvidence[];
  sentiment?: {
    label: "positive" | "mixed" | "negative" | "neutral";
    positives: SentimentPoint[];
    concerns: SentimentPoint[];
  };
}

/** Tokens one call used; zero for providers without a model. */
export interface TokenUsage {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
}

/** What the grounding check did with one item's answer. */
export interface GroundingTally {
  /** The check's version (provenance records that the answer passed it). */
  version: string;
  /** Claims (headline, summary, takeaways, sentiment bullets) checked in the answer kept. */
  checked: number;
  /** Claims that failed the check and were mended by the repair turn. */
  repaired: number;
  /** Claims still unsupported after it, left out (a headline that fails keeps the original title). */
  dropped: number;
}

export interface Summary {
  output: SummaryOutput;
  /** Set when the output passed the grounding check. */
  grounding?: GroundingTally;
  usage: TokenUsage;
  /** Provenance fields for the article file. */
  provider: string;
  model: string;
  promptVersion: string;
  /** What the call cost in USD at the configured prices (0 for providers without a model). */
  costUsd?: number;
  /** Retries the item's calls took (429, 529, 5xx, timeouts). */
  retries?: number;
}

/** What every summarizer implements: extractive (offline), anthropic, openai-compatible. */
export interface Summarizer {
  readonly name: string;
  summarize(input: SummaryInput, signal?: AbortSignal): Promise<Result<Summary>>;
  /** Why the run must stop asking this summarizer (a refused key, a misconfiguration every item meets), or null. */
  stopReason?(): string | null;
}

/** One item of a batch: `key` identifies it to the caller (its URL). */
export interface BatchItem {
  key: string;
  input: SummaryInput;
}

/**
 * A batch still running when a run stopped: the provider's own record (JSON), which the run
 * state keeps as it is and hands back to the provider that wrote it. Beyond these fields it is
 * opaque to the pipeline.
 */
export interface PendingBatch {
  readonly provider: string;
  readonly batchId: string;
  readonly submittedAt: string;
}

export interface BatchRunResult {
  /** Per item key: a summary, or why not. Items of a still-running batch are `skip`s naming the batch. */
  results: Map<string, Result<Summary>>;
  /** Set when the batch was still running at the time limit: record it, the next run collects it first. */
  pending: PendingBatch | null;
  /** Keys of items given back to the queue (their batch is gone or cannot be read): the next run sends them again. */
  returned?: string[];
  /** What the report should say about the batch (one adopted after an unclear create, copies canceled). */
  notes?: string[];
}

/** A summarizer that sends a night's items together (the Anthropic Message Batches API, half price). */
export interface BatchSummarizer {
  readonly name: string;
  /** `beforeCreate` saves the batch's record before it is sent (a run killed then leaves what finds the batch). */
  summarizeBatch(items: readonly BatchItem[], hooks?: { beforeCreate?: (pending: PendingBatch) => Promise<void> }): Promise<BatchRunResult>;
  /**
   * Collects a batch an earlier run left running. `inputs` (by item key), when the caller has the
   * items again, lets an invalid answer be asked once more; without them it fails cleanly.
   */
  collectPending(pending: PendingBatch, inputs?: ReadonlyMap<string, SummaryInput>): Promise<BatchRunResult>;
  /** Why the run must stop sending batches (a refused key), or null. */
  stopReason?(): string | null;
}

/** What the fetcher is asked for: it sets the Accept header and checks the answer's type. */
export type Accept = "html" | "feed" | "json" | "image" | "text";

/** One fetched URL, after redirects. */
export interface FetchedResource {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** Decoded with the right charset for textual types, "" for images. */
  text: string;
  /** True when a 304 let us reuse the cached body. */
  fromCache: boolean;
}

/** The safe HTTP client every stage fetches through (made by the fetch stage's `createFetcher`). */
export interface Fetcher {
  get(url: string, accept: Accept, signal?: AbortSignal): Promise<Result<FetchedResource>>;
  close(): Promise<void>;
}

/** An item with everything the summarizer needs. */
export interface PreparedItem {
  candidate: Candidate;
  /** The article's URL as fetched: the linked URL after redirects (normalised only in dedupe keys). */
  url: string;
  /** The page's own title as it gave it (for `originalTitle`). */
  pageTitle: string;
  extracted: ExtractedArticle | null;
  discussion: ThreadExcerpt | null;
  input: SummaryInput;
  started: number;
}
