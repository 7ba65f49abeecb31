/** Extraction stage: an article's main text (Mozilla Readability on jsdom) and metadata (cheerio). */
import { Readability } from "@mozilla/readability";
import * as cheerio from "cheerio";
import { JSDOM, VirtualConsole } from "jsdom";
import { countWords, readingMinutes } from "./reading-time.ts";
import { cleanTitle } from "./title.ts";
import type { ExtractedArticle } from "../types.ts";

/**
 * Fewer words than this is not an article's text but boilerplate Readability fell back on
 * ("Please enable JavaScript", a cookie notice, "Subscribe to continue reading"): `none`.
 */
export const NONE_BELOW_WORDS = 20;

/**
 * Fewer words than this is `partial`: Readability itself calls anything under 500 characters
 * (about 80–100 English words) a failed extraction before it retries with looser rules, and a
 * paywall or registration wall usually leaves the standfirst and a paragraph or two (50–150
 * words), whereas the shortest complete news items (wire briefs) run to 150 words and more.
 */
export const PARTIAL_BELOW_WORDS = 150;

/** Article types in schema.org whose JSON-LD carries the headline, author and dates. */
const ARTICLE_TYPES = new Set([
  "article",
  "newsarticle",
  "blogposting",
  "reportagenewsarticle",
  "analysisnewsarticle",
  "opinionnewsarticle",
  "reviewnewsarticle",
  "backgroundnewsarticle",
  "askpublicnewsarticle",
  "techarticle",
  "scholarlyarticle",
  "report",
  "liveblogposting",
  "socialmediaposting",
]);

/**
 * Less than this share of the word count the page's JSON-LD declares (WordPress/Yoast,
 * Medium, the Guardian and the NYT state one) is `partial`: the text was cut off. Counted
 * with the same rules, full extractions of the fixtures land at 77–113% of the stated count,
 * so half leaves room for captions and tables counted one way and not the other.
 */
export const TRUNCATED_BELOW_SHARE = 0.5;

/**
 * How well the page could be read: `none` when there is no readable text (fewer than
 * {@link NONE_BELOW_WORDS} words), `partial` when the text is short (fewer than
 * {@link PARTIAL_BELOW_WORDS} words) or under half the length the page declares, else `full`.
 * Two signals are left out on purpose: a text ending in "..." (whole articles end that way;
 * one fixture does), and JSON-LD `isAccessibleForFree: false` (publishers following Google's
 * paywall guidelines put the whole text in the HTML, so Readability gets all of it).
 */
export function extractionLevel(article: ExtractedArticle): "full" | "partial" | "none" {
  return explainExtractionLevel(article).level;
}

/** {@link extractionLevel} with the reason in words, for `npm run extract` and reports. */
export function explainExtractionLevel(article: ExtractedArticle): { level: "full" | "partial" | "none"; reason: string } {
  const words = `${article.wordCount} word${article.wordCount === 1 ? "" : "s"}`;
  if (article.wordCount < NONE_BELOW_WORDS) {
    return { level: "none", reason: `${words} of main text: under ${NONE_BELOW_WORDS} is no readable text` };
  }
  if (article.wordCount < PARTIAL_BELOW_WORDS) {
    return { level: "partial", reason: `${words} of main text: under ${PARTIAL_BELOW_WORDS} is likely a teaser or stub` };
  }
  const declared = article.declaredWordCount;
  if (declared && article.wordCount < TRUNCATED_BELOW_SHARE * declared) {
    return {
      level: "partial",
      reason: `${words} of the ${declared} the page's JSON-LD states: under ${TRUNCATED_BELOW_SHARE * 100}% is truncated`,
    };
  }
  return { level: "full", reason: `${words} of main text${declared ? ` (the page states ${declared})` : ""}` };
}

/** What `npm run extract` prints: the extraction plus what later stages make of it. */
export interface ExtractionReport extends ExtractedArticle {
  cleanedTitle: string;
  readingMinutes: number;
  extraction: "full" | "partial" | "none";
  extractionReason: string;
}

/** Extracts `html` and adds the cleaned title, reading time and extraction level with its reason. */
export function extractionReport(html: string, url: string): ExtractionReport {
  const article = extractArticle(html, url);
  const { level, reason } = explainExtractionLevel(article);
  return {
    ...article,
    cleanedTitle: cleanTitle(article.title, article.siteName, url),
    readingMinutes: readingMinutes(article.wordCount),
    extraction: level,
    extractionReason: reason,
  };
}

/**
 * Reads one HTML page fetched from `url`: Readability's main text, flattened to paragraphs
 * separated by blank lines, and the page's metadata (OpenGraph, JSON-LD, `<time>`, canonical
 * link, `<html lang>`). Pure; page scripts are never run and nothing is fetched.
 * Memory: jsdom releases a page's DOM only after the event loop turns, so a caller looping
 * over many pages should await something between them (the pipeline's fetches do).
 */
