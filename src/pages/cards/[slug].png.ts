/** Each article's social card, copied from beside its Markdown file (the ingest made it; the build never renders one). */
import { readFile, stat } from "node:fs/promises";
import type { APIContext, GetStaticPaths } from "astro";
import { getCatalog, pageSlug } from "../../lib/articles.ts";
import { cardFile, getCardIds } from "../../lib/social.ts";
import { articleContent, hashKey } from "../../lib/cache-keys.ts";

export const getStaticPaths = (async () => {
  const [{ articles }, ids] = await Promise.all([getCatalog(), getCardIds()]);
  // A picture is shared instead of the card; a card left beside it is not published.
  // Keyed by the card file's size and the article's data (a card is remade when its title changes).
  const shared = articles.filter((article) => !article.data.image && ids.has(article.id));
  const sizes = await Promise.all(
    shared.map((article) =>
      stat(cardFile(article.id)).then(
        (info) => info.size,
        () => -1,
      ),
    ),
  );
  return shared.map((article, i) => ({
    params: { slug: pageSlug(article.id) },
    props: { id: article.id },
    cacheKey: hashKey(["card", articleContent(article), sizes[i]]),
  }));
}) satisfies GetStaticPaths;

export async function GET({ props }: APIContext<{ id: string }>): Promise<Response> {
  return new Response(await readFile(cardFile(props.id)), { headers: { "content-type": "image/png" } });
}
