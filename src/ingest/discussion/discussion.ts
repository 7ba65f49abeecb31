/** Discussion stage: a Hacker News item tree (Algolia items API) parsed, ranked, de-duplicated and cut to a budget. */
import { z } from "astro/zod";
import { fail, ok, type Result } from "../../article/result.ts";
import { truncateText } from "../shared/sentences.ts";
import type { Fetcher } from "../types.ts";
import { HACKER_NEWS, hnThreadUrl } from "../shared/hacker-news.ts";
import { htmlToText } from "../shared/html-text.ts";
import type { ThreadComment, ThreadExcerpt } from "../types.ts";

/** Longest single comment kept; a longer one is cut at a word boundary (one essay must not eat the budget). */
export const DEFAULT_MAX_COMMENT_CHARS = 2_000;

/** One node of a Hacker News item tree, as the Algolia items API gives it, nulls made explicit. */
export interface HnItem {
  id: string;
  /** `story`, `comment`, `poll`, `pollopt`, `job`, or null when the API leaves it out. */
  type: string | null;
  author: string | null;
  title: string | null;
  url: string | null;
  /** HTML with entities, as the API gives it. */
  text: string | null;
  points: number | null;
  createdAt: Date | null;
  /** Set by the official API's shape; Algolia marks these through null fields and `[dead]` text instead. */
  dead: boolean;
  deleted: boolean;
  children: HnItem[];
}

// ---------------------------------------------------------------------------------------
// Parsing

/** Ids are numbers in the API; digit strings are accepted too. */
const itemId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);

/**
 * The fields of one node. Children are checked as an array here and node by node by the
 * walk in `parseHnItem`: a recursive schema would recurse once per level and overflow the
 * stack on a deep thread.
 */
const hnNodeSchema = z.object({
  id: itemId,
  type: z.string().nullish(),
  author: z.string().nullish(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  text: z.string().nullish(),
  points: z.number().nullish(),
  created_at: z.string().nullish(),
  created_at_i: z.number().nullish(),
  dead: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  children: z.array(z.unknown()).nullish(),
});

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const withArticle = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/** "children is not an array (got a string)" from a zod issue of a node. */
function describeNodeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const field = issue.path.map(String).join(".") || "item";
  const value = issue.path.length > 0 ? raw[String(issue.path[0])] : raw;
  if (issue.code === "invalid_type") return `${field} is not ${withArticle(issue.expected)} (got ${kindOf(value)})`;
  if (field === "id") return `id is not a number (got ${JSON.stringify(value)})`;
  return `${field}: ${issue.message}`;
}

function dateOf(iso: string | null | undefined, seconds: number | null | undefined): Date | null {
  if (iso) {
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) return date;
  }
  if (typeof seconds === "number" && Number.isFinite(seconds)) return new Date(seconds * 1000);
  return null;
}

/**
 * Checks an items-API answer and turns it into a typed tree. Nulls are tolerated everywhere
 * (a missing or null `children` is no children, a null child is skipped, and so is a comment
 * with a null id, replies included, since it cannot be cited); anything else out
 * of shape fails with the item and the reason: "HN item 123: comment 456: children is not an array".
 * The walk is iterative, so a thread nested thousands of levels deep cannot overflow the stack.
 */
export function parseHnItem(json: unknown, requestedId?: string): Result<HnItem> {
  const rootLabel = (id?: string) => `HN item ${id ?? requestedId ?? "(unknown id)"}`;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail(`${rootLabel()}: the answer is not an item object (got ${kindOf(json)})`);
  }

  let root: HnItem | null = null;
  let rootId: string | undefined;
  const stack: { raw: unknown; parent: HnItem | null; where: string }[] = [{ raw: json, parent: null, where: "" }];
  while (stack.length > 0) {
    const { raw, parent, where } = stack.pop()!;
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== "object" || Array.isArray(raw)) return fail(`${rootLabel(rootId)}: ${where} is not an object (got ${kindOf(raw)})`);
    const record = raw as Record<string, unknown>;
    // A comment without an id cannot be cited or linked: it is passed over with its replies.
    if (parent !== null && (record.id === null || record.id === undefined)) continue;
    const parsed = hnNodeSchema.safeParse(record);
    if (!parsed.success) {
      const rawId = record.id;
      const node = parent === null ? "" : typeof rawId === "number" || typeof rawId === "string" ? `comment ${rawId}: ` : `${where}: `;
      const label =
        parent === null && (typeof rawId === "number" || typeof rawId === "string") ? rootLabel(String(rawId)) : rootLabel(rootId);
      return fail(`${label}: ${node}${describeNodeIssue(parsed.error.issues[0], record)}`);
    }
    const fields = parsed.data;
    const item: HnItem = {
      id: String(fields.id),
      type: fields.type ?? null,
      author: fields.author ?? null,
      title: fields.title ?? null,
      url: fields.url ?? null,
      text: fields.text ?? null,
      points: fields.points ?? null,
      createdAt: dateOf(fields.created_at, fields.created_at_i),
      dead: fields.dead === true,
      deleted: fields.deleted === true,
      children: [],
    };
    if (parent === null) {
      root = item;
      rootId = item.id;
    } else {
      parent.children.push(item);
    }
    const children = fields.children ?? [];
    // Pushed in reverse so they are popped, and appended to `item.children`, in order.
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ raw: children[i], parent: item, where: `children[${i}] of ${parent === null ? "the story" : `comment ${item.id}`}` });
    }
  }
  return ok(root!);
}

