// The writer: new files, slugs, idempotent reruns, and the editorial rule that keeps editors' changes.
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { articleFileSchema } from "../../../src/article/schema.ts";
import { archiveOf, readArticleFile, readArticleFiles } from "../../../src/article/files.ts";
import { writeArticle, type ArticleDraft, type WriteOptions } from "../../../src/ingest/write/write.ts";
import { FINGERPRINTED_FIELDS } from "../../../src/ingest/write/fields.ts";
import {
  allFiles,
  LATER,
  livelierDraft,
  PUBLISHED,
  removeDir,
  rewrittenDraft,
  seedDraft,
  SLUG,
  SOON,
  tempArticlesDir,
  webp,
} from "./write-helpers.ts";

let dir: string;
beforeEach(async () => {
  dir = await tempArticlesDir();
});
afterEach(async () => {
  await removeDir(dir);
});

async function write(draft: ArticleDraft, options: WriteOptions = SOON) {
  const result = await writeArticle(dir, draft, options);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** Reads an article file back through the frontmatter reader and the schema. */
async function readBack(path: string) {
  const file = await readArticleFile(path);
  expect(file.error).toBeUndefined();
  return { raw: file.data as Record<string, unknown>, data: articleFileSchema.parse(file.data), body: file.body };
}

/** An editor's change: rewrite one line of the file's text. */
async function editFile(path: string, from: string | RegExp, to: string) {
  const text = await readFile(path, "utf8");
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  await writeFile(path, edited);
}

describe("a new article", () => {
  it("is written at <YYYY>/<date>-<title-slug>.md and round-trips through the frontmatter reader and the schema", async () => {
    const draft = seedDraft();
    const written = await write(draft);
    expect(written).toEqual({ outcome: "new", path: join(dir, "2026", `${SLUG}.md`), slug: SLUG });
    const { raw, data, body } = await readBack(written.path);
    expect(data.title).toBe(draft.title);
    expect(data.published).toEqual(PUBLISHED);
    expect(data.discussion).toEqual(draft.discussion);
    expect(data.sentiment).toEqual(draft.sentiment);
    expect(data.provenance).toEqual(draft.provenance);
    expect(data.takeaways).toEqual(draft.takeaways);
    expect(body).toBe("");
    // Every machine field has a fingerprint; the file's keys follow the schema's order.
    expect(Object.keys(data.fingerprints ?? {}).sort()).toEqual(FINGERPRINTED_FIELDS.filter((field) => field !== "image").sort());
    const schemaOrder = Object.keys(articleFileSchema.shape);
    const keys = Object.keys(raw);
    expect([...keys].sort((a, b) => schemaOrder.indexOf(a) - schemaOrder.indexOf(b))).toEqual(keys);
  });

  it("writes readable YAML: a plain date for `published`, ISO date-times elsewhere", async () => {
    const written = await write(seedDraft());
    const text = await readFile(written.path, "utf8");
    expect(text).toMatch(/^published: 2026-06-24$/m);
    expect(text).toMatch(/^ {2}fetchedAt: 2026-06-25T10:00:00.000Z$/m);
    expect(text.startsWith("---\ntitle: ")).toBe(true);
  });

  it("starts with the draft's body when it has one", async () => {
    const written = await write(seedDraft({ body: "An editor's note." }));
    expect((await readBack(written.path)).body).toBe("An editor's note.\n");
  });

  it("gets -2, -3 when another article already has its date and title", async () => {
    const first = await write(seedDraft());
    const second = await write(seedDraft({ url: "https://example.org/same-title" }));
    const third = await write(seedDraft({ url: "https://example.net/same-title" }));
    expect([first.slug, second.slug, third.slug]).toEqual([SLUG, `${SLUG}-2`, `${SLUG}-3`]);
    expect((await readBack(third.path)).data.url).toBe("https://example.net/same-title");
  });

  it("is refused, naming the field, when the draft breaks the schema, and nothing is written", async () => {
    const bad = seedDraft({ sentiment: { label: "meh" as "mixed", positives: [], concerns: [] }, tags: ["Not A Slug"] });
    const result = await writeArticle(dir, bad, SOON);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain(bad.url);
    expect(result.reason).toContain("sentiment.label: expected one of positive, mixed, negative, neutral");
    expect(result.reason).toContain("tags[0]: expected a lowercase slug");
    expect(await allFiles(dir)).toEqual([]);
  });

  it("stores its picture beside it as images/<slug>.webp", async () => {
    const picture = await webp("#3366cc");
    const written = await write(seedDraft({ image: { data: picture, alt: "Yann LeCun on stage" } }));
    const { data } = await readBack(written.path);
    expect(data.image).toEqual({ src: `./images/${SLUG}.webp`, alt: "Yann LeCun on stage" });
    expect(await readFile(join(dir, "2026", "images", `${SLUG}.webp`))).toEqual(picture);
    expect(data.fingerprints?.image).toMatch(/^[0-9a-f]{12}$/);
  });

  it("refuses picture bytes that are not WebP", async () => {
    const result = await writeArticle(dir, seedDraft({ image: { data: Buffer.from("<html>not a picture</html>"), alt: "x" } }), SOON);
    expect(result.ok ? "" : result.reason).toContain("image.data: expected WebP bytes");
    expect(await allFiles(dir)).toEqual([]);
  });
});

describe("a rerun", () => {
  it("with the same draft writes nothing: outcome unchanged, bytes and mtime untouched", async () => {
    const written = await write(seedDraft({ image: { data: await webp("#cc3333"), alt: "A picture" } }));
    const past = new Date("2026-01-01T00:00:00Z");
    await utimes(written.path, past, past);
    const before = await readFile(written.path);
    const again = await write(seedDraft({ image: { data: await webp("#cc3333"), alt: "A picture" } }));
    expect(again).toEqual({ outcome: "unchanged", path: written.path, slug: SLUG });
    expect(await readFile(written.path)).toEqual(before);
    expect((await stat(written.path)).mtime).toEqual(past);
  });

  it("finds the file by URL and keeps its slug when the title changes", async () => {
    const first = await write(seedDraft());
    const renamed = await write(rewrittenDraft({ title: "Open-Source AI, Explained" }));
    expect(renamed).toEqual({ outcome: "updated", path: first.path, slug: SLUG });
    expect((await readBack(first.path)).data.title).toBe("Open-Source AI, Explained");
    expect(await allFiles(dir)).toEqual([`2026/${SLUG}.md`]);
  });

  it("with an index finds the file the same way, and adds new files to it", async () => {
    await write(seedDraft());
    const index = archiveOf(await readArticleFiles(dir)).byUrl;
    const again = await write(rewrittenDraft({ title: "A new title" }), { ...SOON, index });
    expect(again.outcome).toBe("updated");
    const other = await write(seedDraft({ url: "https://example.org/other", title: "Other" }), { ...SOON, index });
    expect(index.get("https://example.org/other")).toBe(other.path);
  });

  it("updates machine content when the summarizer's input changed", async () => {
    const written = await write(seedDraft());
    expect((await write(rewrittenDraft())).outcome).toBe("updated");
    const { data } = await readBack(written.path);
    expect(data.summary).toBe("A machine's second, different summary.");
    expect(data.provenance?.inputHash).toBe("bbbbbbbbbbbbbbbb");
  });

  it("leaves machine content alone when the input is the same, even if the new output differs", async () => {
    const written = await write(seedDraft());
    const sameInput = rewrittenDraft({ provenance: seedDraft().provenance });
    expect((await write(sameInput)).outcome).toBe("unchanged");
    expect((await readBack(written.path)).data.summary).toBe(seedDraft().summary);
  });

  it("never touches a sample article", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^title: /m, "sample: true\ntitle: ");
    const before = await readFile(written.path);
    expect((await write(livelierDraft(rewrittenDraft()))).outcome).toBe("unchanged");
    expect(await readFile(written.path)).toEqual(before);
  });

  it("refuses to update a file that breaks the schema, and leaves it as it is", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^heat: 55$/m, "heat: hot");
    const before = await readFile(written.path);
    const result = await writeArticle(dir, livelierDraft(), SOON);
    expect(result.ok ? "" : result.reason).toContain(`${written.path} breaks the article schema (heat: expected a number, found "hot")`);
    expect(await readFile(written.path)).toEqual(before);
  });

  it("refuses to write a second copy beside an unreadable file of the same name", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^summary: .*$/m, "summary: [unclosed");
    const result = await writeArticle(dir, seedDraft(), SOON);
    expect(result.ok ? "" : result.reason).toMatch(/cannot be read \(line \d+: invalid YAML/);
    expect(await allFiles(dir)).toEqual([`2026/${SLUG}.md`]);
  });
});

