/**
 * A night's change to a generated archive, as the nightly job makes it: new articles dated the
 * day after the newest, a few edited (summary and title), one deleted, and points refreshed on
 * the latest few. Deterministic; shared by the nightly benchmark and the incremental-build tests.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { heatScore } from "../../src/article/heat.ts";
import { articleFileText, generateArticles, type GeneratedArticle } from "./generate-content.ts";

export interface NightChange {
  added: number;
  edited: number;
  deleted: number;
  refreshed: number;
}

/** The night the nightly benchmark applies. */
export const NIGHT: NightChange = { added: 50, edited: 3, deleted: 1, refreshed: 20 };

const DAY_MS = 86_400_000;

/** New articles: another seed's, dated the day after `after` (files, slugs and URLs to match). */
export function newArticles(count: number, after: Date, seed = 7): GeneratedArticle[] {
  const date = new Date(after.getTime() + DAY_MS);
  const day = date.toISOString().slice(0, 10);
  return [...generateArticles(count, seed)].map((article, i) => {
    const slug = `${day}-${article.slug.replace(/^\d{4}-\d{2}-\d{2}-/, "").replace(/-\d+$/, "")}-new-${i}`;
    const data = { ...article.data, published: date, url: `${article.data.url}-new-${i}` };
    if (data.discussion) data.discussion = { ...data.discussion, fetchedAt: new Date(date.getTime() + DAY_MS) };
    return { ...article, slug, file: join(day.slice(0, 4), `${slug}.md`), data };
  });
}

/** The article with its points (and so its heat) refreshed. */
export function refreshedPoints(article: GeneratedArticle, bump: number): GeneratedArticle {
  const discussion = article.data.discussion;
  if (!discussion) return article;
  const points = discussion.points + bump;
  const comments = discussion.comments + Math.ceil(bump / 3);
  return { ...article, data: { ...article.data, discussion: { ...discussion, points, comments }, heat: heatScore({ points, comments }) } };
}

/** The article as an editor left it: a sentence added to its summary, its title reworded. */
export function edited(article: GeneratedArticle): GeneratedArticle {
  return {
    ...article,
    data: { ...article.data, title: `${article.data.title} (updated)`, summary: `${article.data.summary} An editor added this sentence.` },
  };
}

/**
 * Applies a night to the archive `articles` (oldest first) written under `dir/articles`, and
 * returns the archive after it. Edits and the deletion fall on older articles spread through the
 * archive; refreshes on the newest ones with a discussion (the refresh window is a week).
 */
export async function applyNight(
  dir: string,
  articles: readonly GeneratedArticle[],
  night: Partial<NightChange>,
): Promise<GeneratedArticle[]> {
  const { added = 0, edited: editCount = 0, deleted = 0, refreshed = 0 } = night;
  let next = [...articles];
  const write = async (article: GeneratedArticle) => {
    const path = join(dir, "articles", article.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, articleFileText(article));
  };
  const spread = (count: number, offset: number) =>
    Array.from({ length: count }, (_, k) => Math.floor(((k + offset) * next.length) / (count + 1.5)) + 1);
  for (const i of spread(editCount, 0.25)) {
    next[i] = edited(next[i]);
    await write(next[i]);
  }
  for (const i of spread(deleted, 0.6)) {
    await rm(join(dir, "articles", next[i].file));
    next[i] = undefined as unknown as GeneratedArticle;
  }
  next = next.filter(Boolean);
  let done = 0;
  for (let i = next.length - 1; i >= 0 && done < refreshed; i--) {
    if (!next[i].data.discussion) continue;
    next[i] = refreshedPoints(next[i], 25 + done);
    await write(next[i]);
    done++;
  }
  const newest = next.reduce((max, a) => Math.max(max, new Date(a.data.published as Date).getTime()), 0);
  const fresh = newArticles(added, new Date(newest));
  for (const article of fresh) await write(article);
  return [...next, ...fresh];
}
