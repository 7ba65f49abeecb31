// A takeaway's evidence under the editorial rule: written beside the takeaways, fingerprinted with them, hidden once either is edited.
import { readFile, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { articleFileSchema } from "../../../src/article/schema.ts";
import { readArticleFile } from "../../../src/article/files.ts";
import { shownEvidence } from "../../../src/article/evidence.ts";
import { writeArticle, type ArticleDraft } from "../../../src/ingest/write/write.ts";
import { editedFields } from "../../../src/ingest/write/fields.ts";
import { removeDir, rewrittenDraft, seedDraft, SOON, tempArticlesDir } from "./write-helpers.ts";

let dir: string;
beforeEach(async () => {
  dir = await tempArticlesDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const EVIDENCE = [
  { quotes: ["Yann LeCun, Meta’s chief AI scientist, argued that open-source AI is the only way forward."] },
  { quotes: ["Researchers across the Global South can build on open models, he said."] },
  { quotes: ["Without political support, open models will not reach the places that need them."] },
];

async function write(draft: ArticleDraft) {
  const result = await writeArticle(dir, draft, SOON);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

async function readBack(path: string) {
  const file = await readArticleFile(path);
  return { file, data: articleFileSchema.parse(file.data), text: await readFile(path, "utf8") };
}

describe("takeaway evidence", () => {
  it("is written right after the takeaways, fingerprinted with them, and shown while untouched", async () => {
    const written = await write(seedDraft({ evidence: EVIDENCE }));
    const { file, data, text } = await readBack(written.path);
    expect(text.indexOf("evidence:")).toBeGreaterThan(text.indexOf("takeaways:"));
    expect(text.indexOf("evidence:")).toBeLessThan(text.indexOf("tags:"));
    expect(data.fingerprints?.evidence).toBeUndefined();
    expect(await editedFields(file)).toEqual([]);
    expect(shownEvidence(data)).toEqual(EVIDENCE);
  });

  it("is hidden once an editor changes a takeaway, and neither is touched by later runs", async () => {
    const written = await write(seedDraft({ evidence: EVIDENCE }));
    const before = await readFile(written.path, "utf8");
    await writeFile(written.path, before.replace("  - The Global South can contribute.", "  - An editor's own takeaway."));
    const edited = await readBack(written.path);
    expect(await editedFields(edited.file)).toEqual(["takeaways"]);
    expect(shownEvidence(edited.data)).toBeNull();
    await write(rewrittenDraft({ evidence: [{ quotes: ["A new first."] }, { quotes: ["A new second."] }, { quotes: ["A new third."] }] }));
    const { data } = await readBack(written.path);
    expect(data.takeaways[1]).toBe("An editor's own takeaway.");
    expect(data.evidence).toEqual(EVIDENCE);
    expect(shownEvidence(data)).toBeNull();
  });

  it("is hidden once an editor changes the evidence itself", async () => {
    const written = await write(seedDraft({ evidence: EVIDENCE }));
    const before = await readFile(written.path, "utf8");
    await writeFile(written.path, before.replace("he said.", "she said."));
    const { file, data } = await readBack(written.path);
    expect(await editedFields(file)).toEqual(["takeaways"]);
    expect(shownEvidence(data)).toBeNull();
  });

  it("follows the takeaways when the machine rewrites them, and goes when the new answer has none", async () => {
    const written = await write(seedDraft({ evidence: EVIDENCE }));
    const next = [{ quotes: ["A new first."] }, { quotes: ["A new second."] }, { quotes: ["A new third."] }];
    await write(rewrittenDraft({ evidence: next }));
    let { data } = await readBack(written.path);
    expect(shownEvidence(data)).toEqual(next);
    await write(rewrittenDraft({ summary: "Third.", provenance: { ...seedDraft().provenance!, inputHash: "cccccccccccccccc" } }));
    ({ data } = await readBack(written.path));
    expect(data.evidence).toBeUndefined();
    expect(shownEvidence(data)).toBeNull();
  });

  it("a file without evidence keeps the fingerprint it had (takeaways alone)", async () => {
    const written = await write(seedDraft());
    const { file, data } = await readBack(written.path);
    expect(await editedFields(file)).toEqual([]);
    expect(data.evidence).toBeUndefined();
    expect(shownEvidence(data)).toBeNull();
  });

  it("a sample article shows its hand-written evidence", () => {
    expect(shownEvidence({ takeaways: ["a", "b"], evidence: [{ quotes: ["x"] }, { quotes: ["y"] }], sample: true })).toHaveLength(2);
    expect(shownEvidence({ takeaways: ["a", "b"], evidence: [{ quotes: ["x"] }], sample: true })).toBeNull();
  });
});
