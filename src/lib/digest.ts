/**
 * The weekly digest: articles grouped by ISO week (Monday to Sunday, UTC), each week's ordered
 * by heat. The newest week is "so far" until an article of a later week exists: completeness is
 * judged from the content's dates, never the clock, so the same content builds the same digest.
 */
import { newestFirst, type ListedArticle } from "./order.ts";

const DAY_MS = 86_400_000;

export interface IsoWeek {
  /** The ISO week-numbering year (early January days can belong to the previous year's last week). */
  year: number;
  /** 1–53. */
  week: number;
}

export interface DigestWeek<T> extends IsoWeek {
  /** `2026-w25`: the week's URL segment. */
  key: string;
  /** Monday 00:00 UTC. */
  start: Date;
  /** Sunday 00:00 UTC (the week's last day). */
  end: Date;
  /** Hottest first, then newest first. */
  articles: T[];
  /** True for the week holding the newest article: more may come, so it is not in the feed yet. */
  soFar: boolean;
}

export interface HeatedArticle extends ListedArticle {
  data: ListedArticle["data"] & { heat: number };
}

/** The Monday 00:00 UTC starting the ISO week that holds `date`. */
export function weekStart(date: Date): Date {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(day - weekday * DAY_MS);
}

/** The ISO 8601 week of a date (UTC): the week's Thursday decides its year. */
export function isoWeek(date: Date): IsoWeek {
  const thursday = new Date(weekStart(date).valueOf() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.valueOf() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

/** `2026-w05`: two-digit weeks, so keys sort as text in week order. */
export function weekKey({ year, week }: IsoWeek): string {
  return `${year}-w${String(week).padStart(2, "0")}`;
}

/** `/digest/`, or one week's page `/digest/2026-w25/`. */
export function digestPath(key?: string): string {
  return key ? `/digest/${key}/` : "/digest/";
}

/** `/digest/rss.xml`: one item per completed week. */
export const DIGEST_FEED_PATH = "/digest/rss.xml";

/** Hottest first; equal heat newest first, then by id. */
export function hottestFirst(a: HeatedArticle, b: HeatedArticle): number {
  return b.data.heat - a.data.heat || newestFirst(a, b);
}

/** Weeks holding articles, newest first; the first is "so far". */
export function groupByWeek<T extends HeatedArticle>(articles: readonly T[]): DigestWeek<T>[] {
  const weeks = new Map<string, DigestWeek<T>>();
  for (const article of articles) {
    const week = isoWeek(article.data.published);
    const key = weekKey(week);
    let entry = weeks.get(key);
    if (!entry) {
      const start = weekStart(article.data.published);
      entry = { ...week, key, start, end: new Date(start.valueOf() + 6 * DAY_MS), articles: [], soFar: false };
      weeks.set(key, entry);
    }
    entry.articles.push(article);
  }
  const list = [...weeks.values()].sort((a, b) => b.start.valueOf() - a.start.valueOf());
  for (const week of list) week.articles.sort(hottestFirst);
  if (list[0]) list[0].soFar = true;
  return list;
}

/** The weeks a digest feed carries: completed ones only, newest first, at most `limit`. */
export function completedWeeks<T>(weeks: readonly DigestWeek<T>[], limit: number): DigestWeek<T>[] {
  return weeks.filter((week) => !week.soFar).slice(0, limit);
}

/** When a completed week's digest is dated: the Monday after it, when it became complete. */
export function weekClosed(week: { start: Date }): Date {
  return new Date(week.start.valueOf() + 7 * DAY_MS);
}

const DAY_MONTH = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** "Week 25, 2026 (Jun 15 – Jun 21)". */
export function weekLabel(week: { year: number; week: number; start: Date; end: Date }): string {
  return `Week ${week.week}, ${week.year} (${DAY_MONTH.format(week.start)} – ${DAY_MONTH.format(week.end)})`;
}