export function extractArticle(html: string, url: string): ExtractedArticle {
  const meta = readMetadata(html, url);
  const readable = readMainText(html, url);
  const text = readable?.text ?? "";
  return {
    // Readability's title as it gives it (the fixtures' expected titles keep its spacing).
    title: readable?.title?.trim() ? readable.title : (meta.title ?? ""),
    byline: clean(readable?.byline) ?? meta.byline,
    // Readability's picks first (JSON-LD before OpenGraph: some sites put the modified date
    // in article:published_time), then what cheerio finds that Readability does not read.
    siteName: clean(readable?.siteName) ?? meta.siteName,
    publishedTime: isoDate(readable?.publishedTime) ?? meta.publishedTime ?? meta.timeElement,
    lang: meta.lang ?? language(readable?.lang),
    excerpt: clean(readable?.excerpt) ?? meta.description,
    text,
    wordCount: countWords(text),
    canonicalUrl: meta.canonicalUrl,
    image: meta.image,
    ...(meta.declaredWordCount ? { declaredWordCount: meta.declaredWordCount } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Main text

interface ReadableText {
  title: string | null | undefined;
  byline: string | null | undefined;
  siteName: string | null | undefined;
  publishedTime: string | null | undefined;
  lang: string | null | undefined;
  excerpt: string | null | undefined;
  text: string;
}

/** Readability on a jsdom document, set up the way Readability's own test suite does. */
function readMainText(html: string, url: string): ReadableText | null {
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

/** Elements that start a new paragraph of text. */
const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
  "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
  "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre",
  "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "menu", "audio", "video",
  "iframe", "object", "math",
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

/** Characters that take no space on screen but split or glue words: soft hyphen, zero-width space, BOM. */
function invisible(text: string): string {
  return text.replace(/[\u00ad\u200b\u2060\ufeff]/g, "");
}

// ---------------------------------------------------------------------------------------------
// Metadata

interface PageMetadata {
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  /** From a `<time datetime>` element: the weakest date signal, used last. */
  timeElement: string | null;
  lang: string | null;
  description: string | null;
  canonicalUrl: string | null;
  image: { url: string; alt: string | null } | null;
  declaredWordCount: number | null;
}

type Json = Record<string, unknown>;

function readMetadata(html: string, url: string): PageMetadata {
  const $ = cheerio.load(html);
  // Relative links resolve against the page's `<base href>` if it has one, else the page.
  const page = isHttpUrl(url) ? url : null;
  const base = absoluteHttpUrl($("base[href]").first().attr("href"), page) ?? page;
  const metas = new Map<string, string>();
  $("meta").each((_, el) => {
    const name = ($(el).attr("property") ?? $(el).attr("name") ?? $(el).attr("itemprop") ?? $(el).attr("http-equiv") ?? "")
      .trim()
      .toLowerCase();
    const content = clean($(el).attr("content"));
    if (name && content && !metas.has(name)) metas.set(name, content);
  });
  const metaOf = (...names: string[]) => names.map((n) => metas.get(n)).find((v) => v) ?? null;

  const ld = articleJsonLd($);
  const ldString = (value: unknown) => (typeof value === "string" ? clean(value) : null);

  const imageUrl =
    [
      metaOf("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"),
      ld ? jsonLdImage(ld.image) : null,
      $('link[rel~="image_src"]').attr("href") ?? null,
    ]
      .map((candidate) => absoluteHttpUrl(candidate, base))
      .find((u) => u) ?? null;

  const timeElement =
    ["article time[datetime]", "time[pubdate][datetime]", 'time[itemprop="datePublished"][datetime]', "time[datetime]"]
      .map((selector) => isoDate($(selector).first().attr("datetime")))
      .find((d) => d) ?? null;

  return {
    title:
      ldString(ld?.headline) ??
      metaOf("og:title", "twitter:title", "dc.title") ??
      clean($("title").first().text()) ??
      clean($("h1").first().text()),
    byline: (ld ? jsonLdNames(ld.author) : null) ?? metaOf("author", "article:author", "byl", "dc.creator"),
    siteName:
      metaOf("og:site_name") ??
      (ld && typeof ld.publisher === "object" && ld.publisher ? ldString((ld.publisher as Json).name) : null) ??
      metaOf("application-name"),
    publishedTime:
      [
        ldString(ld?.datePublished),
        metaOf("article:published_time"),
        metaOf("datepublished", "date", "dc.date", "dc.date.issued", "pubdate", "parsely-pub-date", "sailthru.date"),
      ]
        .map(isoDate)
        .find((d) => d) ?? null,
    timeElement,
    lang:
      language($("html").attr("lang")) ??
      language($("html").attr("xml:lang")) ??
      language(metaOf("content-language", "og:locale")) ??
      language(ldString(ld?.inLanguage)),
    description: metaOf("og:description", "description", "twitter:description"),
    canonicalUrl: plausibleCanonical(absoluteHttpUrl($('link[rel~="canonical"]').first().attr("href"), base), page),
    image: imageUrl ? { url: imageUrl, alt: metaOf("og:image:alt", "twitter:image:alt") } : null,
    declaredWordCount: positiveInteger(ld?.wordCount),
  };
}

/**
 * The canonical link unless it is a known misconfiguration: a site's home page, or a folder
 * above the page on the same site (a section front such as `/es/` for every article in it).
 * The pipeline dedupes by canonical URL, so a wrong one would merge unrelated articles.
 */
function plausibleCanonical(canonical: string | null, page: string | null): string | null {
  if (!canonical) return null;
  const target = new URL(canonical);
  if (target.pathname === "/" && !target.search) return null;
  if (page) {
    const here = new URL(page);
    const folder = target.pathname.endsWith("/") ? target.pathname : `${target.pathname}/`;
    if (here.host === target.host && here.pathname !== target.pathname && here.pathname.startsWith(folder)) return null;
  }
  return canonical;
}

/** The page's first JSON-LD object of an article type, looking through arrays and `@graph`. */
function articleJsonLd($: cheerio.CheerioAPI): Json | null {
  const nodes: Json[] = [];
  const collect = (value: unknown, depth: number) => {
    if (depth > 6 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) collect(item, depth + 1);
      return;
    }
    const node = value as Json;
    nodes.push(node);
    if (node["@graph"]) collect(node["@graph"], depth + 1);
    if (node.mainEntity) collect(node.mainEntity, depth + 1);
  };
  $('script[type="application/ld+json" i]').each((_, el) => collect(parseJsonLoosely($(el).text()), 0));
  return nodes.find((node) => jsonLdTypes(node).some((t) => ARTICLE_TYPES.has(t))) ?? null;
}

/** `@type` as lower-case names: "NewsArticle", ["Article", "NewsArticle"], "http://schema.org/Article". */
function jsonLdTypes(node: Json): string[] {
  const type = node["@type"];
  const types = Array.isArray(type) ? type : [type];
  return types.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^.*[/#]/, "").toLowerCase());
}

/**
 * JSON-LD as pages really write it: wrapped in `<!-- -->` or CDATA, or with raw line breaks
 * inside strings (invalid JSON that browsers' structured-data readers accept). Null when it
 * still does not parse.
 */
function parseJsonLoosely(raw: string): unknown {
  const unwrapped = raw
    .trim()
    .replace(/^(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, "")
    .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)$/, "")
    .trim();
  for (const attempt of [unwrapped, unwrapped.replace(/[\u0000-\u001f]+/g, " ")]) {
    try {
      return JSON.parse(attempt);
    } catch {
      // try the next repair
    }
  }
  return null;
}

/** Author names from JSON-LD: a string, `{ name }`, or a list of either. */
function jsonLdNames(value: unknown): string | null {
  const list = Array.isArray(value) ? value : [value];
  const names = list
    .map((item) => (typeof item === "string" ? item : item && typeof item === "object" ? (item as Json).name : null))
    .map((name) => (typeof name === "string" ? clean(name) : null))
    .filter((name): name is string => !!name);
  return names.length ? [...new Set(names)].join(", ") : null;
}

/** An image URL from JSON-LD: a string, `{ url }`, or a list of either (first wins). */
function jsonLdImage(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  if (first && typeof first === "object") {
    const url = (first as Json).url ?? (first as Json).contentUrl;
    if (typeof url === "string") return url;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Small value helpers

/** Whitespace collapsed and trimmed; null when nothing is left. */
function clean(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const text = invisible(value).replace(/\s+/g, " ").trim();
  return text || null;
}

/** A date-time as ISO 8601 (UTC), or null when it is not a plausible date. */
function isoDate(value: string | null | undefined): string | null {
  const text = clean(value);
  if (!text) return null;
  const date = new Date(text);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1990 || year > 2100) return null;
  return date.toISOString();
}

/** A language tag ("en", "en-US"; "en_US" is tidied), or null when it is not one. */
function language(value: string | null | undefined): string | null {
  const text = clean(value)?.replace(/_/g, "-");
  return text && /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(text) ? text : null;
}

/** A JSON-LD count (a number or a numeric string, as pages write both), or null. */
function positiveInteger(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** `href` resolved against the page, kept only when it is http(s) (no `data:` or `javascript:`). */
function absoluteHttpUrl(href: string | null | undefined, base: string | null): string | null {
  const text = clean(href);
  if (!text) return null;
  try {
    const resolved = base ? new URL(text, base) : new URL(text);
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
  } catch {
    return null;
  }
}
