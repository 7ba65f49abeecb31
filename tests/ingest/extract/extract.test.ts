// extractArticle's metadata, text shape and safety, and extractionLevel's thresholds, on small pages.
import { describe, expect, it } from "vitest";
import {
  extractArticle,
  extractionLevel,
  NONE_BELOW_WORDS,
  PARTIAL_BELOW_WORDS,
  TRUNCATED_BELOW_SHARE,
} from "../../../src/ingest/extract/extract.ts";
import type { ExtractedArticle } from "../../../src/ingest/types.ts";

const URL = "https://news.example.com/2025/01/story.html";

/** A sentence of ten distinct-enough words, repeated to make a readable article body. */
function paragraphs(count: number, words = 40): string {
  const sentence = "The model was trained on public data and evaluated against three benchmarks";
  return Array.from({ length: count }, (_, i) => {
    const text = Array.from({ length: Math.ceil(words / 12) }, () => sentence).join(". ");
    return `<p>Paragraph ${i + 1}. ${text}.</p>`;
  }).join("\n");
}

function page(head: string, body: string, htmlAttrs = ""): string {
  return `<!doctype html><html ${htmlAttrs}><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const article = (body: string) => `<article><h1>Headline</h1>${body}</article>`;

describe("extractArticle metadata", () => {
  it("reads OpenGraph: title, site name, image with alt text, published time", () => {
    const html = page(
      `<title>Fallback title</title>
       <meta property="og:title" content="Open weights, open questions">
       <meta property="og:site_name" content="Example News">
       <meta property="og:image" content="/img/lead.jpg">
       <meta property="og:image:alt" content="A server rack">
       <meta property="article:published_time" content="2025-01-02T10:00:00+01:00">`,
      article(paragraphs(5)),
    );
    const result = extractArticle(html, URL);
    expect(result.title).toBe("Open weights, open questions");
    expect(result.siteName).toBe("Example News");
    expect(result.image).toEqual({ url: "https://news.example.com/img/lead.jpg", alt: "A server rack" });
    expect(result.publishedTime).toBe("2025-01-02T09:00:00.000Z");
  });

  it("reads a NewsArticle inside a JSON-LD @graph, skipping a script of bad JSON", () => {
    const graph = {
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "WebSite", name: "Not the article" },
        {
          "@type": ["NewsArticle"],
          headline: "JSON-LD headline",
          datePublished: "2024-11-05T08:30:00Z",
          author: [{ "@type": "Person", name: "Ada Lovelace" }, { name: "Alan Turing" }],
          publisher: { "@type": "Organization", name: "Graph Times" },
          image: [{ url: "https://cdn.example.com/a.png" }],
          wordCount: "420",
        },
      ],
    };
    const html = page(
      `<script type="application/ld+json">{ "@type": "NewsArticle", "headline": broken </script>
       <script type="application/ld+json">${JSON.stringify(graph)}</script>`,
      article(paragraphs(5)),
    );
    const result = extractArticle(html, URL);
    expect(result.publishedTime).toBe("2024-11-05T08:30:00.000Z");
    expect(result.siteName).toBe("Graph Times");
    expect(result.image).toEqual({ url: "https://cdn.example.com/a.png", alt: null });
    expect(result.declaredWordCount).toBe(420);
  });

  it("takes the byline from JSON-LD authors when the page shows none", () => {
    const ld = { "@type": "BlogPosting", headline: "Post", author: [{ name: "Ada Lovelace" }, { name: "Alan Turing" }] };
    const html = page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, article(paragraphs(5)));
    // Readability reads JSON-LD authors too; either way both names come through.
    expect(extractArticle(html, URL).byline).toMatch(/Ada Lovelace.*Alan Turing/);
  });

  it("reads JSON-LD with raw line breaks inside strings and a schema.org URL as @type", () => {
    const html = page(
      `<script type="application/ld+json">{"@type": "http://schema.org/Article", "headline": "Two
lines", "datePublished": "2023-03-04"}</script>`,
      article(paragraphs(5)),
    );
    expect(extractArticle(html, URL).publishedTime).toBe("2023-03-04T00:00:00.000Z");
  });

  it("falls back to <time datetime> for the date when no metadata gives one", () => {
    const html = page("<title>T</title>", `<article><time datetime="2022-06-01T12:00:00Z">June 1</time>${paragraphs(5)}</article>`);
    expect(extractArticle(html, URL).publishedTime).toBe("2022-06-01T12:00:00.000Z");
  });

  it("ignores dates that are not dates", () => {
    const html = page(`<meta property="article:published_time" content="yesterday">`, article(paragraphs(5)));
    expect(extractArticle(html, URL).publishedTime).toBeNull();
  });

  it("reads <html lang>, tidying en_US to en-US", () => {
    expect(extractArticle(page("", article(paragraphs(5)), 'lang="en_US"'), URL).lang).toBe("en-US");
    expect(extractArticle(page("", article(paragraphs(5)), 'lang="de"'), URL).lang).toBe("de");
  });

  it("resolves the canonical link against <base href>", () => {
    const html = page(`<base href="https://other.example.org/x/"><link rel="canonical" href="story-1">`, article(paragraphs(5)));
    expect(extractArticle(html, URL).canonicalUrl).toBe("https://other.example.org/x/story-1");
  });

  it("drops a canonical link that points at the home page or a folder above the page", () => {
    const home = page(`<link rel="canonical" href="https://news.example.com/">`, article(paragraphs(5)));
    const section = page(`<link rel="canonical" href="/2025/">`, article(paragraphs(5)));
    expect(extractArticle(home, URL).canonicalUrl).toBeNull();
    expect(extractArticle(section, URL).canonicalUrl).toBeNull();
  });

  it("keeps only http(s) image URLs", () => {
    const html = page(`<meta property="og:image" content="javascript:alert(1)">`, article(paragraphs(5)));
    expect(extractArticle(html, URL).image).toBeNull();
  });

  it("gives Readability's raw title: og:title as the page wrote it, site name and all", () => {
    // (Readability trims a "- Site" tail off <title> itself, but takes og:title as written;
    // cleanTitle is the later step that strips site names.)
    const html = page(
      `<title>Something else</title><meta property="og:title" content="Open models gain ground | Example News">`,
      article(paragraphs(5)),
    );
    expect(extractArticle(html, URL).title).toBe("Open models gain ground | Example News");
  });
});

