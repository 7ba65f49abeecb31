/** Links into the original article at a quoted passage: URL text fragments (`#:~:text=`), which a browser scrolls to and highlights, no script needed. */

/** Words of a quote used at each end of a long passage's fragment: enough to be unique, short enough to survive small page differences. */
const EDGE_WORDS = 5;

/**
 * One term of a text directive, percent-encoded. Beyond `encodeURIComponent`, the dash is
 * encoded too: `-` is the directive's own prefix/suffix separator, as `,` (which
 * `encodeURIComponent` already encodes) separates start from end, and `&` separates directives.
 */
export function encodeFragmentTerm(text: string): string {
  return encodeURIComponent(text).replace(/-/g, "%2D");
}

/**
 * `url` with a text fragment for `quote`: the whole quote when it is short, else its first
 * and last few words as `textStart,textEnd`; a quote cut with "…" links by its start only.
 * Any fragment the URL had is replaced.
 */
export function textFragmentUrl(url: string, quote: string): string {
  const base = url.replace(/#.*$/, "");
  const cut = /…$/.test(quote.trim());
  const words = quote.replace(/…$/, "").replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
  if (words.length === 0) return base;
  const directive = cut
    ? encodeFragmentTerm(words.slice(0, Math.min(words.length, 2 * EDGE_WORDS)).join(" "))
    : words.length <= 2 * EDGE_WORDS
      ? encodeFragmentTerm(words.join(" "))
      : `${encodeFragmentTerm(words.slice(0, EDGE_WORDS).join(" "))},${encodeFragmentTerm(words.slice(-EDGE_WORDS).join(" "))}`;
  return `${base}#:~:text=${directive}`;
}
