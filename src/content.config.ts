/**
 * The content collections: static pages, and of each article only what Astro must process (its
 * picture and its editor's note; see src/article/loader.ts). The articles' fields are read and
 * checked by the site's catalog (src/lib/articles.ts), with the schema the writer and checker use.
 */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";
import { articleExtrasLoader } from "./article/loader.ts";
import { ARTICLES_DIR, PAGES_DIR, pageSchema } from "./article/schema.ts";

const articleExtras = defineCollection({
  loader: articleExtrasLoader(ARTICLES_DIR),
  // The picture's alt text and every other field are checked by the catalog; `image()` checks the file.
  schema: ({ image }) => z.object({ image: z.object({ src: image() }).loose().optional() }),
});

const pages = defineCollection({
  loader: glob({ pattern: "**/*.md", base: PAGES_DIR }),
  schema: pageSchema,
});

export const collections = { articleExtras, pages };
