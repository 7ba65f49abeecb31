/** The writer: one article draft → one Markdown file, written atomically, never undoing an editor's change. */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import matter from "gray-matter";
import { articleFileSchema, type ArticleData, type ArticleInput } from "../../article/schema.ts";
import { articleUrlKey, readArticleFile, readArticleFiles, type ArticleFile } from "../../article/files.ts";
import { fingerprint, sha256Hex } from "../../article/fingerprint.ts";
import { fail, ok, type Result } from "../../article/result.ts";
import { describeIssues } from "../../article/schema-issues.ts";
import { articleFilePath, articleImagePath, articleImageSrc, newArticleSlug, suffixedSlug } from "./slug.ts";

/** A picture for the article: WebP bytes to store beside it, or one already stored (by path). */
export type DraftImage = { data: Uint8Array; alt: string } | { src: string; alt: string };

/**
 * Everything the machine would write for one article. `locked`, `fingerprints` and `sample`
 * belong to the file and are ignored here; `body` is used only when the file is new.
 */
export type ArticleDraft = Omit<ArticleInput, "image"> & { body?: string; image?: DraftImage };

export interface WriteOptions {
  now: Date;
  /** Live fields (points, comments, heat) are refreshed only for articles younger than this. */
  refreshWindowDays: number;
  /**
   * URL → article path for every article (see `articleIndex`), built once per run; without it
   * each call reads every article file to find an existing one. New files are added to it.
   */
  index?: Map<string, string>;
  /** The file operations that can fail midway; tests inject failing ones. */
  fileOps?: FileOps;
}

export interface Written {
  outcome: "new" | "updated" | "unchanged";
  path: string;
  slug: string;
}

/** File operations an atomic write is made of, injectable so tests can break one midway. */
export interface FileOps {
  write(handle: FileHandle, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
}
export const NODE_FILE_OPS: FileOps = { write: (handle, data) => handle.writeFile(data), rename, link };

/** Top-level fields the ingest writes, in the schema's order (`sample`, `locked`, `fingerprints` are the file's own). */
export const MACHINE_FIELDS = [
  "title", "originalTitle", "url", "source", "published", "readingMinutes", "summary", "takeaways",
  "tags", "sentiment", "discussion", "heat", "extraction", "image", "provenance",
] as const;
const LIVE_DISCUSSION_FIELDS = ["points", "comments", "fetchedAt"] as const;
/** Fields that follow the discussion while an article is young. */
export const LIVE_FIELDS = ["discussion.points", "discussion.comments", "discussion.fetchedAt", "heat"] as const;
/**
 * Every field with its own fingerprint. `discussion` stands for the thread's identity (url,
 * site, id); its live counts have their own, so an edited count does not freeze the others.
 */
export const FINGERPRINTED_FIELDS: readonly string[] = MACHINE_FIELDS.flatMap((field) =>
  field === "discussion" ? [field, ...LIVE_DISCUSSION_FIELDS.map((sub) => `discussion.${sub}`)] : [field],
);
const LIVE = new Set<string>(LIVE_FIELDS);
const DAY_MS = 86_400_000;

/** URL → path of every readable article file; build once per run and pass as `index`. */
export function articleIndex(files: readonly ArticleFile[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of files) {
    const url = isRecord(file.data) ? file.data.url : undefined;
    if (typeof url === "string") index.set(articleUrlKey(url), file.path);
  }
  return index;
}

/**
 * Writes the draft as a new article file, or applies it to the existing file for its URL by
 * the editorial rule (see README "Editing articles"):
 * - a field is changed only if it is not locked, not edited by hand (its value still matches
 *   its fingerprint) and the rerun may touch it: live fields while the article is younger than
 *   `refreshWindowDays`, every other machine field only when the summarizer's input changed
 *   (`provenance.inputHash`);
 * - fields the machine never writes, and the Markdown body, are always kept; sample articles
 *   are never touched; nothing is written when nothing changes.
 */
export async function writeArticle(articlesDir: string, draft: ArticleDraft, options: WriteOptions): Promise<Result<Written>> {
  const checked = checkDraft(draft);
  if (!checked.ok) return checked;
  const ops = options.fileOps ?? NODE_FILE_OPS;
  try {
    const existingPath = await findExisting(articlesDir, draft.url, options.index);
    if (existingPath !== null) {
      const file = await readArticleFileIfAny(existingPath);
      if (file) return await updateArticle(file, checked.value, options, ops);
    }
    const created = await createArticle(articlesDir, checked.value, ops);
    if (created.ok) options.index?.set(articleUrlKey(draft.url), created.value.path);
    return created;
  } catch (error) {
    return fail(`${draft.url}: cannot write the article: ${(error as Error).message}`);
  }
}

/** The draft after validation: the parsed fields, which of them it sets, and its picture. */
interface CheckedDraft {
  url: string;
  raw: Record<string, unknown>;
  parsed: ArticleData;
  body: string;
  image: DraftImage | undefined;
}

/** Validates the draft against the article schema before anything touches the disk. */
function checkDraft(draft: ArticleDraft): Result<CheckedDraft> {
  const { body, image, locked: _locked, fingerprints: _fingerprints, sample: _sample, ...fields } = draft;
  const raw: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const label = typeof draft.url === "string" && draft.url ? draft.url : "(article without url)";
  if (image && "data" in image && !isWebp(image.data)) return fail(`${label}: invalid article: image.data: expected WebP bytes`);
  const candidate = image ? { ...raw, image: { src: "src" in image ? image.src : articleImageSrc("draft"), alt: image.alt } } : raw;
  const parsed = articleFileSchema.safeParse(candidate);
  if (!parsed.success) return fail(`${label}: invalid article: ${describeIssues(parsed.error, candidate).join("; ")}`);
  if (image) raw.image = image;
  return ok({ url: parsed.data.url, raw, parsed: parsed.data, body: body ?? "", image });
}

function isWebp(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.subarray(0, 12)).toString("latin1");
  return bytes.length > 12 && text.startsWith("RIFF") && text.endsWith("WEBP");
}

