/** The offline summarizer's output through the grounding check: each picked sentence cites the passage it came from. */
import { fail, ok, type Result } from "../../../article/result.ts";
import type { GroundingTally, SummaryInput, SummaryOutput } from "../../types.ts";
import { GROUNDING_CHECK_VERSION, groundOutput } from "../grounding/ground-answer.ts";
import { passagesOf, type Passage, type Passages } from "../passages.ts";

/** The passages a picked sentence (maybe cut with "…") was taken from, among those it may cite. */
function sourceOf(sentence: string, passages: Passages): Passage[] {
  const wanted = passages.hasArticleText ? ["article"] : ["post", "comment"];
  const head = sentence.replace(/…$/, "").trim();
  return passages.list.filter((p) => wanted.includes(p.kind) && p.text.includes(head));
}

/**
 * Checks the extractive output as a model's answer is checked, citing for the summary and each
 * takeaway the passages its sentences were picked from. `summaryText` is the summary without the
 * note that says what it rests on (the note is the site's words, not a claim). With article text
 * one takeaway is enough, as the article schema allows; without, three (as before).
 */
export function groundExtractive(
  input: SummaryInput,
  output: SummaryOutput,
  summarySentences: readonly string[],
  summaryText: string,
): Result<{ output: SummaryOutput; grounding: GroundingTally }> {
  const passages = passagesOf(input);
  const ids = (sentence: string) =>
    sourceOf(sentence, passages)
      .map((p) => p.id)
      .slice(0, 5);
  const citations = {
    title: [],
    summary: [...new Set(summarySentences.flatMap(ids))].slice(0, 10),
    takeaways: output.takeaways.map(ids),
  };
  const grounded = groundOutput({ ...output, summary: summaryText }, citations, {
    passages,
    originalTitle: input.title,
    lastTurn: true,
    minTakeaways: passages.hasArticleText ? 1 : 3,
  });
  if (!grounded.ok) return fail(`${input.url}: ${grounded.errors.join("; ")}`);
  return ok({
    output: { ...grounded.value, summary: output.summary },
    grounding: { version: GROUNDING_CHECK_VERSION, checked: grounded.checked, repaired: 0, dropped: grounded.dropped },
  });
}
