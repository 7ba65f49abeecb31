// The site's catalog reads articles from their files: checked as `npm run check` checks them, pictures from Astro.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { ImageMetadata } from "astro";
import { readArticles, type ArticleExtra } from "../../src/lib/articles.ts";
import { articleIdOf } from "../../src/article/files.ts";
import { needsAstro } from "../../src/article/loader.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/site-content/articles/2026/", import.meta.url));
const BARE = "2026-06-15-a-bare-article.md";
const PICTURED = "2026-06-20-open-weights-reach-the-global-south.md";
const METADATA: ImageMetadata = { src: "/_astro/map.hash.webp", width: 1200, height: 630, format: "webp" };

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An articles folder holding the named fixture files (and the pictures they name), plus `extra` files. */
async function articlesFolder(fixtures: string[], extra: Record<string, string> = {}): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "themata-read-articles-"));
  await mkdir(join(dir, "2026"));
  await cp(join(FIXTURES, "images"), join(dir, "2026/images"), { recursive: true });
  for (const name of fixtures) await cp(join(FIXTURES, name), join(dir, "2026", name));
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, "2026", name), text);
  return dir;
}

const noExtras = async (): Promise<ArticleExtra | undefined> => undefined;

describe("readArticles", () => {
  it("reads each article's fields, id and editor's note, and asks Astro only for pictures", async () => {
    const bare = await readFile(join(FIXTURES, BARE), "utf8");
    const folder = await articlesFolder([PICTURED], { [BARE]: `${bare}\nAn editor's note.\n` });
    const asked: string[] = [];
    const articles = await readArticles(folder, async (id) => {
      asked.push(id);
      return { id, data: { image: { src: METADATA } } };
    });
    const byId = new Map(articles.map((article) => [article.id, article]));
    expect([...byId.keys()].sort()).toEqual(["2026/2026-06-15-a-bare-article", "2026/2026-06-20-open-weights-reach-the-global-south"]);
    expect(asked).toEqual(["2026/2026-06-20-open-weights-reach-the-global-south"]);
    const pictured = byId.get("2026/2026-06-20-open-weights-reach-the-global-south")!;
    expect(pictured.data.image).toEqual({ src: METADATA, alt: "A map of the world with glowing network lines" });
    expect(pictured.data.published).toEqual(new Date("2026-06-20"));
    const bareArticle = byId.get("2026/2026-06-15-a-bare-article")!;
    expect(bareArticle.data.title).toBe("A Bare Article");
    expect(bareArticle.body).toBe("\nAn editor's note.\n");
  });

  it("fails listing every problem of every bad file, each with its path and field", async () => {
    const folder = await articlesFolder([BARE], {
      "2026-06-16-no-summary.md": "---\ntitle: X\nurl: https://example.com/x\nsource: example.com\npublished: 2026-06-16\n---\n",
      "2026-06-17-bad-yaml.md": "---\ntitle: [broken\nsummary: x\n---\n",
      "Bad-Name.md": (await readFile(join(FIXTURES, BARE), "utf8")).replace("/bare", "/other"),
    });
    const error = await readArticles(folder, noExtras).then(
      () => null,
      (thrown: Error) => thrown.message,
    );
    expect(error).toMatch(/^3 problems in the articles/);
    expect(error).toContain(`${join(folder, "2026/2026-06-16-no-summary.md")}: summary: expected text (the field is missing)`);
    expect(error).toContain(`${join(folder, "2026/2026-06-17-bad-yaml.md")}: line 3: invalid YAML`);
    expect(error).toContain(`${join(folder, "2026/Bad-Name.md")}: file name: expected a lowercase slug`);
  });

  it("fails naming the file when Astro has no metadata for its picture", async () => {
    const folder = await articlesFolder([PICTURED]);
    await expect(readArticles(folder, noExtras)).rejects.toThrow(
      `${join(folder, "2026", PICTURED)}: image.src: expected a picture the build could read at ./images/2026-06-20-open-weights-reach-the-global-south.webp`,
    );
  });

  it("reads an empty or missing folder as no articles", async () => {
    expect(await readArticles(join(tmpdir(), "themata-no-such-folder"), noExtras)).toEqual([]);
  });
});

describe("what Astro's content store keeps of an article", () => {
  it("is only the files with a picture or an editor's note", () => {
    expect(needsAstro("---\ntitle: X\n---\n")).toBe(false);
    expect(needsAstro("---\ntitle: X\n---\n\n  \n")).toBe(false);
    expect(needsAstro("---\ntitle: X\nimage:\n  src: ./a.webp\n---\n")).toBe(true);
    expect(needsAstro("---\ntitle: X\n---\nA note.\n")).toBe(true);
    // A field merely mentioning "image:" inside its text is not a picture.
    expect(needsAstro("---\ntitle: 'An image: a map'\nsummary: x\n---\n")).toBe(false);
    expect(needsAstro("no frontmatter")).toBe(false);
  });

  it("is keyed by the article's path under the folder, without .md", () => {
    expect(articleIdOf("/c/articles", "/c/articles/2026/2026-06-24-x.md")).toBe("2026/2026-06-24-x");
  });
});