async function findExisting(articlesDir: string, url: string, index: Map<string, string> | undefined): Promise<string | null> {
  const key = articleUrlKey(url);
  if (index) return index.get(key) ?? null;
  for (const file of await readArticleFiles(articlesDir)) {
    if (isRecord(file.data) && typeof file.data.url === "string" && articleUrlKey(file.data.url) === key) return file.path;
  }
  return null;
}

async function readArticleFileIfAny(path: string): Promise<ArticleFile | null> {
  try {
    return await readArticleFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Fields: presence, comparable values, fingerprints

/** A field as found in a file or a draft: what is written to YAML, and what is compared. */
interface FieldValue {
  written: unknown;
  compared: unknown;
}

/**
 * The fingerprinted fields present in `raw`, with `parsed` (the schema's reading of the same
 * data) as the compared value, so quoting, key order or date style in YAML never looks like an
 * edit. A picture is compared with a hash of its stored bytes, so a replaced picture is an edit.
 */
async function presentFields(
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
    } else {
      fields.set(name, { written, compared: parsed[name] });
    }
  }
  return fields;
}

/** The fields a checked draft sets, for an article whose slug is `slug`. */
async function draftFields(draft: CheckedDraft, slug: string, articlePath: string): Promise<Map<string, FieldValue>> {
  const { image, ...raw } = draft.raw;
  const parsedRaw: Record<string, unknown> = {};
  for (const name of Object.keys(raw)) parsedRaw[name] = draft.parsed[name as keyof ArticleData];
  const fields = await presentFields(parsedRaw, draft.parsed, async () => null);
  const picture = image as DraftImage | undefined;
  if (picture) {
    const src = "data" in picture ? articleImageSrc(slug) : picture.src;
    const bytes = "data" in picture ? sha256Hex(picture.data) : await storedImageHash(articlePath, picture.src);
    fields.set("image", { written: { src, alt: picture.alt }, compared: { src, alt: picture.alt, bytes } });
  }
  return fields;
}

/** sha256 of the picture a file refers to (relative to the file), or null when it is missing. */
async function storedImageHash(articlePath: string, src: string): Promise<string | null> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return null;
  try {
    return sha256Hex(await readFile(resolve(dirname(articlePath), src)));
  } catch {
    return null;
  }
}

function isLocked(locked: ArticleData["locked"], field: string): boolean {
  if (locked === true) return true;
  if (!Array.isArray(locked)) return false;
  return locked.includes(field) || locked.includes(field.split(".")[0]);
}

/**
 * Edited by hand: the value no longer matches the fingerprint the machine stored, or the field
 * was deleted, or an editor added a field the machine never wrote (no fingerprint at all).
 */
