/** Validates a model's answer against the article schema's model-written fields; every provider's output passes here. */
import { z } from "astro/zod";
import { articleFileSchema, sentimentPoint, sentimentSchema } from "../../article/schema.ts";
import type { Failure } from "../../article/result.ts";
import { canonicalTag, slugifyTag } from "../../article/tags.ts";
import type { SummaryInput, SummaryOutput } from "../types.ts";
import { fieldPath } from "../../article/schema-issues.ts";

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
}

/** A failed check: the reason for the report, and the single errors to send back to the model. */
export type SummaryCheckFailure = Failure & { errors: string[] };
export type SummaryCheckResult = { ok: true; value: SummaryOutput } | SummaryCheckFailure;

/** The context to check an answer for `input` with. */
export function checkContextFor(
  input: SummaryInput,
  options: { allowUnknownTags: boolean },
): SummaryCheckContext {
  return {
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
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
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
export function checkAnswer(output: unknown, ctx: SummaryCheckContext): SummaryCheckResult {
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
  if (tags.length === 0)
    errors.push(`tags: none of ${JSON.stringify(dropped)} is in the tag vocabulary; use the listed slugs`);

  let sentiment: SummaryOutput["sentiment"];
  if (a.sentiment) {
    const points = [...a.sentiment.positives.map((p, i) => ["positives", i, p] as const), ...a.sentiment.concerns.map((p, i) => ["concerns", i, p] as const)];
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
  return { ok: true, value };
}
