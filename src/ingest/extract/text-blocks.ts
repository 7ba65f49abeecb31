/** Flattens an element (Readability's result) to plain paragraphs separated by blank lines. */
import { invisible } from "./values.ts";

/** Elements that start a new paragraph of text. */
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "center",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "thead",
  "tfoot",
  "tr",
  "ul",
  "menu",
  "audio",
  "video",
  "iframe",
  "object",
  "math",
]);
const SKIP = new Set(["script", "style", "noscript", "template", "head", "title", "button", "select", "textarea"]);
const CELL = new Set(["td", "th"]);

/**
 * Plain text of an element: each block (paragraph, heading, list item, table row) becomes
 * one paragraph, paragraphs are separated by one blank line, `<br>` is a line break, table
 * cells are separated by " | ", `<pre>` keeps its lines, and other whitespace collapses.
 */
export function blocksToText(root: Node): string {
  const paragraphs: string[] = [];
  let line = "";
  const flush = () => {
    for (const part of line.split(/\n[ \t]*\n/)) {
      const text = part
        .split("\n")
        .map((l) => l.replace(/[ \t]+/g, " ").trim())
        .filter(Boolean)
        .join("\n");
      if (text) paragraphs.push(text);
    }
    line = "";
  };
  const walk = (node: Node, inPre: boolean) => {
    if (node.nodeType === 3) {
      const raw = invisible(node.nodeValue ?? "");
      line += inPre ? raw.replace(/\r\n?/g, "\n").replace(/[^\S\n]/g, " ") : raw.replace(/\s+/g, " ").replace(/\u00a0/g, " ");
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node as Element).localName;
    if (SKIP.has(tag)) return;
    if (tag === "br") {
      line += "\n";
      return;
    }
    const block = BLOCK.has(tag);
    if (block) flush();
    if (CELL.has(tag) && line.trim()) line += " | ";
    else if (CELL.has(tag)) line += " ";
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, inPre || tag === "pre");
    if (block) flush();
    else if (CELL.has(tag)) line += " ";
  };
  walk(root, false);
  flush();
  return paragraphs.join("\n\n");
}
