/**
 * Social cards beside the articles: `<year>/cards/<slug>.png` next to `<year>/<slug>.md`, as
 * pictures sit in `<year>/images/`. An article with a picture needs no card (its picture is
 * shared); one without gets a card, made again whenever what it shows changed (an editor's
 * title fix included), which `syncCards` finds by the fingerprint stored in each card.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { articleFileSchema, type ArticleData } from "../../article/schema.ts";
import { listArticlePaths, readArticleFile } from "../../article/files.ts";
import { articleCardPath } from "../../article/card-path.ts";
import { CARD_KEYWORD, cardFingerprint, readTextChunk, renderCard, type CardText } from "./card.ts";

/** The card of the article file at `articlePath`. */
export const cardPath = articleCardPath;

const LONG_DATE = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });

/** What an article's card shows: the site's name, the title, the source and the publication day. */
export function cardText(data: Pick<ArticleData, "title" | "source" | "published">, siteName: string): CardText {
  return { siteName, title: data.title, source: data.source, date: LONG_DATE.format(data.published) };
}

export type CardOutcome = "made" | "fresh" | "removed" | "none" | "failed";

export interface CardResult {
  path: string;
  outcome: CardOutcome;
  reason?: string;
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Writes beside the target, then renames: a reader never sees half a card. */
async function writeAtomic(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Brings one article's card up to date: made when missing or stale, left when fresh, removed
 * when the article now has a picture. A file that does not parse fails with the reason.
 */
export async function syncCard(articlePath: string, siteName: string): Promise<CardResult> {
  const card = cardPath(articlePath);
  try {
    const file = await readArticleFile(articlePath);
    const parsed = file.error ? null : articleFileSchema.safeParse(file.data);
    if (!parsed?.success) {
      return { path: articlePath, outcome: "failed", reason: file.error?.message ?? "invalid frontmatter (npm run check names the field)" };
    }
    const existing = await readIfExists(card);
    if (parsed.data.image) {
      if (!existing) return { path: articlePath, outcome: "none" };
      await unlink(card);
      return { path: articlePath, outcome: "removed" };
    }
    const text = cardText(parsed.data, siteName);
    if (existing && readTextChunk(existing, CARD_KEYWORD) === cardFingerprint(text)) return { path: articlePath, outcome: "fresh" };
    await writeAtomic(card, await renderCard(text));
    return { path: articlePath, outcome: "made" };
  } catch (error) {
    return { path: articlePath, outcome: "failed", reason: (error as Error).message };
  }
}

/** Syncs the cards of the given article files, one at a time (rendering is CPU-bound). */
export async function syncCards(articlePaths: readonly string[], siteName: string): Promise<CardResult[]> {
  const results: CardResult[] = [];
  for (const path of articlePaths) results.push(await syncCard(path, siteName));
  return results;
}

/** Syncs the card of every article under `articlesDir`. */
export async function syncAllCards(articlesDir: string, siteName: string): Promise<CardResult[]> {
  return syncCards(await listArticlePaths(articlesDir), siteName);
}

/** "3 made, 120 fresh, 1 removed, 0 failed". */
export function summarizeCards(results: readonly CardResult[]): string {
  const count = (outcome: CardOutcome) => results.filter((r) => r.outcome === outcome).length;
  return `${count("made")} made, ${count("fresh")} fresh, ${count("removed")} removed, ${count("failed")} failed`;
}