// ---------------------------------------------------------------------------------------
// Ranking and the excerpt

/** Text Hacker News puts in place of a comment it hides. */
const PLACEHOLDER = /^\[(?:flagged|dead|deleted|removed)\]$/i;

/** A comment of the flattened tree, before ranking. */
export interface FlatComment {
  id: string;
  author: string;
  text: string;
  depth: number;
  /** Position in the tree's reading order (pre-order): the tie-breaker. */
  order: number;
  /** Live comments below it, at any depth. */
  replies: number;
  score: number;
}

/**
 * How much a comment is worth reading to summarise a thread:
 *
 *   score = 2·ln(1 + replies) + min(length, 1000) / 500 − 0.5·depth
 *
 * `replies` counts the live comments below it at any depth: a comment people answered is one
 * the thread turned on, with diminishing returns (the log). `length` in characters of plain
 * text rewards substance up to 1,000 characters (+2 at most), no further. Each level of
 * nesting costs 0.5, because replies deep in a sub-thread depend on context the summary
 * lacks. Ties keep the thread's own order.
 */
export function commentScore(replies: number, length: number, depth: number): number {
  return 2 * Math.log1p(replies) + Math.min(length, 1000) / 500 - 0.5 * depth;
}

/** True for a comment with nothing to read: deleted, dead, flagged, or empty once decoded. */
function isDropped(item: HnItem, text: string): boolean {
  return item.deleted || item.dead || item.author === null || text === "" || PLACEHOLDER.test(text);
}

/**
 * Every live comment of the tree, in reading order, with its depth (0 = a reply to the story),
 * its live replies and its score. Dead, deleted, flagged and empty comments are left out, but
 * the replies under them are kept: Hacker News still shows those. Poll options are no comments.
 * Iterative, for deep trees.
 */
export function flattenComments(story: HnItem): FlatComment[] {
  const nodes: { item: HnItem; depth: number; parent: number; text: string; live: boolean }[] = [];
  const stack: { item: HnItem; depth: number; parent: number }[] = [];
  for (let i = story.children.length - 1; i >= 0; i--) stack.push({ item: story.children[i], depth: 0, parent: -1 });
  while (stack.length > 0) {
    const { item, depth, parent } = stack.pop()!;
    if (item.type === "pollopt") continue;
    const text = item.text ? htmlToText(item.text) : "";
    const index = nodes.length;
    nodes.push({ item, depth, parent, text, live: !isDropped(item, text) });
    for (let i = item.children.length - 1; i >= 0; i--) stack.push({ item: item.children[i], depth: depth + 1, parent: index });
  }

  // Children come after their parent in pre-order, so one backward pass sums every subtree.
  const replies = new Array<number>(nodes.length).fill(0);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const { parent, live } = nodes[i];
    if (parent >= 0) replies[parent] += replies[i] + (live ? 1 : 0);
  }

  const comments: FlatComment[] = [];
  nodes.forEach((node, order) => {
    if (!node.live) return;
    comments.push({
      id: node.item.id,
      author: node.item.author!,
      text: node.text,
      depth: node.depth,
      order,
      replies: replies[order],
      score: commentScore(replies[order], node.text.length, node.depth),
    });
  });
  return comments;
}

/** Best first; equal scores keep the thread's order. */
export function rankComments(comments: readonly FlatComment[]): FlatComment[] {
  return [...comments].sort((a, b) => b.score - a.score || a.order - b.order);
}

