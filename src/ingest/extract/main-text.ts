/** The main text of a page: Mozilla Readability on a jsdom document, boilerplate removed, flattened to paragraphs. */
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";
import { BOILERPLATE_RULES, removeBoilerplate, type BoilerplateRule } from "./boilerplate.ts";
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

/** Readability's result with its article as a live element (valid only inside the callback). */
export interface ReadableArticle extends Omit<ReadableText, "text"> {
  content: Element;
}

export interface MainTextOptions {
  /** The boilerplate rules to run on Readability's article; none gives Readability's text as it is. */
  rules?: readonly BoilerplateRule[];
}

/** Readability's main text with the boilerplate rules applied, as paragraphs. */
export function readMainText(html: string, url: string, options: MainTextOptions = {}): ReadableText | null {
  const rules = options.rules ?? BOILERPLATE_RULES;
  return withReadableArticle(html, url, ({ content, ...result }) => {
    removeBoilerplate(content, { title: result.title ?? null, url }, rules);
    return { ...result, text: blocksToText(content) };
  });
}

/**
 * Runs Readability on a jsdom document, set up the way Readability's own test suite does,
 * and hands `use` its article; the document is closed afterwards. Null when there is none.
 */
export function withReadableArticle<T>(html: string, url: string, use: (article: ReadableArticle) => T): T | null {
  let dom: JSDOM | null = null;
  try {
    // No `runScripts` and no `resources`: jsdom then neither runs nor loads anything.
    // A silent console: malformed CSS on real pages would otherwise flood stderr.
    dom = new JSDOM(html, { url: isHttpUrl(url) ? url : undefined, virtualConsole: new VirtualConsole() });
    const document = dom.window.document;
    removeComments(document);
    // Classes stay on: the boilerplate rules read them (Readability drops them only for looks).
    const reader = new Readability<Node>(document, { keepClasses: true, serializer: (node) => node });
    const result = reader.parse();
    if (!result?.content) return null;
    return use({ ...result, content: result.content as Element });
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
