// A content file that breaks the schema fails the build, naming the file, the field and what was expected.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runBuild, type BuildRun } from "../helpers/build-site.ts";

const GOOD = fileURLToPath(new URL("../fixtures/site-content/articles/2026/2026-06-15-a-bare-article.md", import.meta.url));
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A content folder with one good article and one bad file; returns the build's result and the bad file's path. */
async function buildWithBadFile(frontmatter: string): Promise<BuildRun & { badFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), "themata-bad-content-"));
  await cp(GOOD, join(dir, "articles/2026/2026-06-15-a-bare-article.md"));
  const badFile = join(dir, "articles/2026/2026-06-16-a-broken-article.md");
  await writeFile(badFile, `---\n${frontmatter}---\n`);
  const run = await runBuild(dir);
  cleanups.push(run.cleanup, () => rm(dir, { recursive: true, force: true }));
  return { ...run, badFile };
}

const VALID_FIELDS = "url: https://example.com/x\nsource: example.com\npublished: 2026-06-16\n";

describe("astro build with a bad content file", () => {
  it("fails naming the file, each wrong field and the values it expected", async () => {
    const run = await buildWithBadFile(`title: Broken\n${VALID_FIELDS}summary: Fine.\nheat: 150\nsentiment:\n  label: meh\n`);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(`${run.badFile}: sentiment.label: expected one of positive, mixed, negative, neutral, found "meh"`);
    expect(run.output).toContain(`${run.badFile}: heat: expected a number of at most 100, found 150`);
  }, 120_000);

  it("fails naming the file and a missing required field", async () => {
    const run = await buildWithBadFile(`title: Broken\n${VALID_FIELDS}`);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(`${run.badFile}: summary: expected text (the field is missing)`);
  }, 120_000);

  it("fails naming the file and a picture that is not there", async () => {
    const run = await buildWithBadFile(`title: Broken\n${VALID_FIELDS}summary: x\nimage:\n  src: ./images/missing.webp\n  alt: A map\n`);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `${run.badFile}: image.src: expected a picture at ./images/missing.webp (relative to this file), but there is no such file`,
    );
  }, 120_000);

  it("fails naming the file and line of broken YAML", async () => {
    const run = await buildWithBadFile(`title: [broken\n${VALID_FIELDS}summary: x\n`);
    expect(run.code).not.toBe(0);
    // js-yaml notices the unclosed list on the next line, where `url:` cannot belong to it.
    expect(run.output).toContain(`${run.badFile}: line 3: invalid YAML: missed comma between flow collection entries`);
  }, 120_000);
});
