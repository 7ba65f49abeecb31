/** An article file's text: frontmatter in the schema's key order as YAML, then the body exactly as given. */
import yaml from "js-yaml";
import YAML from "yaml";
import { articleFileSchema } from "../../article/schema.ts";
import { FINGERPRINTED_FIELDS, isRecord, LIVE_DISCUSSION_FIELDS, MACHINE_FIELDS, type FieldValue } from "./fields.ts";

const SCHEMA_KEYS = Object.keys(articleFileSchema.shape);

/**
 * The frontmatter object in the schema's key order: machine fields from `fields`, `sample` and
 * `locked` from the file, fields the schema does not know (an editor's own) after them, and
 * `fingerprints` last.
 */
export function frontmatter(
  raw: Record<string, unknown>,
  fields: Map<string, FieldValue>,
  prints: Record<string, string>,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS) {
    if (key === "fingerprints") continue;
    if (key === "discussion") {
      const identity = fields.get("discussion");
      if (!identity) continue;
      const thread: Record<string, unknown> = { ...(identity.written as Record<string, unknown>) };
      for (const sub of LIVE_DISCUSSION_FIELDS) {
        const value = fields.get(`discussion.${sub}`);
        if (value !== undefined) thread[sub] = value.written;
      }
      data.discussion = thread;
    } else if (key === "evidence") {
      // Written with the takeaways it belongs to, never kept apart from them.
      const evidence = fields.get("takeaways")?.alongside?.evidence;
      if (evidence !== undefined) data.evidence = evidence;
    } else if ((MACHINE_FIELDS as readonly string[]).includes(key)) {
      const value = fields.get(key);
      if (value !== undefined) data[key] = value.written;
    } else if (raw[key] !== undefined) {
      data[key] = raw[key];
    }
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!SCHEMA_KEYS.includes(key) && value !== undefined) data[key] = value;
  }
  if (Object.keys(prints).length > 0) {
    data.fingerprints = Object.fromEntries(
      FINGERPRINTED_FIELDS.filter((field) => prints[field] !== undefined).map((field) => [field, prints[field]]),
    );
  }
  return stripUndefined(data) as Record<string, unknown>;
}

/** No line folding (one line per value reads and diffs best), no anchors. */
const DUMP_OPTIONS: yaml.DumpOptions = { lineWidth: -1, noRefs: true };

/**
 * The frontmatter as YAML that every reader reads back as written: the site's (js-yaml 4, the
 * parser Astro uses) and a strict YAML 1.2 reader. A plain scalar such as `0128` or
 * `0873963454e7` is a number to some readers; when any string would not come back as itself,
 * every string is quoted instead.
 */
export function frontmatterYaml(data: Record<string, unknown>): string {
  const plain = yaml.dump(data, DUMP_OPTIONS);
  if (readsBackAsWritten(plain, data)) return plain;
  return yaml.dump(data, { ...DUMP_OPTIONS, forceQuotes: true, quotingType: '"' });
}

function readsBackAsWritten(text: string, data: Record<string, unknown>): boolean {
  return sameStrings(data, yaml.load(text)) && sameStrings(data, YAML.parse(text, { version: "1.2", schema: "core" }));
}

/** Every string of `written` is the same string in `read` (dates and numbers are the schema's to coerce). */
function sameStrings(written: unknown, read: unknown): boolean {
  if (typeof written === "string") return read === written;
  if (Array.isArray(written))
    return Array.isArray(read) && read.length === written.length && written.every((item, i) => sameStrings(item, read[i]));
  if (isRecord(written)) return isRecord(read) && Object.entries(written).every(([key, item]) => sameStrings(item, read[key]));
  return true;
}

/**
 * `---`, the YAML, `---`, then the body exactly as given. A midnight-UTC `published` is written
 * as a plain date, and `fingerprints` carries a comment telling editors what it is.
 */
export function articleText(data: Record<string, unknown>, body: string): string {
  const head = `---\n${frontmatterYaml(data)}---\n`;
  return (
    head
      .replace(/^published: (\d{4}-\d{2}-\d{2})T00:00:00\.000Z$/m, "published: $1")
      .replace(/^fingerprints:$/m, "fingerprints: # written by the ingest to notice your edits; leave as is") + body
  );
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, stripUndefined(item)]),
    );
  }
  return value;
}
