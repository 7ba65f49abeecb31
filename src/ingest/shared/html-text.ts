/** Plain text from fragments of HTML (HN story and comment text, feed descriptions). */
import * as cheerio from "cheerio";

const BLOCK_ELEMENTS = "p, div, li, blockquote, pre, h1, h2, h3, h4, h5, h6, tr, section, article";

/**
 * Plain text from a fragment of HTML (HN story text, a feed item's description): paragraphs
 * separated by blank lines, entities decoded, scripts and styles dropped.
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  const $ = cheerio.load(html, null, false);
  $("script, style, noscript").remove();
  $("br").replaceWith("\n");
  $(BLOCK_ELEMENTS).each((_, element) => {
    $(element).prepend("\n\n").append("\n\n");
  });
  return $.root()
    .text()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .replace(/[^\S\n]+/g, " ")
        .replace(/ *\n */g, "\n")
        .trim(),
    )
    .filter(Boolean)
    .join("\n\n");
}
