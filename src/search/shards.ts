/**
 * How the article pages split into search index shards. Shards are bounded by dates, so they stay
 * the same from night to night: a small "recent" shard (the newest article's month and the one
 * before, where new articles land and points are refreshed) is re-indexed nightly, and the older
 * ones, a calendar year each (a year too large split into runs of whole months), change only when
 * an old article is edited or deleted, or once a month when a month leaves the recent shard.
 */

export interface DatedPage {
  /** `articles/<slug>/index.html`, relative to the out dir. */
  path: string;
  /** ISO date, or "" when unknown. */
  date: string;
}

export interface ShardPlan {
  /** `all` (one index), `recent` (or `recent.<n>`), a year (`2025`), a run of a year's months (`2025.2`), or `undated`. */
  id: string;
  /** Where its bundle goes, relative to the out dir: `pagefind` for the newest, `pagefind/<id>` for the others. */
  dir: string;
  pages: string[];
  newest: string;
  oldest: string;
}

/** The bundle folder Pagefind's script is loaded from (`/pagefind/pagefind.js`). */
export const BUNDLE_DIR = "pagefind";
/** Archives up to this many pages are one index: re-indexing it whole is cheap. */
export const SINGLE_INDEX_PAGES = 2_000;

const newestFirst = (a: DatedPage, b: DatedPage) =>
  a.date < b.date ? 1 : a.date > b.date ? -1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** The first day of the month before the one `date` falls in (`2026-06-20` → `2026-05-01`). */
export function recentFrom(date: string): string {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const before = month === 1 ? [year - 1, 12] : [year, month - 1];
  return `${String(before[0]).padStart(4, "0")}-${String(before[1]).padStart(2, "0")}-01`;
}

/** Splits `pages` (newest first) into chunks of at most `max`, counted from the oldest so older chunks keep their pages. */
function chunksFromOldest(pages: DatedPage[], max: number): DatedPage[][] {
  const oldestFirst = [...pages].reverse();
  const chunks: DatedPage[][] = [];
  for (let i = 0; i < oldestFirst.length; i += max) chunks.push(oldestFirst.slice(i, i + max).reverse());
  return chunks.reverse();
}

/** A year's pages (newest first) as runs of whole months packed oldest first while they fit, a month too large in chunks. */
function yearParts(pages: DatedPage[], max: number): DatedPage[][] {
  if (pages.length <= max) return [pages];
  const months = new Map<string, DatedPage[]>();
  for (const page of [...pages].reverse()) {
    const month = page.date.slice(0, 7);
    const list = months.get(month);
    if (list) list.push(page);
    else months.set(month, [page]);
  }
  const parts: DatedPage[][] = [];
  let run: DatedPage[] = [];
  for (const list of months.values()) {
    if (list.length > max) {
      if (run.length) parts.push(run);
      run = [];
      for (const chunk of chunksFromOldest([...list].reverse(), max).reverse()) parts.push([...chunk].reverse());
    } else if (run.length + list.length > max) {
      parts.push(run);
      run = [...list];
    } else {
      run.push(...list);
    }
  }
  if (run.length) parts.push(run);
  return parts.map((part) => [...part].reverse()).reverse();
}

/**
 * The shards of an archive, newest first, none over `maxPages`; each shard's articles are newer
 * than the next shard's, so a search sorted by date can read them in order. An archive of at most
 * `singleIndexPages` is one index (`all`).
 */
export function planShards(pages: readonly DatedPage[], maxPages: number, singleIndexPages = SINGLE_INDEX_PAGES): ShardPlan[] {
  const sorted = [...pages].sort(newestFirst);
  const shard = (id: string, list: DatedPage[]) => ({
    id,
    dir: "",
    pages: list.map((p) => p.path),
    newest: list[0].date,
    oldest: list[list.length - 1].date,
  });
  const shards: ShardPlan[] = [];
  if (sorted.length === 0) return [];
  if (sorted.length <= Math.min(maxPages, singleIndexPages)) {
    shards.push(shard("all", sorted));
  } else {
    const dated = sorted.filter((p) => /^\d{4}-\d{2}/.test(p.date));
    const undated = sorted.filter((p) => !/^\d{4}-\d{2}/.test(p.date));
    const from = dated.length ? recentFrom(dated[0].date) : "";
    const recent = dated.filter((p) => p.date >= from);
    const recentParts = chunksFromOldest(recent, maxPages);
    recentParts.forEach((part, i) => shards.push(shard(recentParts.length > 1 ? `recent.${recentParts.length - i}` : "recent", part)));
    const years = new Map<string, DatedPage[]>();
    for (const page of dated.filter((p) => p.date < from)) {
      const year = page.date.slice(0, 4);
      const list = years.get(year);
      if (list) list.push(page);
      else years.set(year, [page]);
    }
    for (const [year, list] of years) {
      const parts = yearParts(list, maxPages);
      parts.forEach((part, i) => shards.push(shard(parts.length > 1 ? `${year}.${parts.length - i}` : year, part)));
    }
    chunksFromOldest(undated, maxPages).forEach((part, i, all) =>
      shards.push(shard(all.length > 1 ? `undated.${all.length - i}` : "undated", part)),
    );
  }
  return shards.map((s, i) => ({ ...s, dir: i === 0 ? BUNDLE_DIR : `${BUNDLE_DIR}/${s.id}` }));
}
