/** Preparing one item for the summarizer: its page fetched and read, its discussion fetched, all within the item's deadline. */
import { relative } from "node:path";
import { fail, type Result } from "../../article/result.ts";
import { displayDomain, urlKey } from "../../article/url.ts";
import type { IngestConfig } from "../config.ts";
import { fetchDiscussion } from "../discussion/discussion.ts";
import { extractionLevel } from "../extract/extract.ts";
import { sharedExtractorPool } from "../extract/worker-pool.ts";
import { cleanTitle } from "../extract/title.ts";
import { withDeadline } from "../shared/deadline.ts";
import { hnThreadUrl } from "../shared/hacker-news.ts";
import type { Candidate, ExtractedArticle, Fetcher, PreparedItem, SummaryInput, ThreadExcerpt } from "../types.ts";

/** What preparing needs of the run's options. */
export interface PrepareOptions {
  config: IngestConfig;
  fetcher: Fetcher;
  /** Block-listed URLs (normalised). */
  blockedUrls: Set<string>;
  now: Date;
}

/** Dedupe keys a fetched page's final URL is checked against: block-listed URLs, and written articles (key → file). */
export interface KnownUrls {
  blocked: ReadonlySet<string>;
  written?: ReadonlyMap<string, string>;
}

/**
 * Fetches and reads one candidate: the page (unless it is a text post) and its discussion, all
 * within one deadline (`fetch.itemDeadlineMs`), whatever the servers do.
 */
export async function prepareItem(
  candidate: Candidate,
  options: PrepareOptions,
  known: KnownUrls = { blocked: new Set([...options.blockedUrls].map(urlKey)) },
): Promise<Result<PreparedItem>> {
  const ms = options.config.fetch.itemDeadlineMs;
  const late = `the item took longer than ${ms / 1000} s to fetch (fetch.itemDeadlineMs)`;
  return withDeadline(ms, late, (signal) => prepareWithin(candidate, options, known, signal));
}

async function prepareWithin(
  candidate: Candidate,
  options: PrepareOptions,
  known: KnownUrls,
  signal: AbortSignal,
): Promise<Result<PreparedItem>> {
  const started = performance.now();
  const { config, fetcher } = options;
  let url = candidate.url;
  let extracted: ExtractedArticle | null = null;
  // Ask HN / Show HN without a link: the thread itself is the article.
  const isTextPost = candidate.hn !== undefined && candidate.url === hnThreadUrl(candidate.hn.id);

  if (!isTextPost) {
    const page = await fetcher.get(candidate.url, "html", signal);
    if (!page.ok) return page;
    url = page.value.finalUrl;
    if (known.blocked.has(urlKey(url))) return { ok: false, reason: `redirects to the block-listed ${url}`, skip: true };
    // A link redirecting to an article already written has another key than the article: not summarized again.
    const written = url !== candidate.url ? known.written?.get(urlKey(url)) : undefined;
    if (written) return { ok: false, reason: `redirects to ${url}, already an article (${relative(process.cwd(), written)})`, skip: true };
    // In a worker thread, within extract.timeoutSeconds and extract.memoryMb: a page past them fails alone.
    const read = await sharedExtractorPool(config.extract).extract(page.value.text, page.value.finalUrl);
    if (!read.ok) return read;
    extracted = read.value;
  }

  let discussion: ThreadExcerpt | null = null;
  if (candidate.hn) {
    const thread = await fetchDiscussion(fetcher, config.sources.hackerNews.apiBase, candidate.hn.id, {
      budgetChars: config.discussion.budgetChars,
      fetchedAt: options.now,
      signal,
    });
    if (!thread.ok) return fail(`discussion: ${thread.reason}`);
    discussion = thread.value;
  }

  // A page with no readable text (a JavaScript shell) often has only the app's name as its title: the source's title is better.
  const pageTitle = (extracted && extractionLevel(extracted) !== "none" ? extracted.title : "") || candidate.title;
  const text = extracted?.text || (isTextPost ? (discussion?.text ?? candidate.hn?.text ?? "") : "");
  const input: SummaryInput = {
    url,
    title: cleanTitle(pageTitle, extracted?.siteName ?? null, url),
    source: displayDomain(url),
    text,
    extraction: extracted ? extractionLevel(extracted) : text ? "partial" : "none",
    discussion,
    vocabulary: config.summarizer.vocabulary,
  };
  return { ok: true, value: { candidate, url, pageTitle, extracted, discussion, input, started } };
}
