/** The content collections: articles (from THEMATA_CONTENT_DIR) and static pages. */
import { defineCollection, type SchemaContext } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";
import { articleLoader } from "./article/loader.ts";
import { ARTICLES_DIR, PAGES_DIR, articleFileSchema, articleSchema, pageSchema } from "./article/schema.ts";

/** An article's data as pages see it: `image.src` resolved by Astro's `image()` to the picture's metadata. */
type ArticleData = z.output<ReturnType<typeof articleSchema<ReturnType<SchemaContext["image"]>>>>;

/**
 * Astro calls a collection's schema function once per entry (its `image()` knows the entry's
 * file). Building the whole article schema each time cost ~0.5 ms an entry (a minute at 100k
 * articles), so the fields are checked by one schema built once (`image.src` as the path
 * written in the file) and only the picture goes through this entry's `image()`, when it has one.
 */
function articleEntrySchema({ image }: SchemaContext) {
  return articleFileSchema.transform(async (data, ctx): Promise<ArticleData> => {
    if (!data.image) return data as ArticleData;
    const src = await image().safeParseAsync(data.image.src);
    if (!src.success) {
      for (const issue of src.error.issues)
        ctx.addIssue({ ...issue, path: ["image", "src", ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
      return z.NEVER;
    }
    return { ...data, image: { ...data.image, src: src.data } };
  });
}

const articles = defineCollection({
  // retainBody: false: pages render the body through render(); the raw text is not needed.
  loader: articleLoader({ pattern: "**/*.md", base: ARTICLES_DIR, retainBody: false }),
  schema: articleEntrySchema,
});

const pages = defineCollection({
  loader: glob({ pattern: "**/*.md", base: PAGES_DIR }),
  schema: pageSchema,
});

export const collections = { articles, pages };
