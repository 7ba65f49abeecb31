/** The main text of a page: Mozilla Readability on a jsdom document, flattened to paragraphs. */
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";
import { blocksToText } from "./text-blocks.ts";
import { isHttpUrl } from "./values.ts";

export interface ReadableText {
  title: string | null | undefined;
  byline: string | null | undefined;
  siteName: string | null | undefined;
  publishedTime: string | null | undefined;
  lang: string | null | undefined;
  excerpt: string | null | undefined;
  text: string;
}

/** Readability on a jsdom document, set up the way Readability's own test suite does. */
export function readMainText(html: string, url: string): ReadableText | null {
  let dom: JSDOM | null = null;
  try {
    // No `runScripts` and no `resources`: jsdom then neither runs nor loads anything.
    // A silent console: malformed CSS on real pages would otherwise flood stderr.
    dom = new JSDOM(html, { url: isHttpUrl(url) ? url : undefined, virtualConsole: new VirtualConsole() });
    const document = dom.window.document;
    removeComments(document);
    const reader = new Readability<Node>(document, {
      classesToPreserve: ["caption"],
      serializer: (node) => node,
    });
    const result = reader.parse();
    if (!result) return null;
    return { ...result, text: result.content ? blocksToText(result.content) : "" };
  } catch {
    // jsdom or Readability choking on a page is a page with no readable text, not a crash.
    return null;
  } finally {
    dom?.window.close();
  }
}

function removeComments(document: Document): void {
  const walker = document.createTreeWalker(document, 128 /* NodeFilter.SHOW_COMMENT */);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const comment of comments) comment.parentNode?.removeChild(comment);
}
