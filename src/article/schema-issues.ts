/** Schema errors in an editor's words: `field: what was expected, found what`. */
import type { z } from "astro/zod";

type Issue = z.core.$ZodIssue;

/**
 * `sentiment.positives[0].comments`: keys joined by dots, list positions in brackets (from 0);
 * `whole` names the empty path (the frontmatter, or a model's answer).
 */
export function fieldPath(path: readonly PropertyKey[], whole = "(frontmatter)"): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || whole;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short, quoted rendering of what the file holds. */
function shown(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (value === null) return "nothing (null)";
  if (typeof value === "object") return "a group of fields";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  date: "a date such as 2026-06-24",
  array: "a list",
  object: "a group of fields",
};

/** Zod's own messages begin like this; anything else is a message the schema wrote for editors. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Expected|Unrecognized)/;

function sizeWords(origin: string | undefined, bound: number | bigint): string {
  if (origin === "string") return `${bound} character${bound === 1 ? "" : "s"}`;
  if (origin === "array" || origin === "set") return `${bound} item${bound === 1 ? "" : "s"}`;
  return String(bound);
}

/** What was expected at the issue's field, in words. */
function expectation(issue: Issue, found: unknown): string {
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(", ")}`}`;
    case "too_small":
      if (custom) return issue.message;
      return issue.origin === "number"
        ? `expected a number of at least ${issue.minimum}`
        : `expected at least ${sizeWords(issue.origin, issue.minimum)}`;
    case "too_big":
      if (custom) return issue.message;
      return issue.origin === "number"
        ? `expected a number of at most ${issue.maximum}`
        : `expected at most ${sizeWords(issue.origin, issue.maximum)}`;
    case "invalid_format":
      if (custom) return `expected ${issue.message}`;
      if (issue.format === "url") return "expected a full URL such as https://example.com/page";
      return `expected ${issue.format}${issue.pattern ? ` matching ${issue.pattern}` : ""}`;
    case "invalid_union": {
      const options = issue.errors
        .map((branch) => branch.find((inner) => inner.path.length === 0))
        .filter((inner): inner is Issue => inner !== undefined)
        .map((inner) => expectation(inner, found).replace(/^expected /, ""));
      return options.length ? `expected ${[...new Set(options)].join(", or ")}` : issue.message;
    }
    default:
      return issue.message;
  }
}

/** One issue as `field: expected …, found …` (or `field: expected … (the field is missing)`). */
export function describeIssue(issue: Issue, data: unknown): string {
  const field = fieldPath(issue.path);
  const found = valueAt(data, issue.path);
  const expected = expectation(issue, found);
  if (found === undefined) return `${field}: ${expected} (the field is missing)`;
  return `${field}: ${expected}, found ${shown(found)}`;
}

/** Every issue of a failed parse, one line each. */
export function describeIssues(error: z.ZodError, data: unknown): string[] {
  return error.issues.map((issue) => describeIssue(issue, data));
}
