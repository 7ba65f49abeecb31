// The writer's YAML reads back as written in every reader: the site's (js-yaml 4, as Astro) and YAML 1.2.
import fc from "fast-check";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { parseArticleText } from "../../../src/article/files.ts";
import { articleFileSchema } from "../../../src/article/schema.ts";
import { describeIssues } from "../../../src/article/schema-issues.ts";
import { articleText } from "../../../src/ingest/write/frontmatter.ts";

/** What the writer writes for some strings, read back by the checker's reader and by a YAML 1.2 reader. */
function roundTrip(values: { title: string; print: string; tag: string }) {
  const data = { title: values.title, tags: [values.tag], fingerprints: { url: values.print } };
  const text = articleText(data, "");
  const yaml = text.slice(4, text.lastIndexOf("---\n"));
  return { data, text, site: parseArticleText("x.md", text).data, yaml12: YAML.parse(yaml, { version: "1.2" }) };
}

describe("frontmatter YAML", () => {
  it.each(["0873963454e7", "012345678912", "0128", "1e3", "0x1F", "0o17", "true", "null", "~", "2026-11-26", "12:30", ".inf", "-.5", "+1"])(
    "writes the string %s so every reader reads a string",
    (value) => {
      const { data, site, yaml12 } = roundTrip({ title: value, print: value, tag: value });
      expect(site).toEqual(data);
      expect(yaml12).toEqual(data);
    },
  );

  it("keeps plain strings unquoted, so files stay easy to edit", () => {
    const { text } = roundTrip({ title: "Open models win", print: "435e1660d4b0", tag: "llms" });
    expect(text).toContain("title: Open models win\n");
    expect(text).toContain("  - llms\n");
  });

  it("round-trips any strings through the writer and both readers", () => {
    const text = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[0-9a-fexo+.:_-]{1,14}$/),
      fc.constantFrom("yes", "No", "on", "0", "00", "1_000"),
    );
    fc.assert(
      fc.property(text, text, text, (title, print, tag) => {
        const { data, site, yaml12 } = roundTrip({ title, print, tag });
        expect(site).toEqual(data);
        expect(yaml12).toEqual(data);
      }),
      { numRuns: 2_000, seed: 20261201 },
    );
  });

  it("reads files as the build does: an unquoted 0128 fingerprint is a number, reported by file field", () => {
    const file = parseArticleText("a.md", "---\nfingerprints:\n  url: 0873963454e7\n---\n");
    expect((file.data as { fingerprints: { url: unknown } }).fingerprints.url).toBeTypeOf("number");
    const parsed = articleFileSchema.shape.fingerprints.safeParse((file.data as { fingerprints: unknown }).fingerprints);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssues(parsed.error, file.data).join("; ")).toMatch(/url/);
  });
});
