/** The content collections: articles (from THEMATA_CONTENT_DIR) and static pages. */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { ARTICLES_DIR, PAGES_DIR, articleSchema, pageSchema } from "./lib/article-schema.ts";

const articles = defineCollection({
  // retainBody: false — pages render the body through render(); the raw text is not needed.
  loader: glob({ pattern: "**/*.md", base: ARTICLES_DIR, retainBody: false }),
  schema: ({ image }) => articleSchema(image()),
});

const pages = defineCollection({
  loader: glob({ pattern: "**/*.md", base: PAGES_DIR }),
  schema: pageSchema,
});

export const collections = { articles, pages };
