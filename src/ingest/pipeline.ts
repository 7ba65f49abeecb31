/** The nightly ingest: discover candidates, prepare each (fetch, extract, discussion), summarize, write. */
import { relative } from "node:path";
import { readArticleArchive } from "../article/files.ts";
import { mapBounded } from "../article/map-bounded.ts";
import { articleFileSchema, type ArticleData } from "../article/schema.ts";
import { heatScore } from "../article/heat.ts";
import type { Budget } from "./budget/cost.ts";
import { readingMinutes } from "./extract/reading-time.ts";
import { articleDraft } from "./write/draft.ts";
import { fail } from "../article/result.ts";
import { urlKey } from "../article/url.ts";
import type { IngestConfig } from "./config.ts";
import { fetchDiscussion } from "./discussion/discussion.ts";
import type { Fetcher } from "./types.ts";
import { encodeArticleImage } from "./extract/image.ts";
import { summarizeRun, type ItemReport, type RunReport } from "./report/report.ts";
import type { PendingWork } from "./run-state.ts";
import { carriedTonight, closeNight, NightLedger, type FailedLink } from "./sources/carried-over.ts";
import { prepareItem } from "./pipeline/prepare.ts";
import { discoverCandidates } from "./sources/sources.ts";
import { inputHash } from "./summarize/summarizers.ts";
import { isGroundingFailure } from "./summarize/grounding/ground-answer.ts";
import type { BatchRunResult, BatchSummarizer, CallFailure, Candidate, PreparedItem, Summarizer, Summary } from "./types.ts";

export type { PreparedItem };
import { writeArticle, type ArticleDraft } from "./write/write.ts";

export interface IngestOptions {
  config: IngestConfig;
  fetcher: Fetcher;
  summarizer: Summarizer;
  /** Set for `--batch`: the night's items go to a batch API (Anthropic's Message Batches) through this summarizer. */
  batch?: BatchSummarizer;
  /** The run's spend and retry budget, for the report's notes. */
  budget?: Budget;
  articlesDir: string;
  /** Block-listed URLs (normalised). */
  blockedUrls: Set<string>;
  /** Batches earlier runs left running; collected before anything new is sent. */
  pending: PendingWork[];
  now: Date;
  /** Only candidates that appeared after this. */
  since: Date;
  limit?: number;
  dryRun: boolean;
  /** Items prepared and summarized at once (fetches are further limited by the fetcher). */
  concurrency: number;
  /** Saves what the next run needs mid-run (before a batch is sent), so a killed run loses no billed batch. */
  saveRunState?: (state: { pending: PendingWork[]; deferred: Candidate[] }) => Promise<void>;
  /** Called after each item settles, for the progress display. */
  onItem?: (item: ItemReport, done: number, total: number) => void;
  /** What earlier runs carried over (from the run state): items their deadline left, and failed links with their back-off. */
  carried?: { deferred: Candidate[]; failedLinks: FailedLink[] };
}

export interface IngestOutcome {
  report: RunReport;
  /** Batches still running at the end of this run, for the run state. */
  pending: PendingWork[];
  /** Candidates not started before the run's deadline or left by a stopped run, for the run state: the next run tries them first. */
  deferred: Candidate[];
  /** Failed links with their back-off, for the run state. */
  failedLinks: FailedLink[];
}

interface ExistingArticle {
  path: string;
  data: ArticleData;
}

const DAY_MS = 86_400_000;
const elapsed = (started: number) => Math.round(performance.now() - started);

/** The article's picture, re-encoded small; any failure only leaves the picture out. */
async function articleImage(item: PreparedItem, fetcher: Fetcher): Promise<{ data: Buffer; alt: string } | null> {
  const image = item.extracted?.image;
  if (!image) return null;
  const fetched = await fetcher.get(image.url, "image");
  if (!fetched.ok) return null;
  const encoded = await encodeArticleImage(fetched.value.body);
  if (!encoded.ok) return null;
  return { data: encoded.value.data, alt: image.alt ?? "" };
}

