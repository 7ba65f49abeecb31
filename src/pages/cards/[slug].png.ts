/** Each article's social card, copied from beside its Markdown file (the ingest made it; the build never renders one). */
import { readFile } from "node:fs/promises";
import type { APIContext, GetStaticPaths } from "astro";
import { getCatalog, pageSlug } from "../../lib/articles.ts";
import { cardFile, getCardIds } from "../../lib/social.ts";

export const getStaticPaths = (async () => {
  const [{ articles }, ids] = await Promise.all([getCatalog(), getCardIds()]);
  // A picture is shared instead of the card; a card left beside it is not published.
  return articles.filter((article) => !article.data.image && ids.has(article.id)).map((article) => ({ params: { slug: pageSlug(article.id) }, props: { id: article.id } }));
}) satisfies GetStaticPaths;

export async function GET({ props }: APIContext<{ id: string }>): Promise<Response> {
  return new Response(await readFile(cardFile(props.id)), { headers: { "content-type": "image/png" } });
}
