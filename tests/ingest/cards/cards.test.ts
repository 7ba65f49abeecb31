// Social cards: 1200×630 PNGs beside the articles, made for articles without a picture, kept
// while what they show is unchanged, remade after a title edit, removed once a picture exists.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CARD_KEYWORD, cardFingerprint, pngSize, readTextChunk, renderCard, withTextChunk } from "../../../src/ingest/cards/card.ts";
import { cardPath, cardText, syncAllCards, syncCard } from "../../../src/ingest/cards/cards.ts";

const SITE_NAME = "Themata.AI";
const article = (title: string, extra = "") => `---
title: ${title}
url: https://feeds.example.org/bare
source: feeds.example.org
published: 2026-06-15
summary: Only the required fields are set here.
${extra}---
`;

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "themata-cards-"));
  await mkdir(join(dir, "2026"));
  file = join(dir, "2026", "2026-06-15-a-bare-article.md");
  await writeFile(file, article("A Bare Article"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a card", () => {
  it("is a 1200×630 PNG that decodes, carrying the fingerprint of what it shows", async () => {
    const text = cardText({ title: "A Bare Article", source: "feeds.example.org", published: new Date("2026-06-15") }, SITE_NAME);
    expect(text.date).toBe("June 15, 2026");
    const png = await renderCard(text);
    expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
    const decoded = await sharp(png).metadata();
    expect([decoded.format, decoded.width, decoded.height]).toEqual(["png", 1200, 630]);
    expect(readTextChunk(png, CARD_KEYWORD)).toBe(cardFingerprint(text));
  }, 60_000);

  it("fingerprints what it shows: a new title, source or date changes it", () => {
    const base = { siteName: SITE_NAME, title: "T", source: "s.example", date: "June 15, 2026" };
    expect(cardFingerprint(base)).toBe(cardFingerprint({ ...base }));
    for (const change of [{ title: "T2" }, { source: "t.example" }, { date: "June 16, 2026" }]) {
      expect(cardFingerprint({ ...base, ...change })).not.toBe(cardFingerprint(base));
    }
  });

  it("reads back a text chunk written after the PNG header, and none from other bytes", () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(25),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from("IEND"),
      Buffer.alloc(4),
    ]);
    png.writeUInt32BE(13, 8);
    png.write("IHDR", 12, "latin1");
    expect(readTextChunk(withTextChunk(png, "k", "v1"), "k")).toBe("v1");
    expect(readTextChunk(png, "k")).toBeNull();
    expect(readTextChunk(Buffer.from("not a png"), "k")).toBeNull();
  });
});

describe("syncing cards", () => {
  it("makes a card beside an article without a picture, in <year>/cards/, then leaves it while fresh", async () => {
    expect(cardPath(file)).toBe(join(dir, "2026", "cards", "2026-06-15-a-bare-article.png"));
    expect((await syncCard(file, SITE_NAME)).outcome).toBe("made");
    const made = await stat(cardPath(file));
    expect((await syncCard(file, SITE_NAME)).outcome).toBe("fresh");
    expect((await stat(cardPath(file))).mtimeMs).toBe(made.mtimeMs);
  }, 60_000);

  it("remakes the card when an editor changes the title", async () => {
    await syncCard(file, SITE_NAME);
    const before = readTextChunk(await readFile(cardPath(file)), CARD_KEYWORD);
    await writeFile(file, article("A Bare Article, Fixed by an Editor"));
    const results = await syncAllCards(dir, SITE_NAME);
    expect(results.map((r) => r.outcome)).toEqual(["made"]);
    const after = readTextChunk(await readFile(cardPath(file)), CARD_KEYWORD);
    expect(after).not.toBe(before);
    expect(after).toBe(
      cardFingerprint(
        cardText(
          { title: "A Bare Article, Fixed by an Editor", source: "feeds.example.org", published: new Date("2026-06-15") },
          SITE_NAME,
        ),
      ),
    );
  }, 60_000);

  it("removes the card once the article has a picture, and makes none for it", async () => {
    await syncCard(file, SITE_NAME);
    await writeFile(file, article("A Bare Article", "image:\n  src: ./images/2026-06-15-a-bare-article.webp\n  alt: A picture\n"));
    expect((await syncCard(file, SITE_NAME)).outcome).toBe("removed");
    await expect(stat(cardPath(file))).rejects.toThrow(/ENOENT/);
    expect((await syncCard(file, SITE_NAME)).outcome).toBe("none");
  }, 60_000);

  it("fails an article whose frontmatter does not parse, naming it, and makes no card", async () => {
    await writeFile(file, "---\ntitle: [unclosed\n---\n");
    const result = await syncCard(file, SITE_NAME);
    expect(result).toMatchObject({ path: file, outcome: "failed" });
    expect(result.reason).toMatch(/YAML/);
    await expect(stat(cardPath(file))).rejects.toThrow(/ENOENT/);
  });
});