function failedItem(url: string, failure: CallFailure, started: number, title?: string): ItemReport {
  return {
    url,
    title,
    outcome: failure.skip ? "skipped" : "failed",
    reason: failure.reason,
    ...(failure.retries ? { retries: failure.retries } : {}),
    ...(!failure.skip && isGroundingFailure(failure.reason) ? { groundingFailed: true } : {}),
    ms: elapsed(started),
  };
}

/** Writes one summarized item (or, in a dry run, only checks what would be written). */
async function writeItem(item: PreparedItem, summary: Summary, options: IngestOptions, index: Map<string, string>): Promise<ItemReport> {
  const base = {
    url: item.url,
    title: item.input.title,
    model: summary.model,
    tokens: summary.usage,
    costUsd: summary.costUsd ?? 0,
    ...(summary.grounding
      ? { grounding: { checked: summary.grounding.checked, repaired: summary.grounding.repaired, dropped: summary.grounding.dropped } }
      : {}),
    ...(summary.retries ? { retries: summary.retries } : {}),
  };
  const words = item.extracted?.wordCount ?? 0;
  const draft = articleDraft(item, summary, options.now, {
    inputHash: inputHash(item.input),
    ...(words > 0 ? { readingMinutes: readingMinutes(words) } : {}),
  });
  if (options.dryRun) {
    const valid = articleFileSchema.safeParse(draft);
    if (!valid.success)
      return { ...base, outcome: "failed", reason: `would not write: ${valid.error.issues[0]?.message}`, ms: elapsed(item.started) };
    return { ...base, outcome: index.has(urlKey(item.url)) ? "unchanged" : "new", ms: elapsed(item.started) };
  }
  const image = await articleImage(item, options.fetcher);
  const written = await writeArticle(options.articlesDir, image ? { ...draft, image } : draft, {
    now: options.now,
    refreshWindowDays: options.config.refreshWindowDays,
    index,
  });
  if (!written.ok) return { ...base, outcome: "failed", reason: written.reason, ms: elapsed(item.started) };
  return { ...base, outcome: written.value.outcome, path: relative(process.cwd(), written.value.path), ms: elapsed(item.started) };
}

/** Refreshes the live fields (points, comments, heat) of a recent article from its thread. */
async function refreshArticle(existing: ExistingArticle, options: IngestOptions, index: Map<string, string>): Promise<ItemReport> {
  const started = performance.now();
  const { data } = existing;
  const thread = await fetchDiscussion(options.fetcher, options.config.sources.hackerNews.apiBase, data.discussion!.id!, {
    budgetChars: 0,
    fetchedAt: options.now,
  });
  if (!thread.ok) return failedItem(data.url, fail(`refreshing the discussion: ${thread.reason}`), started, data.title);
  const { image, ...rest } = data;
  const draft: ArticleDraft = {
    ...rest,
    ...(image ? { image: { src: image.src, alt: image.alt } } : {}),
    discussion: { ...data.discussion!, points: thread.value.points, comments: thread.value.comments, fetchedAt: options.now },
    heat: heatScore(thread.value),
  };
  if (options.dryRun) return { url: data.url, title: data.title, outcome: "unchanged", ms: elapsed(started) };
  const written = await writeArticle(options.articlesDir, draft, {
    now: options.now,
    refreshWindowDays: options.config.refreshWindowDays,
    index,
  });
  if (!written.ok) return failedItem(data.url, written, started, data.title);
  return {
    url: data.url,
    title: data.title,
    outcome: written.value.outcome,
    path: relative(process.cwd(), written.value.path),
    ms: elapsed(started),
  };
}

/** Writes the items a batch answered; items it has not answered yet stay pending. */
async function settleBatch(
  prepared: PreparedItem[],
  result: BatchRunResult,
  options: IngestOptions,
  index: Map<string, string>,
  settle: (item: ItemReport) => void,
  requeue: (candidates: Candidate[], why: string) => void,
  notes: string[],
): Promise<PendingWork[]> {
  notes.push(...(result.notes ?? []));
  const returned = new Set(result.returned ?? []);
  if (returned.size > 0)
    requeue(
      prepared.filter((p) => returned.has(p.candidate.url)).map((p) => p.candidate),
      "their batch did not answer them",
    );
  await mapBounded(prepared, options.concurrency, async (item) => {
    const answer = result.results.get(item.candidate.url);
    if (!answer) return settle(failedItem(item.url, fail("the batch returned no answer for this item"), item.started, item.input.title));
    if (!answer.ok) return settle(failedItem(item.url, answer, item.started, item.input.title));
    settle(await writeItem(item, answer.value, options, index));
  });
  return result.pending ? [{ batch: result.pending, candidates: prepared.map((p) => p.candidate) }] : [];
}

