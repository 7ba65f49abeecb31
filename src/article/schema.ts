/** The article contract: one zod schema shared by the site, the ingest writer and the checker. */
import { z } from "astro/zod";

/** Where article and page Markdown lives; THEMATA_CONTENT_DIR moves the articles (tests, benchmarks). */
export const CONTENT_DIR = process.env.THEMATA_CONTENT_DIR ?? "content";
export const ARTICLES_DIR = `${CONTENT_DIR}/articles`;
export const PAGES_DIR = "content/pages";

/** A tag: a lowercase slug from the controlled vocabulary (see src/article/tags.ts). */
export const tagSlug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a lowercase slug such as `open-source-ai`");

/** A comment id in the discussion (Hacker News ids are numbers; stored as strings). */
export const commentId = z.coerce.string().regex(/^[A-Za-z0-9_-]+$/, "a comment id such as `41234567`");

export const SENTIMENT_LABELS = ["positive", "mixed", "negative", "neutral"] as const;
export const EXTRACTION_LEVELS = ["full", "partial", "none"] as const;

/** One sentiment bullet: a sentence, and the ids of the comments it is drawn from. */
export const sentimentPoint = z.object({
  text: z.string().min(1).max(400),
  comments: z.array(commentId).min(1, "cite at least one comment id"),
});

/**
 * What one takeaway rests on: the start of each article passage it cites, as a short quote the
 * site links with a text fragment (`#:~:text=`); or, when the article could not be read, the
 * comments it cites.
 */
export const takeawayEvidence = z.object({
  /** The cited passages of the original article, each its first 300 characters at most. */
  quotes: z.array(z.string().min(1).max(300)).max(5).default([]),
  /** Comment ids, when the takeaway rests on the discussion (no article text). */
  comments: z.array(commentId).max(5).optional(),
});

/** The community's verdict from the discussion. */
export const sentimentSchema = z.object({
  /** positive, mixed, negative or neutral. */
  label: z.enum(SENTIMENT_LABELS),
  /** What commenters liked, each citing comments. */
  positives: z.array(sentimentPoint).max(5).default([]),
  /** What commenters worried about, each citing comments. */
  concerns: z.array(sentimentPoint).max(5).default([]),
});

/** Where the discussion happened and how lively it was when last fetched. */
export const discussionSchema = z.object({
  /** The thread's own page. */
  url: z.url(),
  /** Which community: `hacker-news`, or a feed's name. */
  site: z.string().min(1),
  /** The thread's id on that site (the Hacker News story id). */
  id: commentId.optional(),
  points: z.number().int().min(0),
  comments: z.number().int().min(0),
  fetchedAt: z.coerce.date(),
});

/** Who wrote the machine-written fields, and from what input. */
export const provenanceSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  promptVersion: z.string().min(1),
  generatedAt: z.coerce.date(),
  /** sha256 of exactly what the summarizer saw; a changed hash means new input. */
  inputHash: z.string().regex(/^[a-f0-9]{16,64}$/),
  /** The version of the grounding check the summary passed (every claim checked against the passages it cites); absent on articles written before it. */
  grounding: z.string().min(1).optional(),
});

/**
 * The article schema. `image` is the image schema to use for the picture's file: Astro's
 * `image()` in the content collection (so the build checks and optimises it), a plain path
 * string in Node scripts.
 */
export function articleSchema<I extends z.ZodType>(image: I) {
  return z.object({
    /** Headline shown on the site: the source's, cleaned of " - Site Name", or a plain one. */
    title: z.string().min(1).max(300),
    /** The source page's own title, shown under the headline. */
    originalTitle: z.string().min(1).max(400).optional(),
    /** Canonical URL of the original article. */
    url: z.url(),
    /** Display domain of the source, e.g. `techstrong.ai`. */
    source: z.string().min(1).max(100),
    /** Who wrote the original, when its page names them (its metadata's author); absent otherwise. */
    author: z.string().min(1).max(200).optional(),
    /** Publication date (the page's metadata, else the discussion's date). */
    published: z.coerce.date(),
    /** Reading time of the original, from its word count. */
    readingMinutes: z.number().int().min(1).max(600).optional(),
    /** One paragraph. */
    summary: z.string().min(1).max(2000),
    /** Three to five bullets; empty until written. */
    takeaways: z.array(z.string().min(1).max(600)).max(5).default([]),
    /**
     * Optional, no default: for each takeaway (same order), the passages the grounding check
     * found it rests on (see `takeawayEvidence`); the page shows a "source" link beside it. The
     * ingest writes it with `takeaways` and fingerprints the two together, so once an editor
     * changes a takeaway (or this list) the site stops showing the evidence: never a source
     * link beside a claim nobody checked. Articles written before it have none and show no links.
     */
    evidence: z.array(takeawayEvidence).max(5).optional(),
    /** Lowercase slugs from the tag vocabulary. */
    tags: z.array(tagSlug).max(6).default([]),
    /** The community's verdict; absent when there is no discussion yet. */
    sentiment: sentimentSchema.optional(),
    /** The discussion thread; absent for articles found only in a feed. */
    discussion: discussionSchema.optional(),
    /** 0–100 from the discussion's engagement (src/article/heat.ts); what pages show. */
    heat: z.number().int().min(0).max(100).default(0),
    /** How much of the article could be read: `none` means the summary rests on the discussion. */
    extraction: z.enum(EXTRACTION_LEVELS).default("full"),
    /** A small copy of the page's picture, stored beside the file, with alt text. */
    image: z.object({ src: image, alt: z.string().max(300) }).optional(),
    /** True on hand-written starting articles; the site marks them. */
    sample: z.boolean().default(false),
    /** Which provider and model wrote the summary, and from what. */
    provenance: provenanceSchema.optional(),
    /**
     * Fields an editor froze by hand: `true` freezes the whole article, a list freezes the fields
     * named (`[summary, takeaways]`, or a count such as `discussion.points`). Runs never change
     * a frozen field, live figures included.
     */
    locked: z.union([z.boolean(), z.array(z.string())]).default(false),
    /**
     * Written by the ingest: for each field it wrote (and each discussion count), the first 12
     * hex digits of sha256 of the value as it wrote it. A field whose value no longer matches,
     * or that was deleted, was edited by hand and is never overwritten; a field without a
     * fingerprint is the editor's own. Leave as is.
     */
    fingerprints: z.record(z.string(), z.string()).optional(),
  });
}

/** The schema as Node scripts use it: `image.src` is a path relative to the article file. */
export const articleFileSchema = articleSchema(z.string().min(1));
export type ArticleData = z.infer<typeof articleFileSchema>;
export type ArticleInput = z.input<typeof articleFileSchema>;
export type Sentiment = z.infer<typeof sentimentSchema>;
export type SentimentPoint = z.infer<typeof sentimentPoint>;
export type TakeawayEvidence = z.infer<typeof takeawayEvidence>;
export type Discussion = z.infer<typeof discussionSchema>;

/** Static pages (about, privacy, cookies, contact). */
export const pageSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1).max(300),
});
