/** Validates a model's answer against the article schema's model-written fields and grounds it in the passages it cites; every provider's output passes here. */
import { z } from "astro/zod";
import { articleFileSchema, sentimentPoint, sentimentSchema } from "../../article/schema.ts";
import type { Failure } from "../../article/result.ts";
import { canonicalTag, slugifyTag } from "../../article/tags.ts";
import type { SummaryInput, SummaryOutput } from "../types.ts";
import { fieldPath } from "../../article/schema-issues.ts";
import { GROUNDING_CHECK_VERSION, groundOutput } from "./grounding/ground-answer.ts";
import { passagesOf, type Passages } from "./passages.ts";

/** Passage ids as the prompt labels them (`P3`, `Q1`) or comment ids. */
const passageId = z.string().min(1).max(40);

const fields = articleFileSchema.shape;

/**
 * The answer as the model writes it, built from the article schema's pieces (one source of
 * truth). Every key is required and the optional ones are nullable, which is the shape strict
 * JSON-schema decoding (OpenAI-compatible servers) needs; tags are free labels here because
 * they are mapped to the vocabulary afterwards.
 */
export const summaryAnswerSchema = z.object({
  /** A plain headline, or null to keep the original. */
  title: fields.title.nullable(),
  summary: fields.summary,
  takeaways: fields.takeaways.unwrap().min(3, "give 3 to 5 takeaways"),
  tags: z.array(z.string().min(1).max(60)).min(1, "give 2 to 6 tags").max(6, "give at most 6 tags"),
  sentiment: z
    .object({
      label: sentimentSchema.shape.label,
      positives: z.array(sentimentPoint).max(5),
      concerns: z.array(sentimentPoint).max(5),
    })
    .nullable(),
  /** The passage ids each claim rests on: what the grounding check reads them against. */
  citations: z.object({
    /** For the headline; empty when title is null. */
    title: z.array(passageId).max(10),
    summary: z.array(passageId).min(1, "cite the passages the summary rests on").max(10),
    /** One list per takeaway, in the same order. */
    takeaways: z.array(z.array(passageId).min(1, "cite the passages each takeaway rests on").max(5)).max(5),
  }),
});
export type SummaryAnswer = z.infer<typeof summaryAnswerSchema>;

/** The model-written fields exactly as the article file holds them: the last gate before the writer. */
const storedFieldsSchema = articleFileSchema
  .pick({ title: true, summary: true, takeaways: true, tags: true, sentiment: true })
  .partial({ title: true, sentiment: true });

/** JSON Schema of the answer, for the forced tool's `input_schema` and for `response_format`. */
export function summaryJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(summaryAnswerSchema) as Record<string, unknown>;
  return schema;
}

export interface SummaryCheckContext {
  /** Tags the answer may use (the configured vocabulary, extra tags included). */
  vocabulary: readonly string[];
  /** Keep tags outside the vocabulary (as slugs) instead of dropping them. */
  allowUnknownTags: boolean;
  /** Ids of the comments that were sent; a citation of any other id is invalid. */
  commentIds: Set<string>;
  /** The item's current headline: a model title equal to it is no alternative and is dropped. */
  originalTitle?: string;
  /** The passages the prompt showed (a batch keeps those recorded when it was sent): what citations are checked against. */
  passages: Passages;
}

/** What the grounding check did with a passing answer. */
export interface AnswerGrounding {
  version: string;
  checked: number;
  dropped: number;
  /** Claims that failed (dropped now, or on an earlier turn mended). */
  failedClaims: number;
}

/**
 * A failed check: the reason for the report, and the single errors to send back to the model.
 * `failedClaims` counts claims the grounding check refused (0 when the answer failed before it).
 */
export type SummaryCheckFailure = Failure & { errors: string[]; failedClaims?: number };
export type SummaryCheckResult = { ok: true; value: SummaryOutput; grounding: AnswerGrounding } | SummaryCheckFailure;

/** Fewest takeaways a model's answer may keep once unsupported ones are dropped. */
export const MIN_MODEL_TAKEAWAYS = 3;

/** The context to check an answer for `input` with. */
export function checkContextFor(
  input: SummaryInput,
  options: { allowUnknownTags: boolean; maxArticleChars?: number },
): SummaryCheckContext {
  return {
    passages: passagesOf(input, options.maxArticleChars),
    vocabulary: input.vocabulary,
    allowUnknownTags: options.allowUnknownTags,
    commentIds: new Set((input.discussion?.excerpt ?? []).map((c) => c.id)),
    originalTitle: input.title,
  };
}

export function checkFailure(errors: string[]): SummaryCheckFailure {
  return { ok: false, reason: `invalid answer: ${errors.join("; ")}`, errors };
}

const pathOf = (path: readonly PropertyKey[]) => fieldPath(path, "(answer)");

