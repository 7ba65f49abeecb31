/** How well a page could be read: `full`, `partial` or `none`, with the reason in words. */
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