function isEdited(field: string, current: Map<string, FieldValue>, stored: Record<string, string>): boolean {
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

function sameField(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return fingerprint(a.compared) === fingerprint(b.compared);
}

// ---------------------------------------------------------------------------------------------
// New files

async function createArticle(articlesDir: string, draft: CheckedDraft, ops: FileOps): Promise<Result<Written>> {
  const base = newArticleSlug(draft.parsed.published, draft.parsed.title);
  for (let n = 1; n <= 100; n++) {
    const slug = suffixedSlug(base, n);
    const path = articleFilePath(articlesDir, slug);
    if (await exists(path)) {
      const other = await readArticleFile(path);
      if (other.error) {
        const where = other.error.line ? `line ${other.error.line}: ` : "";
        return fail(`${draft.url}: ${path} has this article's file name but cannot be read (${where}${other.error.message}); fix it first so the article is not written twice`);
      }
      continue;
    }
    const fields = await draftFields(draft, slug, path);
    const prints: Record<string, string> = {};
    for (const [name, value] of fields) prints[name] = fingerprint(value.compared);
    const text = articleText(frontmatter({}, fields, prints), draft.body && !draft.body.endsWith("\n") ? `${draft.body}\n` : draft.body);
    const picture = draft.image && "data" in draft.image ? draft.image.data : null;
    const imagePath = articleImagePath(articlesDir, slug);
    // The picture first, so a file never points at a missing one; both are claimed exclusively,
    // so two concurrent writers of the same slug never overwrite each other.
    if (picture) {
      try {
        await writeFileAtomic(imagePath, picture, { exclusive: true, ops });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw error;
      }
    }
    try {
      await writeFileAtomic(path, text, { exclusive: true, ops });
    } catch (error) {
      if (picture) await unlink(imagePath).catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    return ok({ outcome: "new", path, slug });
  }
  return fail(`${draft.url}: 100 articles already use the file name ${base}.md`);
}

// ---------------------------------------------------------------------------------------------
// Existing files: the editorial rule

async function updateArticle(file: ArticleFile, draft: CheckedDraft, options: WriteOptions, ops: FileOps): Promise<Result<Written>> {
  const slug = basename(file.path, ".md");
  const unchanged = ok<Written>({ outcome: "unchanged", path: file.path, slug });
  if (file.error || !isRecord(file.data)) {
    return fail(`${draft.url}: ${file.path} cannot be read (${file.error?.line ? `line ${file.error.line}: ` : ""}${file.error?.message}); fix it by hand`);
  }
  const raw = file.data;
  if (raw.sample === true) return unchanged;
  const parsedFile = articleFileSchema.safeParse(raw);
  if (!parsedFile.success) {
    return fail(`${draft.url}: ${file.path} breaks the article schema (${describeIssues(parsedFile.error, raw).join("; ")}); fix it by hand (npm run check lists every problem)`);
  }
  const current = parsedFile.data;
  const stored = current.fingerprints ?? {};
  const have = await presentFields(raw, current, (src) => storedImageHash(file.path, src));
  const want = await draftFields(draft, slug, file.path);

  const young = options.now.getTime() - current.published.getTime() < options.refreshWindowDays * DAY_MS;
  const newInput = draft.parsed.provenance !== undefined && draft.parsed.provenance.inputHash !== current.provenance?.inputHash;
  const result = new Map(have);
  // A thread the machine adds now brings its live figures along, however old the article.
  const threadAdded = () => result.has("discussion") && !have.has("discussion");
  const mayUpdate = (field: string) =>
    !isLocked(current.locked, field) && !isEdited(field, have, stored) && (LIVE.has(field) ? young || threadAdded() : newInput);

  const prints: Record<string, string> = { ...stored };
  const take = (field: string) => {
    const value = want.get(field);
    if (value !== undefined) {
      result.set(field, value);
      prints[field] = fingerprint(value.compared);
    } else if (!LIVE.has(field) && field !== "image") {
      // The new summary has no such field: drop it. A picture is kept, since failing to fetch
      // one again says nothing about the article; live fields keep their last figures.
      result.delete(field);
      delete prints[field];
    }
  };
  for (const field of FINGERPRINTED_FIELDS) {
    if (field !== "discussion.fetchedAt" && mayUpdate(field)) take(field);
  }
  // fetchedAt dates the counts: it moves only when a count did, so quiet threads cause no diff.
  const countsMoved = ["discussion.points", "discussion.comments"].some((field) => !sameField(result.get(field), have.get(field)));
  if (countsMoved && mayUpdate("discussion.fetchedAt")) take("discussion.fetchedAt");
  settleDiscussion(result, prints, want);

  const changed =
    FINGERPRINTED_FIELDS.some((field) => !sameField(result.get(field), have.get(field))) ||
    JSON.stringify(sortedEntries(prints)) !== JSON.stringify(sortedEntries(stored));
  if (!changed) return unchanged;

  const data = frontmatter(raw, result, prints);
  const valid = articleFileSchema.safeParse(data);
  if (!valid.success) return fail(`${draft.url}: the updated ${file.path} would break the schema: ${describeIssues(valid.error, data).join("; ")}`);
  const picture = draft.image && "data" in draft.image ? draft.image.data : null;
  if (picture && result.get("image") === want.get("image") && !sameField(want.get("image"), have.get("image"))) {
    await writeFileAtomic(resolve(dirname(file.path), articleImageSrc(slug)), picture, { exclusive: false, ops });
  }
  await writeFileAtomic(file.path, articleText(data, file.body), { exclusive: false, ops });
  return ok({ outcome: "updated", path: file.path, slug });
}

/**
 * Keeps `discussion` whole: a thread the machine adds brings its counts along (whatever the
 * window), and counts without a thread are dropped with it.
 */
function settleDiscussion(result: Map<string, FieldValue>, prints: Record<string, string>, want: Map<string, FieldValue>): void {
  for (const sub of LIVE_DISCUSSION_FIELDS) {
    const field = `discussion.${sub}`;
    if (!result.has("discussion")) {
      result.delete(field);
      delete prints[field];
    } else if (!result.has(field) && want.has(field)) {
      const value = want.get(field)!;
      result.set(field, value);
      prints[field] = fingerprint(value.compared);
    }
  }
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------
// Frontmatter text

const SCHEMA_KEYS = Object.keys(articleFileSchema.shape);

/**
 * The frontmatter object in the schema's key order: machine fields from `fields`, `sample` and
 * `locked` from the file, fields the schema does not know (an editor's own) after them, and
 * `fingerprints` last.
 */
function frontmatter(raw: Record<string, unknown>, fields: Map<string, FieldValue>, prints: Record<string, string>): Record<string, unknown> {
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
    data.fingerprints = Object.fromEntries(FINGERPRINTED_FIELDS.filter((field) => prints[field] !== undefined).map((field) => [field, prints[field]]));
  }
  return stripUndefined(data) as Record<string, unknown>;
}

/** js-yaml options: no line folding (one line per value reads and diffs best), no anchors. */
const YAML_OPTIONS = { lineWidth: -1, noRefs: true } as unknown as matter.GrayMatterOption<string, never>;

/**
 * `---`, the YAML, `---`, then the body exactly as given. A midnight-UTC `published` is written
 * as a plain date, and `fingerprints` carries a comment telling editors what it is.
 */
export function articleText(data: Record<string, unknown>, body: string): string {
  // gray-matter appends a newline for the (empty) body; drop it so the body is kept byte for byte.
  const head = matter.stringify({ content: "" }, data, YAML_OPTIONS).slice(0, -1);
  return (
    head
      .replace(/^published: (\d{4}-\d{2}-\d{2})T00:00:00\.000Z$/m, "published: $1")
      .replace(/^fingerprints:$/m, "fingerprints: # written by the ingest to notice your edits; leave as is") + body
  );
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, stripUndefined(item)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Atomic files

/**
 * Writes `data` to `target` through a temp file in the same folder: write, fsync, then rename
 * over the target (or, with `exclusive`, hard-link it, which fails with EEXIST instead of
 * replacing a file). Whatever fails, the temp file is removed: the target is whole or untouched.
 * Temp names (`.<name>.<pid>-<random>.tmp`) are hidden and never end in `.md`.
 */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  { exclusive, ops = NODE_FILE_OPS }: { exclusive: boolean; ops?: FileOps },
): Promise<void> {
  const folder = dirname(target);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  try {
    try {
      await ops.write(handle, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (exclusive) await ops.link(temp, target);
    else await ops.rename(temp, target);
  } finally {
    // After a rename the temp name is gone already; after a link or a failure it is removed here.
    await unlink(temp).catch(() => undefined);
  }
  await syncFolder(folder);
}

/** fsync a folder so a rename in it survives a power cut; some systems refuse, which is harmless. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. some network or Windows file systems): the data itself is synced.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}