describe("extractArticle text", () => {
  it("separates blocks by one blank line and collapses whitespace inside them", () => {
    const html = page(
      "<title>T</title>",
      `<article><h1>Headline</h1>${paragraphs(4)}
        <p>Line   one\n   with  spaces<br>line two</p>
        <ul><li>first item</li><li>second <b>bold</b>item</li></ul></article>`,
    );
    const { text } = extractArticle(html, URL);
    expect(text).toContain("\n\nLine one with spaces\nline two\n\nfirst item\n\nsecond bolditem");
    expect(text).not.toMatch(/\n{3,}|[ \t]{2,}/);
  });

  it("counts words, and a page with no body text has none", () => {
    const full = extractArticle(page("<title>T</title>", article(paragraphs(5))), URL);
    expect(full.wordCount).toBeGreaterThan(150);
    const empty = extractArticle(page("<title>Only a title</title>", ""), URL);
    expect(empty.text).toBe("");
    expect(empty.wordCount).toBe(0);
    expect(empty.title).toBe("Only a title");
  });

  it("never runs the page's scripts", () => {
    const html = page(
      "<title>T</title>",
      `${article(paragraphs(5))}
       <script>document.querySelector("article").innerHTML = "<p>SCRIPT RAN</p>";</script>
       <img src="x" onerror="document.body.innerHTML = 'HANDLER RAN'">`,
    );
    const { text } = extractArticle(html, URL);
    expect(text).toContain("Paragraph 1.");
    expect(text).not.toMatch(/SCRIPT RAN|HANDLER RAN/);
  });

  it("reads broken HTML without throwing", () => {
    const html = `<html><body><div><p>Unclosed ${paragraphs(5).replace(/<\/p>/g, "")}<table><tr><td>cell`;
    const result = extractArticle(html, URL);
    expect(result.wordCount).toBeGreaterThan(150);
  });

  it("reads a page even when the URL given is not http(s)", () => {
    expect(extractArticle(page("<title>T</title>", article(paragraphs(5))), "not a url").wordCount).toBeGreaterThan(150);
  });
});

describe("extractionLevel", () => {
  const withWords = (wordCount: number, declaredWordCount?: number): ExtractedArticle => ({
    title: "T",
    byline: null,
    siteName: null,
    publishedTime: null,
    lang: null,
    excerpt: null,
    text: "word ".repeat(wordCount).trim(),
    wordCount,
    canonicalUrl: null,
    image: null,
    ...(declaredWordCount ? { declaredWordCount } : {}),
  });

  it("is none with no readable text, partial when short, full from the threshold on", () => {
    expect(extractionLevel(withWords(0))).toBe("none");
    expect(extractionLevel(withWords(NONE_BELOW_WORDS - 1))).toBe("none");
    expect(extractionLevel(withWords(NONE_BELOW_WORDS))).toBe("partial");
    expect(extractionLevel(withWords(PARTIAL_BELOW_WORDS - 1))).toBe("partial");
    expect(extractionLevel(withWords(PARTIAL_BELOW_WORDS))).toBe("full");
  });

  it("is partial when the text is well short of the length the page declares", () => {
    expect(extractionLevel(withWords(400, 2000))).toBe("partial");
    expect(extractionLevel(withWords(Math.ceil(2000 * TRUNCATED_BELOW_SHARE), 2000))).toBe("full");
  });

  it("rates real pages: a JS-only shell is none, a teaser partial, an article full", () => {
    const shell = page("<title>App</title>", "<noscript>Please enable JavaScript to continue.</noscript><div id=root></div>");
    const teaser = page("<title>T</title>", article(paragraphs(1, 60) + "<p>Subscribe to continue reading.</p>"));
    const full = page("<title>T</title>", article(paragraphs(8)));
    expect(extractionLevel(extractArticle(shell, URL))).toBe("none");
    expect(extractionLevel(extractArticle(teaser, URL))).toBe("partial");
    expect(extractionLevel(extractArticle(full, URL))).toBe("full");
  });
});
