// Atomic writes: a write that breaks midway leaves the old file whole or no file, and no temp file.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readArticleFiles } from "../../../src/article/files.ts";
import { NODE_FILE_OPS, writeFileAtomic, type FileOps } from "../../../src/ingest/shared/atomic-file.ts";
import { writeArticle } from "../../../src/ingest/write/write.ts";
import { allFiles, livelierDraft, removeDir, seedDraft, SLUG, SOON, tempArticlesDir, webp } from "./write-helpers.ts";

let dir: string;
beforeEach(async () => {
  dir = await tempArticlesDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** File operations whose write puts half the bytes on disk, then fails like a full disk. */
const halfWrite: FileOps = {
  ...NODE_FILE_OPS,
  async write(handle, data) {
    await handle.write(data.subarray(0, Math.floor(data.length / 2)));
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  },
};
const failingRename: FileOps = {
  ...NODE_FILE_OPS,
  async rename() {
    throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
  },
};

describe("atomic writes", () => {
  it("leave no article, no picture and no temp file when a new file's write fails halfway", async () => {
    const result = await writeArticle(dir, seedDraft({ image: { data: await webp("#123456"), alt: "x" } }), {
      ...SOON,
      fileOps: halfWrite,
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain("no space left on device");
    expect(await allFiles(dir)).toEqual([]);
  });

  it("leave the old file whole and no temp file when an update's rename fails", async () => {
    const first = await writeArticle(dir, seedDraft(), SOON);
    if (!first.ok) throw new Error(first.reason);
    const before = await readFile(first.value.path);
    const result = await writeArticle(dir, livelierDraft(), { ...SOON, fileOps: failingRename });
    expect(result.ok ? "" : result.reason).toContain("i/o error");
    expect(await readFile(first.value.path)).toEqual(before);
    expect(await allFiles(dir)).toEqual([`2026/${SLUG}.md`]);
  });

  it("leave the old file whole when an update's write fails halfway", async () => {
    const first = await writeArticle(dir, seedDraft(), SOON);
    if (!first.ok) throw new Error(first.reason);
    const before = await readFile(first.value.path);
    const result = await writeArticle(dir, livelierDraft(), { ...SOON, fileOps: halfWrite });
    expect(result.ok).toBe(false);
    expect(await readFile(first.value.path)).toEqual(before);
    expect(await allFiles(dir)).toEqual([`2026/${SLUG}.md`]);
  });

  it("never replace an existing file in exclusive mode", async () => {
    const target = join(dir, "a.md");
    await writeFile(target, "first");
    await expect(writeFileAtomic(target, "second", { exclusive: true })).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(target, "utf8")).toBe("first");
    expect(await allFiles(dir)).toEqual(["a.md"]);
  });

  it("ignore a temp file a killed run left behind: it is neither read as an article nor updated", async () => {
    // What a run killed between write and rename leaves: a whole article under a temp name.
    const first = await writeArticle(dir, seedDraft(), SOON);
    if (!first.ok) throw new Error(first.reason);
    const text = await readFile(first.value.path, "utf8");
    await removeDir(dir);
    await mkdir(join(dir, "2026"), { recursive: true });
    const leftover = join(dir, "2026", `.${SLUG}.md.4242-deadbeef.tmp`);
    await writeFile(leftover, text);

    expect(await readArticleFiles(dir)).toEqual([]);
    const again = await writeArticle(dir, seedDraft(), SOON);
    expect(again.ok && again.value.outcome).toBe("new");
    expect(await readFile(leftover, "utf8")).toBe(text);
    expect((await readArticleFiles(dir)).map((file) => file.path)).toEqual([join(dir, "2026", `${SLUG}.md`)]);
  });
});