describe("the editorial rule", () => {
  it("keeps an edited summary through reruns with different machine summaries", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^summary: .*$/m, "summary: An editor's better summary.");
    expect((await write(rewrittenDraft())).outcome).toBe("updated");
    let { data } = await readBack(written.path);
    expect(data.summary).toBe("An editor's better summary.");
    expect(data.takeaways).toEqual(rewrittenDraft().takeaways); // untouched fields still follow the machine
    await write(
      rewrittenDraft({ summary: "A third machine summary.", provenance: { ...seedDraft().provenance!, inputHash: "cccccccccccccccc" } }),
    );
    ({ data } = await readBack(written.path));
    expect(data.summary).toBe("An editor's better summary.");
    expect(data.provenance?.inputHash).toBe("cccccccccccccccc");
  });

  it("keeps an edited tag list", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^tags:\n(?: {2}- .*\n)+/m, "tags: [open-source-ai, ai-policy]\n");
    await write(rewrittenDraft());
    expect((await readBack(written.path)).data.tags).toEqual(["open-source-ai", "ai-policy"]);
  });

  it("counts a reordered or re-quoted value as the same value, not as an edit", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^published: 2026-06-24$/m, "published: '2026-06-24'");
    await write(rewrittenDraft());
    expect((await readBack(written.path)).data.summary).toBe(rewrittenDraft().summary);
  });

  it("keeps a deleted field deleted", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^takeaways:\n(?: {2}- .*\n)+/m, "");
    await editFile(written.path, /^originalTitle: .*\n/m, "");
    expect((await write(rewrittenDraft())).outcome).toBe("updated");
    const { raw, data } = await readBack(written.path);
    expect(raw.takeaways).toBeUndefined();
    expect(raw.originalTitle).toBeUndefined();
    expect(data.summary).toBe(rewrittenDraft().summary);
  });

  it("freezes every field with `locked: true`, live ones included", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^fingerprints:/m, "locked: true\nfingerprints:");
    const before = await readFile(written.path);
    expect((await write(livelierDraft(rewrittenDraft()))).outcome).toBe("unchanged");
    expect(await readFile(written.path)).toEqual(before);
  });

  it("freezes only the listed fields with `locked: [takeaways]`", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^fingerprints:/m, "locked: [takeaways]\nfingerprints:");
    await write(rewrittenDraft());
    const { data } = await readBack(written.path);
    expect(data.takeaways).toEqual(seedDraft().takeaways);
    expect(data.summary).toBe(rewrittenDraft().summary);
    expect(data.locked).toEqual(["takeaways"]);
  });

  it("hands a field back to the machine when both the field and its fingerprint are deleted", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^takeaways:\n(?: {2}- .*\n)+/m, "");
    await editFile(written.path, /^ {2}takeaways: [0-9a-f]{12}\n/m, "");
    await write(rewrittenDraft());
    const { data } = await readBack(written.path);
    expect(data.takeaways).toEqual(rewrittenDraft().takeaways);
    expect(data.fingerprints?.takeaways).toMatch(/^[0-9a-f]{12}$/);
  });

  it("freezes one count with `locked: [discussion.points]` while the others refresh", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^fingerprints:/m, "locked: [discussion.points]\nfingerprints:");
    await write(livelierDraft());
    const { data } = await readBack(written.path);
    expect(data.discussion).toMatchObject({ points: 312, comments: 40 });
    expect(data.heat).toBe(61);
  });

  it("keeps the editor's Markdown body and fields the machine never writes", async () => {
    const written = await write(seedDraft());
    const body = "\nAn editor's note with **Markdown**.\n\n---\n\nAnd a rule above.\n";
    await writeFile(
      written.path,
      (await readFile(written.path, "utf8")).replace(/---\n$/, "") + `editorNote: checked by Ana\n---\n${body}`,
    );
    await write(livelierDraft(rewrittenDraft()));
    const { raw, body: after, data } = await readBack(written.path);
    expect(after).toBe(body);
    expect(raw.editorNote).toBe("checked by Ana");
    expect(data.discussion?.points).toBe(480);
  });

  it("keeps a field an editor added that the machine did not write, even when the machine has one later", async () => {
    const written = await write(seedDraft({ originalTitle: undefined }));
    await editFile(written.path, /^url: /m, "originalTitle: The page's real title\nurl: ");
    await write(rewrittenDraft());
    expect((await readBack(written.path)).data.originalTitle).toBe("The page's real title");
  });

  it("keeps a picture whose file an editor replaced", async () => {
    const written = await write(seedDraft({ image: { data: await webp("#3366cc"), alt: "Blue" } }));
    const imagePath = join(dir, "2026", "images", `${SLUG}.webp`);
    const editors = await webp("#22aa22");
    await writeFile(imagePath, editors);
    await write(rewrittenDraft({ image: { data: await webp("#cc3333"), alt: "Red" } }));
    expect(await readFile(imagePath)).toEqual(editors);
    expect((await readBack(written.path)).data.image?.alt).toBe("Blue");
  });

  it("replaces an unedited picture when the input changed", async () => {
    await write(seedDraft({ image: { data: await webp("#3366cc"), alt: "Blue" } }));
    const red = await webp("#cc3333");
    await write(rewrittenDraft({ image: { data: red, alt: "Red" } }));
    expect(await readFile(join(dir, "2026", "images", `${SLUG}.webp`))).toEqual(red);
  });
});

