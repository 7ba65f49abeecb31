/** SummaryInput fixtures for the provider tests: an article with a short Hacker News thread. */
import { TAGS } from "../../../../src/article/tags.ts";
import { parseConfig, type IngestConfig, type IngestConfigInput } from "../../../../src/ingest/config.ts";
import type { SummaryInput, ThreadComment } from "../../../../src/ingest/types.ts";

export function comment(id: string, text: string, author = "someone"): ThreadComment {
  return { id, author, text, permalink: `https://news.ycombinator.com/item?id=${id}`, depth: 0 };
}

export function sampleInput(overrides: Partial<SummaryInput> = {}, n = 0): SummaryInput {
  return {
    url: `https://example.org/open-model-${n}`,
    title: `A new open-weight model runs on one GPU (${n})`,
    source: "example.org",
    text: "A lab released an open-weight language model today. ".repeat(40),
    extraction: "full",
    discussion: {
      site: "hacker-news",
      id: `4000${n}`,
      url: `https://news.ycombinator.com/item?id=4000${n}`,
      title: "A new open-weight model runs on one GPU",
      text: null,
      points: 120,
      comments: 3,
      createdAt: new Date("2026-11-01T08:00:00Z"),
      fetchedAt: new Date("2026-11-01T20:00:00Z"),
      excerpt: [
        comment("41000001", "Great to run this at home on my 4090."),
        comment("41000002", "I doubt these benchmark numbers hold up."),
        comment("41000003", "The licence is permissive, which matters."),
      ],
    },
    vocabulary: TAGS,
    ...overrides,
  };
}

/** The config's parsed `summarizer` section from what a config file would hold there. */
export function summarizerConfig(input: IngestConfigInput["summarizer"] = {}): IngestConfig["summarizer"] {
  const parsed = parseConfig({ summarizer: input }, null);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value.summarizer;
}
