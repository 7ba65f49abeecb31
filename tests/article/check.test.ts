// The content checker: every kind of bad file is reported as `path: field: what was expected`.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkContent, checkSummary } from "../../src/article/check.ts";
import { writeArticle } from "../../src/ingest/write/write.ts";
import { seedDraft, SOON, webp } from "../ingest/write/write-helpers.ts";

const run = promisify(execFile);
let root: string;
let articles: string;
let pages: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "themata-check-"));
  articles = join(root, "articles");
  pages = join(root, "pages");
  await mkdir(join(articles, "2026", "images"), { recursive: true });
  await mkdir(pages, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const GOOD = `---
title: A good article
url: https://example.org/good
source: example.org
published: 2026-06-24
summary: One paragraph.
tags: [llms]
---
`;

let unique = 0;
/** A good article (with a URL of its own) with some lines replaced or added. */
function article(changes: Record<string, string | null> = {}, extra = ""): string {
  let text = GOOD.replace("https://example.org/good", `https://example.org/article-${++unique}`);
  for (const [key, line] of Object.entries(changes)) {
    const pattern = new RegExp(`^${key}:.*\\n`, "m");
    text = pattern.test(text) ? text.replace(pattern, line === null ? "" : `${line}\n`) : text.replace(/---\n$/, `${line}\n---\n`);
  }
  return text.replace(/---\n$/, `${extra}---\n`);
}

async function put(path: string, text: string) {
  await writeFile(join(root, path), text);
}

async function check() {
  return checkContent({ articlesDir: articles, pagesDir: pages, root });
}

describe("npm run check", () => {
  it("passes a clean folder and counts what it checked", async () => {
    await put("articles/2026/2026-06-24-good.md", GOOD);
    await put("pages/about.md", "---\ntitle: About\ndescription: What Themata is.\n---\nText.\n");
    const written = await writeArticle(articles, seedDraft({ image: { data: await webp("#abcdef"), alt: "A picture" } }), SOON);
    expect(written.ok).toBe(true);
    const report = await check();
    expect(report.problems).toEqual([]);
    expect(checkSummary(report)).toBe("Checked 2 articles and 1 page: no problems.");
  });

  it("reports every problem of every file as path: field: what was expected", async () => {
    await put("articles/2026/2026-06-01-label.md", article({ sentiment: "sentiment:\n  label: meh\n  positives: []" }));
    await put("articles/2026/2026-06-02-missing.md", article({ title: null, summary: null }));
    await put("articles/2026/2026-06-03-types.md", article({ heat: "heat: 101", published: "published: someday", url: "url: not a url" }));
    await put("articles/2026/2026-06-04-tags.md", article({ tags: "tags: [LLMs, ai-agents]" }));
    await put(
      "articles/2026/2026-06-05-cites.md",
      article({ sentiment: "sentiment:\n  label: mixed\n  concerns:\n    - text: Too slow.\n      comments: []" }),
    );
    await put("articles/2026/2026-06-06-locked.md", article({ locked: "locked: [summay, takeaways]" }));
    await put("articles/2026/2026-06-07-yaml.md", "---\ntitle: Broken\nsummary: [unclosed\n  more: x\n---\n");
    await put("articles/2026/2026-06-08-no-image.md", article({ image: "image:\n  src: ./images/2026-06-08-no-image.webp\n  alt: Gone" }));
    await put(
      "articles/2026/2026-06-09-hotlink.md",
      article({ url: "url: https://example.org/hotlink", image: "image:\n  src: https://cdn.example.org/x.jpg\n  alt: Remote" }),
    );
    await put("articles/2026/2026-05-31-original.md", GOOD);
    await put("articles/2026/2026-06-10-copy.md", GOOD);
    await put("articles/2026/Bad Name.md", article({ url: "url: https://example.org/bad-name" }));
    await put("articles/2026/2026-06-11-no-frontmatter.md", "Just text, no frontmatter.\n");
    await put("pages/privacy.md", "---\ntitle: Privacy\n---\n");

    const report = await check();
    const at = (file: string) => report.problems.filter((problem) => problem.startsWith(`articles/2026/${file}: `));
    expect(at("2026-06-01-label.md")).toEqual([
      `articles/2026/2026-06-01-label.md: sentiment.label: expected one of positive, mixed, negative, neutral, found "meh"`,
    ]);
    expect(at("2026-06-02-missing.md")).toEqual([
      "articles/2026/2026-06-02-missing.md: title: expected text (the field is missing)",
      "articles/2026/2026-06-02-missing.md: summary: expected text (the field is missing)",
    ]);
    expect(at("2026-06-03-types.md")).toEqual([
      'articles/2026/2026-06-03-types.md: url: expected a full URL such as https://example.com/page, found "not a url"',
      'articles/2026/2026-06-03-types.md: published: expected a date such as 2026-06-24, found "someday"',
      "articles/2026/2026-06-03-types.md: heat: expected a number of at most 100, found 101",
    ]);
    expect(at("2026-06-04-tags.md")).toEqual([
      'articles/2026/2026-06-04-tags.md: tags[0]: expected a lowercase slug such as `open-source-ai`, found "LLMs"',
    ]);
    expect(at("2026-06-05-cites.md")).toEqual([
      "articles/2026/2026-06-05-cites.md: sentiment.concerns[0].comments: cite at least one comment id, found an empty list",
    ]);
    expect(at("2026-06-06-locked.md")).toEqual([
      `articles/2026/2026-06-06-locked.md: locked: expected names of fields of this article (such as summary, takeaways, tags, heat), found "summay"`,
    ]);
    expect(at("2026-06-07-yaml.md")).toEqual([
      "articles/2026/2026-06-07-yaml.md: line 4: invalid YAML: missed comma between flow collection entries",
    ]);
    expect(at("2026-06-08-no-image.md")).toEqual([
      "articles/2026/2026-06-08-no-image.md: image.src: expected a picture at ./images/2026-06-08-no-image.webp (relative to this file), but there is no such file",
    ]);
    expect(at("2026-06-09-hotlink.md")).toEqual([
      `articles/2026/2026-06-09-hotlink.md: image.src: expected a picture stored beside the article, such as ./images/2026-06-09-hotlink.webp (pictures are never hot-linked), found "https://cdn.example.org/x.jpg"`,
    ]);
    // The first file with a URL (by sorted path) keeps it; later ones are reported.
    expect(at("2026-05-31-original.md")).toEqual([]);
    expect(at("2026-06-10-copy.md")).toEqual([
      "articles/2026/2026-06-10-copy.md: url: expected one file per article, but articles/2026/2026-05-31-original.md has the same URL",
    ]);
    expect(at("Bad Name.md")).toEqual([
      `articles/2026/Bad Name.md: file name: expected a lowercase slug such as 2026-06-24-some-title.md (it is the page's URL), found "Bad Name.md"`,
    ]);
    expect(at("2026-06-11-no-frontmatter.md")).toEqual([
      "articles/2026/2026-06-11-no-frontmatter.md: line 1: expected frontmatter: a `---` line, `name: value` lines, then `---`",
    ]);
    expect(report.problems).toContain("pages/privacy.md: description: expected text (the field is missing)");
    expect(checkSummary(report)).toBe(`Checked 13 articles and 1 page: ${report.problems.length} problems in 13 files.`);
  });

  it("exits 1 listing the problems, and 0 with a count, reading THEMATA_CONTENT_DIR", async () => {
    await put("articles/2026/2026-06-24-good.md", GOOD);
    const script = join(process.cwd(), "scripts", "check-content.ts");
    const node = join(process.cwd(), "node_modules", ".bin", "node");
    const env = { ...process.env, THEMATA_CONTENT_DIR: root };
    const good = await run(node, [script], { env, cwd: process.cwd() });
    expect(good.stdout).toMatch(/^Checked 1 article and \d+ pages: no problems\.$/m);

    await put("articles/2026/2026-06-25-bad.md", article({ url: "url: https://example.org/bad", sentiment: "sentiment:\n  label: meh" }));
    const bad = await run(node, [script], { env, cwd: process.cwd() }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain("articles/2026/2026-06-25-bad.md: sentiment.label: expected one of positive, mixed, negative, neutral");
    expect(bad?.stdout).toMatch(/1 problem in 1 file\.$/m);
  });
});