function sameHeadline(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  return norm(a) === norm(b);
}

/** Maps labels to vocabulary slugs through the aliases; unknown ones are dropped or, if allowed, kept as slugs. */
function mapTags(labels: readonly string[], ctx: SummaryCheckContext): { tags: string[]; dropped: string[] } {
  const allowed = new Set(ctx.vocabulary);
  const tags = new Set<string>();
  const dropped: string[] = [];
  for (const label of labels) {
    const canonical = canonicalTag(label, [...allowed]);
    if (canonical && allowed.has(canonical)) tags.add(canonical);
    else if (ctx.allowUnknownTags && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slugifyTag(label)) && slugifyTag(label).length <= 40)
      tags.add(slugifyTag(label));
    else dropped.push(label);
  }
  return { tags: [...tags].slice(0, 6), dropped };
}

/** Parses a string answer as JSON; anything else passes through. */
function parsedAnswer(output: unknown): { ok: true; value: unknown } | SummaryCheckFailure {
  if (typeof output !== "string") return { ok: true, value: output };
  try {
    return { ok: true, value: JSON.parse(output) as unknown };
  } catch (error) {
    return checkFailure([`(answer): not valid JSON (${(error as Error).message})`]);
  }
}

/**
 * Checks a model's answer: the schema (lengths, 3–5 takeaways), tags mapped to the vocabulary,
 * every cited comment id present in the thread sent, and a title only as an alternative headline.
 * Strings stay as the model wrote them (trimmed): HTML in them is text, and the site escapes it.
 */
export function checkAnswer(
  output: unknown,
  ctx: SummaryCheckContext,
  { lastTurn = true }: { lastTurn?: boolean } = {},
): SummaryCheckResult {
  const parsed = parsedAnswer(output);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return checkFailure(["(answer): expected a JSON object"]);
  // A missing optional field means the same as null.
  const answer = summaryAnswerSchema.safeParse({ title: null, sentiment: null, ...raw });
  if (!answer.success) return checkFailure(answer.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`));

  const errors: string[] = [];
  const a = answer.data;

  let title: string | undefined = a.title?.trim() || undefined;
  if (title && /[\r\n]/.test(title)) errors.push("title: a headline is one line");
  if (title && ctx.originalTitle && sameHeadline(title, ctx.originalTitle)) title = undefined;

  const { tags, dropped } = mapTags(a.tags, ctx);
  if (tags.length === 0) errors.push(`tags: none of ${JSON.stringify(dropped)} is in the tag vocabulary; use the listed slugs`);

  let sentiment: SummaryOutput["sentiment"];
  if (a.sentiment) {
    const points = [
      ...a.sentiment.positives.map((p, i) => ["positives", i, p] as const),
      ...a.sentiment.concerns.map((p, i) => ["concerns", i, p] as const),
    ];
    for (const [side, i, point] of points) {
      for (const id of point.comments) {
        if (!ctx.commentIds.has(id)) errors.push(`sentiment.${side}[${i}].comments: comment id ${id} is not in the comments block sent`);
      }
    }
    // With no comments sent, a bare label could only be made up: leave sentiment out.
    if (ctx.commentIds.size > 0 || points.length > 0) {
      const clean = (p: (typeof points)[number][2]) => ({ text: p.text.trim(), comments: [...new Set(p.comments)] });
      sentiment = { label: a.sentiment.label, positives: a.sentiment.positives.map(clean), concerns: a.sentiment.concerns.map(clean) };
    }
  } else if (ctx.commentIds.size > 0) {
    errors.push("sentiment: required when comments are given (label, positives and concerns citing comment ids)");
  }
  if (a.takeaways.length !== a.citations.takeaways.length)
    errors.push(`citations.takeaways: give one list per takeaway (${a.takeaways.length} takeaways, ${a.citations.takeaways.length} lists)`);
  if (errors.length > 0) return checkFailure(errors);

  const value: SummaryOutput = {
    ...(title ? { title } : {}),
    summary: a.summary.trim(),
    takeaways: a.takeaways.map((t) => t.trim()),
    tags,
    ...(sentiment ? { sentiment } : {}),
  };
  const stored = storedFieldsSchema.safeParse(value);
  if (!stored.success) return checkFailure(stored.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`));

  const grounded = groundOutput(value, a.citations, {
    passages: ctx.passages,
    originalTitle: ctx.originalTitle,
    lastTurn,
    minTakeaways: MIN_MODEL_TAKEAWAYS,
  });
  if (!grounded.ok) return { ...checkFailure(grounded.errors), failedClaims: grounded.failedClaims };
  return {
    ok: true,
    value: grounded.value,
    grounding: {
      version: GROUNDING_CHECK_VERSION,
      checked: grounded.checked,
      dropped: grounded.dropped,
      failedClaims: grounded.failedClaims,
    },
  };
}
