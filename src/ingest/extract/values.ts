/** Small value readers shared by the extraction modules: whitespace, dates, language tags, URLs. */

/** Whitespace collapsed and trimmed; null when nothing is left. */
export function clean(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const text = invisible(value).replace(/\s+/g, " ").trim();
  return text || null;
}

/** An ISO 8601 date and time without an offset ("2018-04-05T22:00", "2018-04-05 22:00:00"). */
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
/** ISO 8601 in any form: JavaScript reads a date alone as UTC, and one with an offset by it. */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/;
/** A zone in a free-form date: "GMT", "UTC", "Z", "+02:00", "-0500", "EST", "CEST", "PDT". */
const ZONE = /\b(?:UTC|GMT|UT|Z)\b|[+-]\d{2}:?\d{2}\s*$|\b[A-Z]{1,3}[SD]?T\b/;

/**
 * A page's date-time as a Date, reading one without a zone as UTC: JavaScript reads such
 * times in the machine's zone, so "2018-04-05T22:00" would land on April 6 at UTC−7 and the
 * article's date (and its file name) would depend on where the job runs.
 */
export function parsePageDate(text: string): Date {
  if (ISO_WITHOUT_OFFSET.test(text)) return new Date(`${text.replace(" ", "T")}Z`);
  if (ISO.test(text) || ZONE.test(text)) return new Date(text);
  const utc = new Date(`${text} UTC`);
  return Number.isNaN(utc.getTime()) ? new Date(text) : utc;
}

/** A date-time as ISO 8601 (UTC), or null when it is not a plausible date; times without a zone are UTC. */
export function isoDate(value: string | null | undefined): string | null {
  const text = clean(value);
  if (!text) return null;
  const date = parsePageDate(text);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1990 || year > 2100) return null;
  return date.toISOString();
}

/** A language tag ("en", "en-US"; "en_US" is tidied), or null when it is not one. */
export function language(value: string | null | undefined): string | null {
  const text = clean(value)?.replace(/_/g, "-");
  return text && /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(text) ? text : null;
}

/** A JSON-LD count (a number or a numeric string, as pages write both), or null. */
export function positiveInteger(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** `href` resolved against the page, kept only when it is http(s) (no `data:` or `javascript:`). */
export function absoluteHttpUrl(href: string | null | undefined, base: string | null): string | null {
  const text = clean(href);
  if (!text) return null;
  try {
    const resolved = base ? new URL(text, base) : new URL(text);
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
  } catch {
    return null;
  }
}

/** Characters that take no space on screen but split or glue words: soft hyphen, zero-width space, BOM. */
export function invisible(text: string): string {
  return text.replace(/[\u00ad\u200b\u2060\ufeff]/g, "");
}
