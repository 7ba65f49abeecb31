// Shared fixtures for the writer tests: a complete machine draft and tmp folders.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { ArticleDraft } from "../../../src/ingest/write/write.ts";

export const PUBLISHED = new Date("2026-06-24T00:00:00Z");
/** A day after publication: inside a 7-day refresh window. */
export const SOON = { now: new Date("2026-06-25T12:00:00Z"), refreshWindowDays: 7 };
/** A month after publication: outside the window. */
export const LATER = { now: new Date("2026-07-24T12:00:00Z"), refreshWindowDays: 7 };
export const SLUG = "2026-06-24-for-most-of-the-world-open-source-ai-is-the-only-way-forward";

/** What the machine would write for the open-source AI sample article. */
export function seedDraft(overrides: Partial<ArticleDraft> = {}): ArticleDraft {
  return {
    title: "For Most of the World, Open-Source AI Is the Only Way Forward",
    originalTitle: "For Most of the World, Open-Source AI Is the Only Way Forward - Techstrong.ai",
    url: "https://techstrong.ai/articles/for-most-of-the-world-open-source-ai-is-the-only-way-forward/",
    source: "techstrong.ai",
    author: "Mike Vizard",
    published: PUBLISHED,
    readingMinutes: 8,
    summary: "Proprietary AI is often too expensive and centralized for many countries and companies.",
    takeaways: ["LeCun advocates open-source AI.", "The Global South can contribute.", "Political support matters."],
    tags: ["open-source-ai", "ai-sovereignty", "yann-lecun"],
    sentiment: {
      label: "mixed",
      positives: [{ text: "Qwen runs on consumer hardware.", comments: ["9001"] }],
      concerns: [{ text: "Open models may never match closed ones.", comments: ["9002", "9003"] }],
    },
    discussion: {
      url: "https://news.ycombinator.com/item?id=9000",
      site: "hacker-news",
      id: "9000",
      points: 312,
      comments: 13,
      fetchedAt: new Date("2026-06-25T10:00:00Z"),
    },
    heat: 55,
    extraction: "full",
    provenance: {
      provider: "extractive",
      model: "extractive-1",
      promptVersion: "1",
      generatedAt: new Date("2026-06-25T10:00:00Z"),
      inputHash: "aaaaaaaaaaaaaaaa",
    },
    ...overrides,
  };
}

/** The same article after its page changed: a new summary from new input. */
export function rewrittenDraft(overrides: Partial<ArticleDraft> = {}): ArticleDraft {
  const base = seedDraft();
  return seedDraft({
    summary: "A machine's second, different summary.",
    takeaways: ["A new first takeaway.", "A new second one.", "A new third one."],
    tags: ["open-source-ai", "llms"],
    provenance: { ...base.provenance!, inputHash: "bbbbbbbbbbbbbbbb", generatedAt: new Date("2026-06-26T10:00:00Z") },
    ...overrides,
  });
}

/** The live figures a later fetch of the thread gives. */
export function livelierDraft(base: ArticleDraft = seedDraft()): ArticleDraft {
  return {
    ...base,
    discussion: { ...base.discussion!, points: 480, comments: 40, fetchedAt: new Date("2026-06-26T10:00:00Z") },
    heat: 61,
  };
}

export async function tempArticlesDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "themata-write-"));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Every file under dir (relative paths, sorted), hidden ones included. */
export async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** A real, tiny WebP picture of one colour. */
export async function webp(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 4, height: 3, channels: 3, background: colour } })
    .webp()
    .toBuffer();
}
