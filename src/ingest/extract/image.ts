/** Article images: re-encodes a page's og:image (untrusted bytes) as a small WebP stored with the site. */
import sharp from "sharp";
import { fail, ok, type Result } from "../../article/result.ts";

/** The widest image the site shows (article pages are narrower than this even on desktops). */
export const MAX_WIDTH = 800;
/** Long infographics are cut down to this height, so one cannot weigh megabytes. */
export const MAX_HEIGHT = 1600;
/** WebP quality: 75 is visually clean for photos and screenshots at this size, at ~30–80 kB. */
export const WEBP_QUALITY = 75;
/**
 * Images larger than this are refused before decoding (a decompression bomb can be a few kB
 * of PNG that decodes to gigabytes). 40 MP covers any camera original (most are 12–45 MP)
 * and caps one decode near 160 MB of memory; og:images are usually about 1 MP.
 */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Decoding longer than this is given up (a corrupt or hostile file should not stall the run). */
const ENCODE_TIMEOUT_SECONDS = 20;

/** Raster formats we decode. SVG is refused: it is a document that can reference other resources. */
const RASTER_FORMATS = new Set(["jpeg", "png", "webp", "gif", "avif", "heif", "tiff"]);

export interface EncodedImage {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encodes image bytes as WebP at most {@link MAX_WIDTH} wide (never enlarged), turned
 * upright by its EXIF orientation, with all metadata (EXIF, GPS, ICC, XMP) left out. Refuses
 * with a reason what is not a raster image, is corrupt, or has more than
 * {@link MAX_INPUT_PIXELS} pixels. Animated images keep their first frame.
 */
export async function encodeArticleImage(bytes: Buffer): Promise<Result<EncodedImage>> {
  if (bytes.length === 0) return fail("image is empty (0 bytes)");
  // HTML error pages and SVG/XML documents start with "<" (after an optional BOM and whitespace).
  if (/^(?:\ufeff)?\s*</.test(bytes.subarray(0, 256).toString("utf8"))) {
    return fail("not a raster image: the bytes are markup (HTML, XML or SVG)");
  }

  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" as const };
  let format: string | undefined;
  let width: number | undefined;
  let height: number | undefined;
  try {
    // The header alone: no pixels are decoded yet, so the size can be checked (and named) first.
    ({ format, width, height } = await sharp(bytes, { ...options, limitInputPixels: false }).metadata());
  } catch (error) {
    return fail(`not a readable image: ${message(error)}`);
  }
  if (!format || !RASTER_FORMATS.has(format)) return fail(`unsupported image format ${format ?? "(unknown)"}`);
  if (!width || !height) return fail(`image has no size (${format})`);
  if (width * height > MAX_INPUT_PIXELS) {
    return fail(
      `image too large: ${width}×${height} is ${((width * height) / 1e6).toFixed(0)} megapixels, over the ` +
        `${MAX_INPUT_PIXELS / 1e6}-megapixel limit`,
    );
  }

  try {
    const { data, info } = await sharp(bytes, options)
      .autoOrient()
      .resize({ width: MAX_WIDTH, height: MAX_HEIGHT, fit: "inside", withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .timeout({ seconds: ENCODE_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
    return ok({ data, width: info.width, height: info.height });
  } catch (error) {
    return fail(`corrupt ${format} image: ${message(error)}`);
  }
}

/** sharp's message without libvips' trailing newline and repeated lines. */
function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return [
    ...new Set(
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ]
    .join("; ")
    .slice(0, 300);
}
