/** The search vocabulary: every word of the indexed article text with its article count, for the search page's "did you mean" (loaded only when a query finds nothing). */
import { getCatalog } from "../lib/articles.ts";
import { buildVocabulary } from "../search/suggest.ts";

/** Enough for every word of a large archive's common vocabulary; rarer words are seldom what a reader meant. */
const VOCABULARY_LIMIT = 60_000;

export async function GET(): Promise<Response> {
  const { articles } = await getCatalog();
  // The text the index holds for an article: what its page marks for search (title, summary, takeaways, sentiment).
  const texts = articles.map(({ data }) => [
    data.title,
    data.originalTitle ?? "",
    data.summary,
    ...data.takeaways,
    ...data.tags.map((tag) => tag.replace(/-/g, " ")),
    ...(data.sentiment ? [...data.sentiment.positives, ...data.sentiment.concerns].map((point) => point.text) : []),
  ]);
  return new Response(JSON.stringify(buildVocabulary(texts, VOCABULARY_LIMIT)), { headers: { "content-type": "application/json" } });
}
