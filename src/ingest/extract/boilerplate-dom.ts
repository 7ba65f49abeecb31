/** DOM helpers the boilerplate rules share: leaf text blocks, visible words, class and id tokens, guarded removal. */

/** Elements that hold a paragraph of text of their own. */
const BLOCKS = new Set([
  "p",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "dd",
  "dt",
  "figcaption",
  "blockquote",
  "pre",
  "td",
  "th",
  "div",
  "section",
  "header",
  "footer",
  "aside",
  "nav",
  "article",
  "ul",
  "ol",
  "dl",
  "table",
  "figure",
  "tr",
  "address",
  "details",
  "summary",
  "form",
  "main",
]);

/** What a rule knows about the page besides its main text. */
export interface PageContext {
  /** The article's headline as Readability read it. */
  title: string | null;
  url: string;
}

/** Text of a node with whitespace collapsed. */
export function textOf(node: Node): string {
  return (node.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** Words as the scorers count them: runs of letters, digits and underscores. */
export function wordsIn(text: string): number {
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

/**
 * Blocks with text of their own and no block inside: the paragraphs, list items, headings and
 * bare `<div>`s a reader sees as one line or paragraph, in document order.
 */
export function leafBlocks(root: Element): Element[] {
  const leaves: Element[] = [];
  const visit = (element: Element): boolean => {
    let hasBlock = false;
    for (const child of Array.from(element.children)) {
      if (visit(child)) hasBlock = true;
    }
    const isBlock = BLOCKS.has(element.localName);
    if (isBlock && !hasBlock && element !== root && textOf(element)) leaves.push(element);
    return isBlock || hasBlock;
  };
  visit(root);
  return leaves;
}

/**
 * The class names and id of an element, lower-cased and split at `-`, `_` and case changes.
 * An id of more than two words is left out: it is usually the slug of a heading's text
 * ("sharing-with-a-single-developer"), not a name for what the block is.
 */
export function nameTokens(element: Element): string[] {
  const split = (raw: string) =>
    raw
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  const id = split(element.id ?? "");
  return [...split(element.getAttribute("class") ?? ""), ...(id.length <= 2 ? id : [])];
}

/** Class names and id of an element, lower-cased, whole (for names such as `wp-caption-text`). */
export function names(element: Element): string[] {
  return `${element.getAttribute("class") ?? ""} ${element.id ?? ""}`.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * No single rule may take away this share of the text or more: past it, the block is more
 * likely the article's wrapper carrying an unlucky class name than boilerplate.
 */
export const MAX_REMOVED_SHARE = 0.35;

/** Removes `element` unless it holds {@link MAX_REMOVED_SHARE} of `total` characters or more; true when removed. */
export function removeGuarded(element: Element, total: number): boolean {
  if (!element.parentNode) return false;
  if (total > 0 && textOf(element).length >= MAX_REMOVED_SHARE * total) return false;
  element.remove();
  return true;
}
