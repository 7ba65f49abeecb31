/** JSON-LD for pages: the NewsArticle object, and a serialiser safe to place inside a <script> element. */

/**
 * JSON text that cannot end its <script> element or open a comment: `<`, `>` and `&` become
 * JSON escapes (`\u003c`…), and so do U+2028/U+2029. A title holding `</script>` stays data.
 */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface NewsArticleInput {
  headline: string;
  description: string;
  url: string;
  datePublished: Date;
  dateModified?: Date;
  image?: string;
  /** The original's author, when its page names one; else the publisher stands as author. */
  author?: string;
  keywords: readonly string[];
  sourceUrl: string;
  publisherName: string;
  publisherUrl: string;
  /** Absolute URL of the publisher's logo. */
  publisherLogo?: string;
}

/** A schema.org NewsArticle about one summarised article; `isBasedOn` points at the original. */
export function newsArticleJsonLd(input: NewsArticleInput): Record<string, unknown> {
  const publisher = {
    "@type": "Organization",
    name: input.publisherName,
    url: input.publisherUrl,
    ...(input.publisherLogo ? { logo: { "@type": "ImageObject", url: input.publisherLogo } } : {}),
  };
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: input.headline,
    description: input.description,
    url: input.url,
    mainEntityOfPage: input.url,
    datePublished: input.datePublished.toISOString(),
    ...(input.dateModified ? { dateModified: input.dateModified.toISOString() } : {}),
    ...(input.image ? { image: [input.image] } : {}),
    ...(input.keywords.length ? { keywords: input.keywords.join(", ") } : {}),
    isBasedOn: input.sourceUrl,
    author: input.author ? { "@type": "Person", name: input.author } : publisher,
    publisher,
  };
}
