/** An answer through the grounding check: what to send back for repair, what to drop on the last turn, and each kept takeaway's evidence. */
import { evidenceQuote } from "../../../article/evidence.ts";
import type { TakeawayEvidence } from "../../../article/schema.ts";
import type { SummaryOutput } from "../../types.ts";
import type { Passages } from "../passages.ts";
import { checkGrounding, GROUNDING_CHECK_VERSION, type Claim, type ClaimFailure } from "./check.ts";

/** The passage ids an answer cites for its headline, its summary and each takeaway (same order). */
export interface Citations {
  title: readonly string[];
  summary: readonly string[];
  takeaways: readonly (readonly string[])[];
}

/** Words every grounding failure of an item starts with, so the report can count them. */
export const GROUNDING_FAILURE = "not supported by its sources";

/** True when an item failed because its answer was not supported by its sources. */
export function isGroundingFailure(reason: string): boolean {
  return reason.includes(GROUNDING_FAILURE);
}

export interface GroundOptions {
  passages: Passages;
  /** The cleaned original title, which a replacement headline may use. */
  originalTitle?: string;
  /** The last turn: no repair follows, so unsupported claims are dropped (or the item fails). */
  lastTurn: boolean;
  /** Fewest takeaways an answer may keep after drops (3 for a model's answer). */
  minTakeaways: number;
}

export type Grounded =
  | { ok: true; value: SummaryOutput; checked: number; dropped: number; failedClaims: number }
  /** `errors`: one per reason, for the repair turn or the report. `final`: nothing more can be done. */
  | { ok: false; errors: string[]; failedClaims: number; final: boolean };

/** The claims of an output: the headline, the summary, each takeaway and each sentiment bullet, with their citations. */
export function claimsOf(output: SummaryOutput, citations: Citations): Claim[] {
  const claims: Claim[] = [];
  if (output.title) claims.push({ field: "title", index: 0, text: output.title, cites: citations.title });
  claims.push({ field: "summary", index: 0, text: output.summary, cites: citations.summary });
  output.takeaways.forEach((text, i) => claims.push({ field: "takeaway", index: i, text, cites: citations.takeaways[i] ?? [] }));
  output.sentiment?.positives.forEach((p, i) => claims.push({ field: "positive", index: i, text: p.text, cites: p.comments }));
  output.sentiment?.concerns.forEach((p, i) => claims.push({ field: "concern", index: i, text: p.text, cites: p.comments }));
  return claims;
}

/** Each takeaway's evidence from its citations: quotes of article (or post) passages, or the comment ids. */
export function evidenceOf(citations: readonly (readonly string[])[], passages: Passages): TakeawayEvidence[] {
  return citations.map((ids) => {
    const cited = [...new Set(ids)].map((id) => passages.byId.get(id)).filter((p) => p !== undefined);
    const quotes = cited
      .filter((p) => p.kind !== "comment")
      .slice(0, 5)
      .map((p) => evidenceQuote(p.text));
    const comments = cited
      .filter((p) => p.kind === "comment")
      .slice(0, 5)
      .map((p) => p.id);
    return { quotes, ...(comments.length > 0 ? { comments } : {}) };
  });
}

const failedOf = (failures: readonly ClaimFailure[], field: Claim["field"]) =>
  new Set(failures.filter((f) => f.claim.field === field).map((f) => f.claim.index));

/**
 * Checks every claim of `output` against the passages it cites. A headline that fails is
 * dropped at once (the cleaned original title stays). Other failures go back for repair; on
 * the last turn the failing takeaways and bullets are dropped when the summary holds and at
 * least `minTakeaways` remain, else the item fails with every reason.
 */
export function groundOutput(output: SummaryOutput, citations: Citations, options: GroundOptions): Grounded {
  const claims = claimsOf(output, citations);
  const failures = checkGrounding(claims, options.passages, { originalTitle: options.originalTitle });
  const titleFailed = failures.some((f) => f.claim.field === "title");
  const rest = failures.filter((f) => f.claim.field !== "title");
  const reasons = rest.flatMap((f) => f.reasons);
  const failedClaims = failures.length;

  const badTakeaways = failedOf(rest, "takeaway");
  const keptTakeaways = output.takeaways
    .map((text, i) => ({ text, cites: citations.takeaways[i] ?? [] }))
    .filter((_, i) => !badTakeaways.has(i));
  if (rest.length > 0) {
    if (!options.lastTurn) return { ok: false, errors: reasons, failedClaims, final: false };
    const summaryFailed = rest.some((f) => f.claim.field === "summary");
    if (summaryFailed || keptTakeaways.length < options.minTakeaways) {
      const why = summaryFailed
        ? "the summary is unsupported"
        : `only ${keptTakeaways.length} takeaway(s) supported, ${options.minTakeaways} needed`;
      return { ok: false, errors: [`${GROUNDING_FAILURE} (${why})`, ...reasons], failedClaims, final: true };
    }
  }
  const badPositives = failedOf(rest, "positive");
  const badConcerns = failedOf(rest, "concern");
  const sentiment = output.sentiment && {
    ...output.sentiment,
    positives: output.sentiment.positives.filter((_, i) => !badPositives.has(i)),
    concerns: output.sentiment.concerns.filter((_, i) => !badConcerns.has(i)),
  };
  const { title: _title, evidence: _evidence, sentiment: _sentiment, ...fields } = output;
  const value: SummaryOutput = {
    ...(output.title && !titleFailed ? { title: output.title } : {}),
    ...fields,
    takeaways: keptTakeaways.map((t) => t.text),
    evidence: evidenceOf(
      keptTakeaways.map((t) => t.cites),
      options.passages,
    ),
    ...(sentiment ? { sentiment } : {}),
  };
  return { ok: true, value, checked: claims.length, dropped: failedClaims, failedClaims };
}

export { GROUNDING_CHECK_VERSION };
