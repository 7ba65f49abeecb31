/** Sentence splitting for plain text: Intl.Segmenter, with common abbreviations mended. */

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Words that end in a full stop without ending a sentence. ICU's sentence rules break after
 * "Dr. " and "Mr. " (V8 ignores the `ss=standard` suppressions), so those breaks are undone.
 */
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "mt",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "cf",
  "al",
  "inc",
  "ltd",
  "co",
  "corp",
  "fig",
  "approx",
  "dept",
  "est",
  "gen",
  "gov",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

/** True when a segment stops at an abbreviation or an initial ("J. "), not at a sentence end. */
function endsWithAbbreviation(segment: string): boolean {
  const match = /(?:^|[\s("'])([\p{L}.]+)\.\s*$/u.exec(segment);
  if (!match) return false;
  const word = match[1].toLowerCase();
  return ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(match[1]);
}

/** Paragraphs of a text: blocks separated by blank lines, each with its whitespace collapsed. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p.length > 0);
}

/**
 * The sentences of a text, in order, trimmed. A sentence never spans paragraphs, so a heading
 * or list item without a full stop stays its own sentence.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of paragraphs(text)) {
    let pending = "";
    for (const { segment } of segmenter.segment(paragraph)) {
      pending += segment;
      if (!endsWithAbbreviation(pending)) {
        if (pending.trim()) out.push(pending.trim());
        pending = "";
      }
    }
    if (pending.trim()) out.push(pending.trim());
  }
  return out;
}

/**
 * `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut.
 * Text that fits is returned as is.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 1));
  // A word that ends exactly at the cut is whole; otherwise back off to the last space.
  const wordEndsHere = /\s/.test(text[room.length] ?? "");
  const lastSpace = room.search(/\s\S*$/);
  const cut = wordEndsHere || lastSpace <= max * 0.6 ? room : room.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.-]+$/u, "")}…`;
}
