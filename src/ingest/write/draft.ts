/** The article a summarized item becomes: the frontmatter the machine writes, before the editorial rule. */
import { heatScore } from "../../article/heat.ts";
import type { PreparedItem, Summary } from "../types.ts";
import type { ArticleDraft } from "./write.ts";

/** The date an article is filed under: its metadata's, else the discussion's, else when it was seen. */
function publishedDate(item: PreparedItem): Date {
  const fromPage = item.extracted?.publishedTime ? new Date(item.extracted.publishedTime) : null;
  if (fromPage && !Number.isNaN(fromPage.getTime())) return fromPage;
  return item.discussion?.createdAt ?? item.candidate.seenAt;
}

/** The frontmatter the machine would write for an item, from its preparation and summary (and what other stages derive: the input hash, reading time). */
export function articleDraft(
  item: PreparedItem,
  summary: Summary,
  now: Date,
  derived: { inputHash: string; readingMinutes?: number },
): ArticleDraft {
  const { extracted, discussion } = item;
  const title = summary.output.title ?? item.input.title;
  return {
    title,
    ...(item.pageTitle !== title ? { originalTitle: item.pageTitle } : {}),
    url: item.url,
    source: item.input.source,
    ...(extracted?.byline ? { author: extracted.byline.slice(0, 200) } : {}),
    published: publishedDate(item),
    ...(derived.readingMinutes !== undefined ? { readingMinutes: derived.readingMinutes } : {}),
    summary: summary.output.summary,
    takeaways: summary.output.takeaways,
    ...(summary.output.evidence ? { evidence: summary.output.evidence } : {}),
    tags: summary.output.tags,
    ...(summary.output.sentiment ? { sentiment: summary.output.sentiment } : {}),
    ...(discussion
      ? {
          discussion: {
            url: discussion.url,
            site: discussion.site,
            id: discussion.id,
            points: discussion.points,
            comments: discussion.comments,
            fetchedAt: discussion.fetchedAt,
          },
          heat: heatScore(discussion),
        }
      : {}),
    extraction: item.input.extraction,
    provenance: {
      provider: summary.provider,
      model: summary.model,
      promptVersion: summary.promptVersion,
      generatedAt: now,
      inputHash: derived.inputHash,
      ...(summary.grounding ? { grounding: summary.grounding.version } : {}),
    },
  };
}
