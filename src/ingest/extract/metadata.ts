/** A page's metadata read with cheerio: OpenGraph and other meta tags, JSON-LD, `<time>`, canonical link, `<html lang>`. */
import * as cheerio from "cheerio";
import { absoluteHttpUrl, clean, isHttpUrl, isoDate, language, positiveInteger } from "./values.ts";

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

export interface PageMetadata {
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

/** The metadata of the page loaded in `$` (read only; nothing in `$` changes). */
export function readMetadata($: cheerio.CheerioAPI, url: string): PageMetadata {
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