/** One whole run. Never throws for a bad item: every item ends as a line in the report. */
export async function runIngest(options: IngestOptions): Promise<IngestOutcome> {
  const wallStart = performance.now();
  const archive = await readArticleArchive(options.articlesDir);
  const blockedKeys = new Set([...options.blockedUrls].map(urlKey));
  const index = archive.byUrl;
  const existing: ExistingArticle[] = archive.articles;
  const windowStart = options.now.getTime() - options.config.refreshWindowDays * DAY_MS;
  const refreshable = existing.filter(
    (a) => !a.data.sample && a.data.discussion?.site === "hacker-news" && a.data.discussion.id && a.data.published.getTime() >= windowStart,
  );

  // New items start only before the run's deadline; the rest are carried to the next run.
  const ledger = new NightLedger(Date.now() + options.config.runDeadlineSeconds * 1000);
  const carried = carriedTonight(options.carried, options.now, (url) => index.has(urlKey(url)) || blockedKeys.has(urlKey(url)));

  const pendingCandidates = options.pending.flatMap((p) => p.candidates);
  const discovered = await discoverCandidates(options.config, options.fetcher, {
    existingUrls: new Set([...archive.urls, ...pendingCandidates.map((c) => c.url), ...carried.excluded]),
    blockedUrls: options.blockedUrls,
    since: options.since,
    limit: options.limit,
  });
  const tonight = [...carried.candidates, ...discovered.candidates];
  const prepareCounted = async (candidate: Candidate) => {
    const prepared = await prepareItem(candidate, options, { blocked: blockedKeys, written: index });
    if (!prepared.ok && !prepared.skip) ledger.failedToFetch(candidate, prepared.reason);
    return prepared;
  };

  const items: ItemReport[] = [];
  const total = tonight.length + refreshable.length + pendingCandidates.length;
  const settle = (item: ItemReport) => {
    items.push(item);
    options.onItem?.(item, items.length, total);
  };
  const prepareAll = async (candidates: readonly Candidate[], gate = (c: Candidate) => ledger.mayStart(c)) => {
    const ready: PreparedItem[] = [];
    await mapBounded(candidates, options.concurrency, async (candidate) => {
      if (!gate(candidate)) return;
      const started = performance.now();
      const prepared = await prepareCounted(candidate);
      if (prepared.ok) ready.push(prepared.value);
      else settle(failedItem(candidate.url, prepared, started, candidate.title));
    });
    return ready;
  };

  const stillPending: PendingWork[] = [];
  /** Candidates a stopped summarizer left undone. */
  const stopDeferred: Candidate[] = [];
  const notes: string[] = [];

  // Items of batches that are gone or too old go back to the queue: the next run sends them again.
  const requeued: Candidate[] = [];
  const requeue = (candidates: Candidate[], why: string) => {
    requeued.push(...candidates);
    if (candidates.length > 0) notes.push(`${candidates.length} items go back to the queue for the next run: ${why}`);
  };
  const maxBatchAgeMs = options.config.summarizer.pendingBatchMaxAgeDays * DAY_MS;

  // 1. Batches an earlier run left running: prepare their items again (cheap: conditional GETs), collect, write.
  for (const work of options.pending) {
    const ageMs = options.now.getTime() - Date.parse(work.batch.submittedAt);
    if (ageMs > maxBatchAgeMs) {
      requeue(
        work.candidates,
        `batch ${work.batch.batchId} was sent ${Math.floor(ageMs / DAY_MS)} days ago, past the ${options.config.summarizer.pendingBatchMaxAgeDays}-day limit`,
      );
      continue;
    }
    if (!options.batch) {
      notes.push(`batch ${work.batch.batchId} is still pending: run with --batch (anthropic) to collect it`);
      stillPending.push(work);
      continue;
    }
    const prepared = await prepareAll(work.candidates, () => true);
    const inputs = new Map(prepared.map((p) => [p.candidate.url, p.input]));
    const result = await options.batch.collectPending(work.batch, inputs);
    stillPending.push(...(await settleBatch(prepared, result, options, index, settle, requeue, notes)));
  }

  // 2. Tonight's new links: a batch needs every item prepared first; otherwise each item goes
  //    straight from fetch to file, so progress shows at once and a killed run keeps what it wrote.
  if (options.batch && !options.dryRun) {
    const prepared = await prepareAll(tonight);
    if (prepared.length > 0) {
      const candidates = prepared.map((p) => p.candidate);
      const result = await options.batch.summarizeBatch(
        prepared.map((p) => ({ key: p.candidate.url, input: p.input })),
        // The batch's record reaches the run state before the batch is sent.
        {
          beforeCreate: async (batch) =>
            options.saveRunState?.({ pending: [...stillPending, { batch, candidates }], deferred: ledger.deferred }),
        },
      );
      stillPending.push(...(await settleBatch(prepared, result, options, index, settle, requeue, notes)));
      // A refused key stops the run here too: the items the batch could not take are kept.
      if (options.batch.stopReason?.()) stopDeferred.push(...candidates.filter((c) => result.results.get(c.url)?.ok !== true));
    }
  } else {
    // A summarizer that must stop (a refused key) stops the run: what is not done is kept, not failed one by one.
    const stopped = () => options.summarizer.stopReason?.() ?? null;
    await mapBounded(tonight, options.concurrency, async (candidate) => {
      if (stopped()) return void stopDeferred.push(candidate);
      if (!ledger.mayStart(candidate)) return;
      const started = performance.now();
      const prepared = await prepareCounted(candidate);
      if (!prepared.ok) return settle(failedItem(candidate.url, prepared, started, candidate.title));
      if (stopped()) return void stopDeferred.push(candidate);
      const item = prepared.value;
      const summary = await options.summarizer.summarize(item.input);
      if (!summary.ok && stopped()) stopDeferred.push(candidate);
      settle(
        summary.ok ? await writeItem(item, summary.value, options, index) : failedItem(item.url, summary, item.started, item.input.title),
      );
    });
  }

  // 3. Live fields of recent articles (they are refreshed on later nights too, so past the deadline they wait).
  await mapBounded(
    refreshable,
    options.concurrency,
    async (a) => void (ledger.mayRefresh() && settle(await refreshArticle(a, options, index))),
  );

  const { failedLinks, notes: carryNotes } = closeNight(ledger, options.carried?.failedLinks ?? [], options.now, options.config);
  notes.push(...carryNotes);

  for (const work of stillPending)
    notes.push(`batch ${work.batch.batchId} (${work.candidates.length} items) is still running: the next run collects it`);
  const stopReason = options.batch?.stopReason?.() ?? options.summarizer.stopReason?.() ?? null;
  if (stopReason) notes.push(`${stopDeferred.length} links not done are kept in the run state for the next run`);
  if (options.budget?.capReached)
    notes.push("the spend cap was reached: the run stopped asking the model; the remaining items are retried next run");

  const report = summarizeRun(
    items,
    {
      startedAt: options.now.toISOString(),
      provider: options.summarizer.name,
      dryRun: options.dryRun,
      sourceFailures: discovered.failures,
      notes,
      ...(stopReason ? { stopped: stopReason } : {}),
      ...(ledger.deferred.length + stopDeferred.length > 0
        ? { notAttempted: [...ledger.deferred, ...stopDeferred].map((c) => c.url) }
        : {}),
      // Every model-call retry of the run, batch polls and failed items included.
      ...(options.budget ? { retries: options.budget.retriesUsed } : {}),
    },
    new Date(options.now.getTime() + (performance.now() - wallStart)),
  );
  return { report, pending: stillPending, deferred: [...ledger.deferred, ...stopDeferred, ...requeued], failedLinks };
}
