/** The archive: articles grouped by calendar month (UTC), newest month first, and the paths of its pages. */
import type { ListedArticle } from "./order.ts";

export interface ArchiveMonth<T> {
  /** `2026-06`: the month's URL segment. */
  key: string;
  year: number;
  /** 1–12. */
  month: number;
  /** "June 2026". */
  label: string;
  /** The month's articles, newest first. */
  articles: T[];
}

const MONTH_NAME = new Intl.DateTimeFormat("en-US", { month: "long", timeZone: "UTC" });

/** `2026-06` for any day of June 2026 (UTC). */
export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** `/archive/`, or one month's page `/archive/2026-06/`. */
export function archivePath(key?: string): string {
  return key ? `/archive/${key}/` : "/archive/";
}

/** Months holding articles, newest first; `articles` must already be newest first (the catalog's order). */
export function groupByMonth<T extends ListedArticle>(articles: readonly T[]): ArchiveMonth<T>[] {
  const months: ArchiveMonth<T>[] = [];
  let current: ArchiveMonth<T> | undefined;
  for (const article of articles) {
    const key = monthKey(article.data.published);
    if (current?.key !== key) {
      const year = article.data.published.getUTCFullYear();
      const month = article.data.published.getUTCMonth() + 1;
      current = { key, year, month, label: `${MONTH_NAME.format(article.data.published)} ${year}`, articles: [] };
      months.push(current);
    }
    current.articles.push(article);
  }
  return months;
}

/** Months grouped by year, newest year first, for the archive's index. */
export function monthsByYear<T>(months: readonly ArchiveMonth<T>[]): { year: number; months: ArchiveMonth<T>[] }[] {
  const years: { year: number; months: ArchiveMonth<T>[] }[] = [];
  for (const month of months) {
    const last = years.at(-1);
    if (last?.year === month.year) last.months.push(month);
    else years.push({ year: month.year, months: [month] });
  }
  return years;
}
