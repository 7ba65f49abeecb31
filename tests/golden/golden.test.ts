// Golden values computed before the code was re-laid: the summary input hash and the editorial
// fingerprints must stay byte-identical, or every machine-written field of every article would
// read as hand-edited (and be frozen) and every summary would be paid for again.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readArticleFiles } from "../../src/article/files.ts";
import { fingerprint } from "../../src/article/fingerprint.ts";
import { parseHnItem, excerptThread } from "../../src/ingest/discussion/discussion.ts";
import { inputHash } from "../../src/ingest/summarize/summarizers.ts";
import type { SummaryInput } from "../../src/ingest/types.ts";
import { editedFields } from "../../src/ingest/write/fields.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures");
const read = (path: string) => readFileSync(join(FIXTURES, path), "utf8");
/** Page text as fixed data (tags dropped, whitespace folded), so no extractor change moves the hash. */
const plainText = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const VOCABULARY = ["llms", "open-source-ai", "ai-policy", "ai-safety", "ai-business", "llms"];

function seedThread() {
  const item = parseHnItem(JSON.parse(read("hn/seed-thread.json")));
  if (!item.ok) throw new Error(item.reason);
  return excerptThread(item.value, { budgetChars: 12_000, fetchedAt: new Date("2026-06-25T08:00:00Z") });
}

const INPUTS: Record<string, () => SummaryInput> = {
  "seed article with its thread": () => ({
    url: "https://techstrong.ai/articles/open-source-ai/",
    title: "For Most of the World, Open-Source AI Is the Only Way Forward",
    source: "techstrong.ai",
    text: read("hn/seed-article.txt"),
    extraction: "full",
    discussion: seedThread(),
    vocabulary: VOCABULARY,
  }),
  "Ask HN post: no page, only the thread": () => ({
    url: "https://news.ycombinator.com/item?id=990000001",
    title: "Ask HN: What local LLM setup are you using?",
    source: "news.ycombinator.com",
    text: "",
    extraction: "none",
    discussion: { ...seedThread(), text: "I run a 14B model on one GPU. What do you use?" },
    vocabulary: VOCABULARY,
  }),
  "readability page breitbart, no thread": () => ({
    url: "http://fakehost/test/page.html",
    title: "Breitbart",
    source: "fakehost",
    text: plainText(read("readability/breitbart/expected.html")),
    extraction: "partial",
    discussion: null,
    vocabulary: ["llms"],
  }),
  "readability page citylab-1, decomposed accents": () => ({
    url: "https://www.citylab.com/design/2016/03/",
    title: "Cafe\u0301 culture",
    source: "citylab.com",
    text: plainText(read("readability/citylab-1/expected.html")),
    extraction: "full",
    discussion: null,
    vocabulary: [],
  }),
};

const GOLDEN_INPUT_HASHES: Record<string, string> = {
  "seed article with its thread": "19804bdc09d1f18f6ee5c7aa697218a07a159becc3b2d4917cb4e3c31bc384dc",
  "Ask HN post: no page, only the thread": "e9e761b4c8fe418f76176c2c6e7283f5df959f43a267fdbb2a0d581dfa1b60a8",
  "readability page breitbart, no thread": "07e37b6ddabb76ee39fd93c166c2eeaa3d08417ead95980312e2b04dcb81489a",
  "readability page citylab-1, decomposed accents": "4c0eda061e00a2c0e64219b1e11ede2e505935d5326182360658316c9058a782",
};

/** Values of every shape a field takes (dates, nested objects, arrays with gaps), with their fingerprints. */
const FIELD_VALUES: [unknown, string][] = [
  [{ published: new Date("2026-11-26T00:00:00Z"), tags: ["llms", "ai-policy"] }, "87f6d31fc011"],
  [{ z: { b: 2, a: [1, undefined, "é"] }, a: null, skipped: undefined }, "072c5cf9d429"],
  ["plain text with “quotes” and a line\nbreak", "ed018b5c0ed3"],
];

describe("golden values", () => {
  for (const [name, input] of Object.entries(INPUTS)) {
    it(`keeps the input hash of the ${name}`, () => {
      expect(inputHash(input())).toBe(GOLDEN_INPUT_HASHES[name]);
    });
  }

  it("keeps the fingerprint of field values", () => {
    for (const [value, print] of FIELD_VALUES) expect(fingerprint(value)).toBe(print);
  });

  it("reads no field of the fixture night's articles or the sample articles as edited", async () => {
    const files = [
      ...(await readArticleFiles(join(FIXTURES, "golden/night-articles"))),
      ...(await readArticleFiles(join(import.meta.dirname, "../../content/articles"))),
    ];
    expect(files.length).toBe(14);
    const machineWritten = files.filter((file) => (file.data as { fingerprints?: unknown }).fingerprints);
    expect(machineWritten).toHaveLength(8);
    for (const file of files) expect({ file: file.path, edited: await editedFields(file) }).toEqual({ file: file.path, edited: [] });
  });

  it("notices an edit in a fixture night article (the check above can fail)", async () => {
    const [file] = await readArticleFiles(join(FIXTURES, "golden/night-articles"));
    const data = file!.data as { summary: string; tags: string[] };
    const edited = { ...file!, data: { ...data, summary: `${data.summary} Edited.`, tags: [...data.tags].reverse() } };
    expect(await editedFields(edited)).toEqual(["summary", "tags"]);
  });
});
