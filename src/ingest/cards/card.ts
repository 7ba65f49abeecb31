/**
 * Social cards: a 1200×630 PNG showing the site name, an article's title, source and date
 * (nothing that changes nightly), rendered by satori (layout to SVG) and resvg (SVG to PNG)
 * with the Inter font shipped beside this file (SIL Open Font License, fonts/OFL.txt).
 * Each card carries, in a PNG text chunk, the fingerprint of what it shows, so a stale card
 * (an editor fixed the title) is found without rendering anything.
 */
import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import { sha256Hex } from "../../article/fingerprint.ts";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** Raised when the card's look changes, so every card reads as stale and is made again. */
export const CARD_DESIGN_VERSION = 1;
/** The PNG text chunk's keyword holding the card's fingerprint. */
export const CARD_KEYWORD = "themata-card";

/** What a card shows. */
export interface CardText {
  siteName: string;
  title: string;
  source: string;
  /** "June 20, 2026". */
  date: string;
}

/** A fingerprint of what a card shows and how it is drawn: equal fingerprints, equal cards. */
export function cardFingerprint(text: CardText): string {
  return sha256Hex(JSON.stringify([CARD_DESIGN_VERSION, text.siteName, text.title, text.source, text.date])).slice(0, 16);
}

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: "normal" }[]> | undefined;

function loadFonts() {
  fonts ??= Promise.all(
    (
      [
        ["Inter-Regular.woff", 400],
        ["Inter-Bold.woff", 700],
      ] as const
    ).map(async ([file, weight]) => ({
      name: "Inter",
      data: await readFile(new URL(`./fonts/${file}`, import.meta.url)),
      weight,
      style: "normal" as const,
    })),
  );
  return fonts;
}

type Node = { type: string; props: { style?: Record<string, string | number>; children?: Node | Node[] | string } };
const el = (type: string, style: Record<string, string | number>, children?: Node | Node[] | string): Node => ({
  type,
  props: { style, children },
});

/** Long titles get a smaller size, so up to about 160 characters fit in four lines. */
export function titleSize(title: string): number {
  return title.length > 110 ? 50 : title.length > 70 ? 60 : 70;
}

/** The card's layout, as satori's element tree (plain objects: no JSX needed). */
function cardTree(text: CardText): Node {
  // Satori sizes boxes without their padding: the root's box plus its padding is the card.
  const inner = CARD_WIDTH - 2 * 72;
  return el(
    "div",
    {
      width: inner,
      height: CARD_HEIGHT - 2 * 64,
      display: "flex",
      flexDirection: "column",
      justifyContent: "space-between",
      padding: "64px 72px",
      background: "#121417",
      color: "#e7e9ec",
      fontFamily: "Inter",
    },
    [
      el("div", { display: "flex", width: inner, fontSize: 34, fontWeight: 700, color: "#fb923c" }, text.siteName),
      el(
        "div",
        {
          display: "block",
          width: inner,
          fontSize: titleSize(text.title),
          fontWeight: 700,
          lineHeight: 1.15,
          letterSpacing: "-0.02em",
          lineClamp: 4,
        },
        text.title,
      ),
      el(
        "div",
        {
          display: "flex",
          width: inner,
          justifyContent: "space-between",
          fontSize: 30,
          color: "#a9afb8",
          borderTop: "3px solid #32363d",
          paddingTop: 24,
        },
        [el("span", {}, text.source), el("span", {}, text.date)],
      ),
    ],
  );
}

/** A PNG text chunk (`tEXt`): keyword, a zero byte, Latin-1 text; length, type, data, CRC. */
function textChunk(keyword: string, text: string): Buffer {
  const data = Buffer.from(`${keyword}\0${text}`, "latin1");
  const type = Buffer.from("tEXt", "latin1");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  return Buffer.concat([length, type, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG with a text chunk placed right after its header chunk (IHDR: 8 + 4 + 4 + 13 + 4 bytes). */
export function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const headerEnd = PNG_SIGNATURE.length + 25;
  return Buffer.concat([png.subarray(0, headerEnd), textChunk(keyword, text), png.subarray(headerEnd)]);
}

/** The text of a PNG's `tEXt` chunk with this keyword, or null (also for bytes that are not a PNG). */
export function readTextChunk(png: Buffer, keyword: string): string | null {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    if (type === "IDAT" || type === "IEND") return null;
    if (type === "tEXt") {
      const data = png.subarray(at + 8, at + 8 + length);
      const zero = data.indexOf(0);
      if (zero > 0 && data.toString("latin1", 0, zero) === keyword) return data.toString("latin1", zero + 1);
    }
    at += 12 + length;
  }
  return null;
}

/** The width and height a PNG's header states. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Renders a card: 1200×630 PNG bytes, its fingerprint in a text chunk. */
export async function renderCard(text: CardText): Promise<Buffer> {
  const svg = await satori(cardTree(text) as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: await loadFonts(),
  });
  const png = new Resvg(svg, { fitTo: { mode: "width", value: CARD_WIDTH } }).render().asPng();
  return withTextChunk(png, CARD_KEYWORD, cardFingerprint(text));
}
