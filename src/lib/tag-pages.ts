/**
 * How a tag's articles split into pages that stay put as the tag grows. Numbered pages count
 * from the oldest article and each holds exactly one page size; the front page holds the rest,
 * the newest. So a new article changes only the front page (and, when the front would reach two
 * page sizes, adds one numbered page), and a nightly incremental build reuses every other page.
 */
import { tagPath } from "./articles.ts";

/** The front page's number. */
export const FRONT_PAGE = 0;

export interface TagPage<T> {
  /** FRONT_PAGE (0) for the front page, else k from 1 (the oldest articles) up. */
  number: number;
  /** The page's articles, newest first. */
  articles: T[];
  /** The page of the next newer articles (FRONT_PAGE for the front), none on the front page. */
  newer?: number;
  /** The page of the next older articles, none on page 1 (nor on a front page alone). */
  older?: number;
}

/**
 * A tag's pages, front page first, then numbered pages from the newest (K) down to 1. With n
 * articles and page size P there are K = max(0, floor(n / P) - 1) numbered pages: page k holds
 * the oldest-first articles [(k-1)P, kP); the front holds the other n - KP (all of them while
 * n < 2P, else between P and 2P - 1). `newestFirst` is the tag's articles, newest first.
 */
export function tagPages<T>(newestFirst: readonly T[], pageSize: number): TagPage<T>[] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`page size must be a whole number of at least 1, not ${pageSize}`);
  const n = newestFirst.length;
  const numbered = Math.max(0, Math.floor(n / pageSize) - 1);
  const front: TagPage<T> = { number: FRONT_PAGE, articles: newestFirst.slice(0, n - numbered * pageSize) };
  if (numbered > 0) front.older = numbered;
  const pages = [front];
  for (let k = numbered; k >= 1; k--) {
    const page: TagPage<T> = {
      number: k,
      articles: newestFirst.slice(n - k * pageSize, n - (k - 1) * pageSize),
      newer: k === numbered ? FRONT_PAGE : k + 1,
    };
    if (k > 1) page.older = k - 1;
    pages.push(page);
  }
  return pages;
}

/** A tag page's URL: `/tags/<tag>/` for the front page, `/tags/<tag>/<k>/` for page k. */
export function tagPagePath(tag: string, number: number): string {
  return number === FRONT_PAGE ? tagPath(tag) : `${tagPath(tag)}${number}/`;
}
