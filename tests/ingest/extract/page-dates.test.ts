// A page time without an offset is read as UTC: the published date and the file name do not depend on the machine's time zone.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { isoDate } from "../../../src/ingest/extract/values.ts";

const run = promisify(execFile);
const EXTRACT = new URL("../../../src/ingest/extract/extract.ts", import.meta.url).href;
const SLUG = new URL("../../../src/ingest/write/slug.ts", import.meta.url).href;

const page = (published: string) =>
  `<html><head><title>Late news</title><meta property="article:published_time" content="${published}"></head>` +
  `<body><article>${"<p>Words of a story that ran late in the evening.</p>".repeat(20)}</article></body></html>`;

/** The published time and the new article's file name as a process in time zone `tz` works them out. */
async function inZone(tz: string, published: string): Promise<{ publishedTime: string; slug: string }> {
  const script = `
    const { extractArticle } = await import(${JSON.stringify(EXTRACT)});
    const { newArticleSlug } = await import(${JSON.stringify(SLUG)});
    const a = extractArticle(${JSON.stringify(page(published))}, "http://example.test/late");
    console.log(JSON.stringify({ publishedTime: a.publishedTime, slug: newArticleSlug(new Date(a.publishedTime), a.title) }));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, TZ: tz } });
  return JSON.parse(stdout);
}

describe("page dates", () => {
  it("reads '2018-04-05T22:00' as 22:00 UTC in Los Angeles and in Tokyo alike", { timeout: 120_000 }, async () => {
    const [la, tokyo] = await Promise.all([inZone("America/Los_Angeles", "2018-04-05T22:00"), inZone("Asia/Tokyo", "2018-04-05T22:00")]);
    expect(la).toEqual({ publishedTime: "2018-04-05T22:00:00.000Z", slug: "2018-04-05-late-news" });
    expect(tokyo).toEqual(la);
  });

  it("keeps an offset or zone the page states, and reads free-form times without one as UTC", () => {
    expect(isoDate("2018-04-05T22:00:00+02:00")).toBe("2018-04-05T20:00:00.000Z");
    expect(isoDate("Thu, 05 Apr 2018 22:00:00 GMT")).toBe("2018-04-05T22:00:00.000Z");
    expect(isoDate("05 Apr 2018 22:00 EST")).toBe("2018-04-06T03:00:00.000Z");
    expect(isoDate("April 5, 2018 10:00 PM")).toBe("2018-04-05T22:00:00.000Z");
    expect(isoDate("April 5, 2018")).toBe("2018-04-05T00:00:00.000Z");
    expect(isoDate("2018-04-05")).toBe("2018-04-05T00:00:00.000Z");
  });
});
