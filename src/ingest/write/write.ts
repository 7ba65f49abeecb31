/** The writer: one article draft → one Markdown file, written atomically, never undoing an editor's change. */
import { stat, unlink } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { articleFileSchema, type ArticleData, type ArticleInput } from "../../article/schema.ts";
import { articleUrlKey, readArticleFile, readArticleFiles, type ArticleFile } from "../../article/files.ts";
import { fingerprint, sha256Hex } from "../../article/fingerprint.ts";
import { fail, ok, type Result } from "../../article/result.ts";
import { describeIssues } from "../../article/schema-issues.ts";
import { NODE_FILE_OPS, writeFileAtomic, type FileOps } from "../shared/atomic-file.ts";
import {
  FINGERPRINTED_FIELDS,
  isEdited,
  isLocked,
  isRecord,
  LIVE,
  LIVE_DISCUSSION_FIELDS,
  presentFields,
  sameField,
  storedImageHash,
  type FieldValue,
} from "./fields.ts";
import { articleText, frontmatter } from "./frontmatter.ts";
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
   * URL → article path for every article (an `ArticleArchive`'s `byUrl`), built once per run; without it
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

const DAY_MS = 86_400_000;

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
        return fail(
          `${draft.url}: ${path} has this article's file name but cannot be read (${where}${other.error.message}); fix it first so the article is not written twice`,
        );
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
    return fail(
      `${draft.url}: ${file.path} cannot be read (${file.error?.line ? `line ${file.error.line}: ` : ""}${file.error?.message}); fix it by hand`,
    );
  }
  const raw = file.data;
  if (raw.sample === true) return unchanged;
  const parsedFile = articleFileSchema.safeParse(raw);
  if (!parsedFile.success) {
    return fail(
      `${draft.url}: ${file.path} breaks the article schema (${describeIssues(parsedFile.error, raw).join("; ")}); fix it by hand (npm run check lists every problem)`,
    );
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
  if (!valid.success)
    return fail(`${draft.url}: the updated ${file.path} would break the schema: ${describeIssues(valid.error, data).join("; ")}`);
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
