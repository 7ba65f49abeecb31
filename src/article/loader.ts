/**
 * The `articleExtras` collection's loader: of each article, only what Astro itself must process,
 * its picture (checked and optimised by `image()`) and its editor's note (Markdown, rendered by
 * the site's sanitising processor). Articles' fields are read by the site's catalog
 * (src/lib/articles.ts), not stored here: Astro compiles its whole content store into the
 * build, and with every article in it a 100,000-article build peaked near 6 GB.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Loader } from "astro/loaders";
import { articleIdOf, listArticlePaths, parseArticleText, READ_CONCURRENCY, splitFrontmatter } from "./files.ts";
import { mapBounded } from "./map-bounded.ts";
import { checkArticle } from "./check.ts";

/** A top-level `image:` line: the article names a picture (YAML is read only for such files). */
const IMAGE_FIELD = /^image\s*:/m;

/** Whether Astro has anything to do for a file's text: a picture to optimise or a body to render. */
export function needsAstro(text: string): boolean {
  const parts = splitFrontmatter(text);
  return parts !== null && (IMAGE_FIELD.test(parts.frontmatter) || parts.body.trim() !== "");
}

/** Stores `{ image }` and the rendered body of every article that has either, keyed by article id. */
export function articleExtrasLoader(articlesDir: string): Loader {
  return {
    name: "themata-article-extras",
    async load({ store, parseData, renderMarkdown, generateDigest, config }) {
      const seen = new Set<string>();
      const root = fileURLToPath(config.root);
      await mapBounded(await listArticlePaths(articlesDir), READ_CONCURRENCY, async (path) => {
        // Read synchronously, as the build's small files are (see fileHash in src/build/files.ts).
        const text = readFileSync(path, "utf8");
        if (!needsAstro(text)) return;
        const id = articleIdOf(articlesDir, path);
        seen.add(id);
        const digest = generateDigest(text);
        // Unchanged since the last sync: the stored entry (and the picture import Astro derives from it) stands.
        if (store.get(id)?.digest === digest) return;
        const file = parseArticleText(path, text);
        // A file the checker rejects (broken YAML, a picture that is not there) is left out here:
        // the catalog then fails the build naming the file and why, where Astro would name neither.
        if ((await checkArticle(file)).data === null) return;
        const { image } = file.data as { image?: unknown };
        const data = await parseData({ id, data: image === undefined ? {} : { image }, filePath: path });
        const rendered = file.body.trim() ? await renderMarkdown(file.body) : undefined;
        store.set({ id, data, digest, filePath: relative(root, path), rendered, assetImports: rendered?.metadata?.imagePaths });
      });
      for (const id of store.keys()) if (!seen.has(id)) store.delete(id);
    },
  };
}
