/** The machine-written fields of an article file, their comparable values and fingerprints: how edits are told apart. */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { articleFileSchema, type ArticleData } from "../../article/schema.ts";
import type { ArticleFile } from "../../article/files.ts";
import { fingerprint, sha256Hex } from "../../article/fingerprint.ts";
import { takeawaysCompared } from "../../article/evidence.ts";

/** Top-level fields the ingest writes, in the schema's order (`sample`, `locked`, `fingerprints` are the file's own). */
export const MACHINE_FIELDS = [
  "title",
  "originalTitle",
  "url",
  "source",
  "author",
  "published",
  "readingMinutes",
  "summary",
  "takeaways",
  "tags",
  "sentiment",
  "discussion",
  "heat",
  "extraction",
  "image",
  "provenance",
] as const;
export const LIVE_DISCUSSION_FIELDS = ["points", "comments", "fetchedAt"] as const;
/** Fields that follow the discussion while an article is young. */
export const LIVE_FIELDS = ["discussion.points", "discussion.comments", "discussion.fetchedAt", "heat"] as const;
/**
 * Every field with its own fingerprint. `discussion` stands for the thread's identity (url,
 * site, id); its live counts have their own, so an edited count does not freeze the others.
 */
export const FINGERPRINTED_FIELDS: readonly string[] = MACHINE_FIELDS.flatMap((field) =>
  field === "discussion" ? [field, ...LIVE_DISCUSSION_FIELDS.map((sub) => `discussion.${sub}`)] : [field],
);
export const LIVE = new Set<string>(LIVE_FIELDS);

/** A field as found in a file or a draft: what is written to YAML, and what is compared. */
export interface FieldValue {
  written: unknown;
  compared: unknown;
  /** Keys written beside this field and fingerprinted with it: `evidence` beside `takeaways`. */
  alongside?: Record<string, unknown>;
}

/**
 * The fingerprinted fields present in `raw`, with `parsed` (the schema's reading of the same
 * data) as the compared value, so quoting, key order or date style in YAML never looks like an
 * edit. A picture is compared with a hash of its stored bytes, so a replaced picture is an edit.
 */
export async function presentFields(
  raw: Record<string, unknown>,
  parsed: ArticleData,
  imageBytes: (src: string) => Promise<string | null>,
): Promise<Map<string, FieldValue>> {
  const fields = new Map<string, FieldValue>();
  for (const name of MACHINE_FIELDS) {
    const written = raw[name];
    if (written === undefined) continue;
    if (name === "discussion") {
      const rawThread = isRecord(written) ? written : {};
      const thread = parsed.discussion;
      if (!thread) continue;
      const { points, comments, fetchedAt, ...identity } = thread;
      fields.set("discussion", { written: omit(rawThread, LIVE_DISCUSSION_FIELDS), compared: identity });
      const live = { points, comments, fetchedAt };
      for (const sub of LIVE_DISCUSSION_FIELDS) {
        if (rawThread[sub] !== undefined) fields.set(`discussion.${sub}`, { written: rawThread[sub], compared: live[sub] });
      }
    } else if (name === "image") {
      const image = parsed.image;
      if (!image) continue;
      fields.set("image", { written, compared: { src: image.src, alt: image.alt, bytes: await imageBytes(image.src) } });
    } else if (name === "takeaways" && raw.evidence !== undefined) {
      // The evidence belongs to the takeaways: one fingerprint, so editing either hides it.
      fields.set(name, { written, compared: takeawaysCompared(parsed.takeaways, parsed.evidence), alongside: { evidence: raw.evidence } });
    } else {
      fields.set(name, { written, compared: parsed[name] });
    }
  }
  return fields;
}

/** sha256 of the picture a file refers to (relative to the file), or null when it is missing. */
export async function storedImageHash(articlePath: string, src: string): Promise<string | null> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return null;
  try {
    return sha256Hex(await readFile(resolve(dirname(articlePath), src)));
  } catch {
    return null;
  }
}

export function isLocked(locked: ArticleData["locked"], field: string): boolean {
  if (locked === true) return true;
  if (!Array.isArray(locked)) return false;
  return locked.includes(field) || locked.includes(field.split(".")[0]);
}

/**
 * Edited by hand: the value no longer matches the fingerprint the machine stored, or the field
 * was deleted, or an editor added a field the machine never wrote (no fingerprint at all).
 */
export function isEdited(field: string, current: Map<string, FieldValue>, stored: Record<string, string>): boolean {
  const value = current.get(field);
  const print = stored[field];
  if (print === undefined) return value !== undefined;
  return value === undefined || fingerprint(value.compared) !== print;
}

/**
 * The fields of a machine-written file that read as edited by hand (an empty list for a file
 * nobody touched; sample articles and files without fingerprints have no machine fields).
 */
export async function editedFields(file: ArticleFile): Promise<string[]> {
  if (file.error || !isRecord(file.data) || file.data.sample === true) return [];
  const parsed = articleFileSchema.safeParse(file.data);
  if (!parsed.success || !parsed.data.fingerprints) return [];
  const stored = parsed.data.fingerprints;
  const have = await presentFields(file.data, parsed.data, (src) => storedImageHash(file.path, src));
  return FINGERPRINTED_FIELDS.filter((field) => isEdited(field, have, stored));
}

export function sameField(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return fingerprint(a.compared) === fingerprint(b.compared);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

export function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}
