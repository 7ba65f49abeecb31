/** Text formatting for pages and feeds: dates (always UTC, so builds never depend on the clock's zone), counts, sentences. */

const LONG_DATE = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
const SHORT_DATE = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "June 24, 2026": the article page's date. */
export function formatLongDate(date: Date): string {
  return LONG_DATE.format(date);
}

/** "Jun 24, 2026": cards and related articles. */
export function formatShortDate(date: Date): string {
  return SHORT_DATE.format(date);
}

/** "2026-06-24": the `datetime` attribute and the search sort key. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "1 comment", "312 points": a count with its noun, pluralised in English. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}

/** Words that end with a full stop without ending a sentence. */
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "st",
  "jr",
  "sr",
  "inc",
  "ltd",
  "co",
  "corp",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "approx",
  "no",
  "fig",
]);

/**
 * The first sentence of a paragraph, for cards. A sentence ends at `.`, `!` or `?` followed by
 * a space and a capital letter, digit or quote, so "e.g. this" and "3.6 billion" do not cut it.
 */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = /[.!?](?=\s+["“‘'(]?[A-Z0-9])/.exec(flat);
  if (!end) return flat;
  const candidate = flat.slice(0, end.index + 1);
  // "Dr. Smith" or "U.S. officials": a short last word before the stop is an abbreviation, not an end.
  const lastWord = /(\S+)[.!?]$/.exec(candidate)?.[1] ?? "";
  if (ABBREVIATIONS.has(lastWord.toLowerCase()) || /^[A-Z](?:\.[A-Z])+$/.test(lastWord)) {
    const rest = firstSentence(flat.slice(end.index + 1));
    return `${candidate} ${rest}`;
  }
  return candidate;
}

/** The heat as read aloud: "Heat 55 out of 100". */
export function heatLabel(heat: number): string {
  return `Heat ${heat} out of 100`;
}

/** A heat as a fixed-width sort key ("055"), so string and number order agree. */
export function heatSortKey(heat: number): string {
  return String(Math.max(0, Math.min(100, Math.round(heat)))).padStart(3, "0");
}