/** Lowercase words of a text, for duplicate checks. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Word 3-grams of a text (the words themselves for very short texts). */
function shingles(tokens: readonly string[]): Set<string> {
  if (tokens.length < 3) return new Set(tokens);
  const out = new Set<string>();
  for (let i = 0; i + 3 <= tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`);
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a.size <= b.size ? a : b) if ((a.size <= b.size ? b : a).has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Two comments whose word 3-grams overlap this much (Jaccard) are the same comment posted twice. */
export const NEAR_DUPLICATE = 0.8;

export interface ExcerptOptions {
  /** Characters of comment text to keep in all (0 keeps none: only the counts). */
  budgetChars: number;
  fetchedAt: Date;
  /** Longest single comment; longer ones are cut. */
  maxCommentChars?: number;
}

/**
 * The thread as the summarizer reads it: live comments, best first, near-duplicates of a
 * better comment dropped, each cut to `maxCommentChars`, taken while they fit in `budgetChars`
 * (one that does not fit is passed over, so shorter ones after it may still fit). `comments`
 * counts every live comment of the tree, kept or not; `points` are the story's.
 */
export function excerptThread(story: HnItem, options: ExcerptOptions): ThreadExcerpt {
  const budget = Math.max(0, Math.floor(options.budgetChars));
  const maxComment = Math.max(1, Math.min(options.maxCommentChars ?? DEFAULT_MAX_COMMENT_CHARS, budget || 1));
  const flat = flattenComments(story);

  const excerpt: ThreadComment[] = [];
  const keptShingles: Set<string>[] = [];
  const seenExact = new Set<string>();
  let used = 0;
  for (const comment of budget > 0 ? rankComments(flat) : []) {
    if (budget - used < 20) break; // no room left for a readable comment
    const tokens = words(comment.text);
    const exact = tokens.join(" ");
    if (seenExact.has(exact)) continue;
    seenExact.add(exact);
    const grams = shingles(tokens);
    if (keptShingles.some((kept) => jaccard(kept, grams) >= NEAR_DUPLICATE)) continue;
    const text = truncateText(comment.text, maxComment);
    if (used + text.length > budget) continue;
    used += text.length;
    keptShingles.push(grams);
    excerpt.push({ id: comment.id, author: comment.author, text, permalink: hnThreadUrl(comment.id), depth: comment.depth });
  }

  const storyText = story.text ? htmlToText(story.text) : "";
  return {
    site: HACKER_NEWS,
    id: story.id,
    url: hnThreadUrl(story.id),
    title: story.title ?? "",
    text: storyText || null,
    points: Math.max(0, Math.round(story.points ?? 0)),
    comments: flat.length,
    createdAt: story.createdAt ?? options.fetchedAt,
    fetchedAt: options.fetchedAt,
    excerpt,
  };
}

// ---------------------------------------------------------------------------------------
// Fetching

export interface DiscussionOptions extends ExcerptOptions {
  signal?: AbortSignal;
}

/** The items-API address of a story: `<apiBase>/items/<id>`. */
export function hnItemUrl(apiBase: string, storyId: string): string {
  return `${apiBase.replace(/\/+$/, "")}/items/${encodeURIComponent(storyId)}`;
}

/**
 * Fetches a story's whole tree in one request and excerpts it. Fails with the reason when the
 * request fails, the answer is not JSON, is out of shape, or is another item than asked for.
 */
export async function fetchDiscussion(
  fetcher: Fetcher,
  apiBase: string,
  storyId: string,
  options: DiscussionOptions,
): Promise<Result<ThreadExcerpt>> {
  if (!/^\d+$/.test(storyId)) return fail(`HN item ${JSON.stringify(storyId)}: not a Hacker News id (digits only)`);
  const url = hnItemUrl(apiBase, storyId);
  const fetched = await fetcher.get(url, "json", options.signal);
  if (!fetched.ok) return fetched;

  let json: unknown;
  try {
    json = JSON.parse(fetched.value.text);
  } catch (error) {
    return fail(`HN item ${storyId}: ${url} did not answer JSON (${(error as Error).message})`);
  }
  const parsed = parseHnItem(json, storyId);
  if (!parsed.ok) return parsed;
  if (parsed.value.id !== storyId) return fail(`HN item ${storyId}: ${url} answered item ${parsed.value.id} instead`);
  return ok(excerptThread(parsed.value, options));
}