describe("live fields (points, comments, heat)", () => {
  it("are refreshed for an article inside the refresh window", async () => {
    const written = await write(seedDraft());
    expect((await write(livelierDraft())).outcome).toBe("updated");
    const { data } = await readBack(written.path);
    expect(data.discussion).toMatchObject({ points: 480, comments: 40, fetchedAt: new Date("2026-06-26T10:00:00Z") });
    expect(data.heat).toBe(61);
  });

  it("are not refreshed for an article older than the window", async () => {
    const written = await write(seedDraft());
    const before = await readFile(written.path);
    expect((await write(livelierDraft(), LATER)).outcome).toBe("unchanged");
    expect(await readFile(written.path)).toEqual(before);
  });

  it("keep a heat an editor set, while the counts still follow the thread", async () => {
    const written = await write(seedDraft());
    await editFile(written.path, /^heat: 55$/m, "heat: 90");
    await write(livelierDraft());
    const { data } = await readBack(written.path);
    expect(data.heat).toBe(90);
    expect(data.discussion?.points).toBe(480);
  });

  it("leave fetchedAt alone when the counts did not move, so a quiet thread changes nothing", async () => {
    await write(seedDraft());
    const quiet = seedDraft();
    quiet.discussion = { ...quiet.discussion!, fetchedAt: new Date("2026-06-27T10:00:00Z") };
    expect((await write(quiet)).outcome).toBe("unchanged");
  });
});
