import { describe, expect, it } from "vitest";
import { newsArticleJsonLd, serializeJsonLd } from "../../src/lib/json-ld.ts";

describe("serializeJsonLd", () => {
  it("leaves no character that could end a <script> element, and parses back to the same value", () => {
    const value = { headline: "a </script><script>alert(1)</script> & <!-- b \u2028 c" };
    const text = serializeJsonLd(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("newsArticleJsonLd", () => {
  it("describes the article as a NewsArticle based on the original", () => {
    const ld = newsArticleJsonLd({
      headline: "H",
      description: "D",
      url: "https://themata.ai/articles/x/",
      datePublished: new Date("2026-06-24T00:00:00Z"),
      keywords: ["llms", "claude"],
      sourceUrl: "https://example.com/x",
      publisherName: "Themata.AI",
      publisherUrl: "https://themata.ai/",
    });
    expect(ld).toEqual({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: "H",
      description: "D",
      url: "https://themata.ai/articles/x/",
      mainEntityOfPage: "https://themata.ai/articles/x/",
      datePublished: "2026-06-24T00:00:00.000Z",
      keywords: "llms, claude",
      isBasedOn: "https://example.com/x",
      // No author named on the page: the publisher stands as author.
      author: { "@type": "Organization", name: "Themata.AI", url: "https://themata.ai/" },
      publisher: { "@type": "Organization", name: "Themata.AI", url: "https://themata.ai/" },
    });
  });

  it("names the original's author as a Person, the image, and the publisher's logo", () => {
    const ld = newsArticleJsonLd({
      headline: "H",
      description: "D",
      url: "https://themata.ai/articles/x/",
      datePublished: new Date("2026-06-24T00:00:00Z"),
      image: "https://themata.ai/cards/x.png",
      author: "Ada Lovelace",
      keywords: [],
      sourceUrl: "https://example.com/x",
      publisherName: "Themata.AI",
      publisherUrl: "https://themata.ai/",
      publisherLogo: "https://themata.ai/icon-512.png",
    });
    expect(ld.author).toEqual({ "@type": "Person", name: "Ada Lovelace" });
    expect(ld.image).toEqual(["https://themata.ai/cards/x.png"]);
    expect(ld.publisher).toEqual({
      "@type": "Organization",
      name: "Themata.AI",
      url: "https://themata.ai/",
      logo: { "@type": "ImageObject", url: "https://themata.ai/icon-512.png" },
    });
  });
});
