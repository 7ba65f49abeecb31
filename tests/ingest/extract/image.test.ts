// encodeArticleImage: untrusted image bytes in, a small, clean WebP out, or a reason.
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodeArticleImage, MAX_INPUT_PIXELS, MAX_WIDTH } from "../../../src/ingest/extract/image.ts";

/** A photo-like image (noise, so the encoder has real work), as the given format. */
async function generated(width: number, height: number, format: "png" | "jpeg", withExif = false): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (withExif) image = image.withExif({ IFD0: { Copyright: "Someone", ImageDescription: "secret place" } });
  return format === "png" ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** A real, valid PNG of width×height one-bit grey pixels: a few kB that decode to `width*height` pixels. */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const row = 1 + Math.ceil(width / 8); // filter byte + packed bits
  const raw = Buffer.alloc(row * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("encodeArticleImage", () => {
  it("re-encodes a large PNG as WebP at most 800 px wide, keeping the aspect ratio", async () => {
    const result = await encodeArticleImage(await generated(2400, 1600, "png"));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.width).toBe(MAX_WIDTH);
    expect(result.value.height).toBe(533);
    const meta = await sharp(result.value.data).metadata();
    expect(meta.format).toBe("webp");
    expect([meta.width, meta.height]).toEqual([800, 533]);
  });

  it("does not upscale a tiny image", async () => {
    const result = await encodeArticleImage(await generated(40, 30, "png"));
    if (!result.ok) throw new Error(result.reason);
    expect([result.value.width, result.value.height]).toEqual([40, 30]);
    expect((await sharp(result.value.data).metadata()).format).toBe("webp");
  });

  it("strips metadata such as EXIF", async () => {
    const input = await generated(1000, 500, "jpeg", true);
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const result = await encodeArticleImage(input);
    if (!result.ok) throw new Error(result.reason);
    const meta = await sharp(result.value.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(result.value.data.includes("secret place")).toBe(false);
  });

  it("refuses garbage bytes with a reason", async () => {
    const result = await encodeArticleImage(Buffer.from("this is not an image at all, just words and \x00\x01\x02 bytes"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/not a readable image/);
  });

  it("refuses an empty body", async () => {
    const result = await encodeArticleImage(Buffer.alloc(0));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) });
  });

  it("refuses an HTML error page and SVG served as an image", async () => {
    for (const body of ["<!doctype html><title>404</title>", '\ufeff <svg xmlns="http://www.w3.org/2000/svg"/>']) {
      const result = await encodeArticleImage(Buffer.from(body));
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not a raster image/) });
    }
  });

  it("refuses a truncated (corrupt) image", async () => {
    const whole = await generated(600, 400, "png");
    const result = await encodeArticleImage(whole.subarray(0, whole.length / 2));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/corrupt png|not a readable image/);
  });

  it("refuses a decompression bomb before decoding it", async () => {
    const bomb = pngBomb(20_000, 20_000); // 400 megapixels in a few tens of kB
    expect(bomb.length).toBeLessThan(200_000);
    expect(20_000 * 20_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const result = await encodeArticleImage(bomb);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/too large: 20000×20000 is 400 megapixels/) });
  });

  it("accepts the same kind of PNG when it is within the pixel limit", async () => {
    const result = await encodeArticleImage(pngBomb(2000, 1000));
    if (!result.ok) throw new Error(result.reason);
    expect([result.value.width, result.value.height]).toEqual([800, 400]);
  });
});
