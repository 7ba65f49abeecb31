/**
 * Matched words in search results, as parts to print as text: `mark` parts are the words a
 * query matched. Pagefind matches a word by its start (and its stem), so a part is marked when
 * it starts with a query term. Pagefind's own excerpt is HTML; it is read here into parts too,
 * so no result text is ever parsed as HTML in the page.
 */

export interface TextPart {
  text: string;
  mark: boolean;
}

/** Lowercase query terms of two or more letters or digits, longest first. */
export function queryTerms(query: string): string[] {
  const terms =
    query
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return [...new Set(terms)].sort((a, b) => b.length - a.length);
}

const fold = (word: string) =>
  word
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");

/** A text split into words and the rest, each word marked when it starts with a term. */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  if (terms.length === 0) return [{ text, mark: false }];
  const parts: TextPart[] = [];
  const push = (piece: string, mark: boolean) => {
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += piece;
    else parts.push({ text: piece, mark });
  };
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const folded = fold(piece);
    push(piece, /[\p{L}\p{N}]/u.test(piece) && terms.some((term) => folded.startsWith(term)));
  }
  return parts;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Text of an HTML fragment's entities (`&amp;`, `&#39;`, `&#x27;`). */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Pagefind's excerpt (escaped text with `<mark>` around matches) as parts; any other tag is dropped. */
export function excerptParts(excerpt: string): TextPart[] {
  const parts: TextPart[] = [];
  let mark = false;
  for (const token of excerpt.split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(token)) mark = true;
    else if (/^<\/mark>$/i.test(token)) mark = false;
    else if (token) parts.push({ text: decodeEntities(token.replace(/<[^>]*>/g, "")), mark });
  }
  return parts;
}
