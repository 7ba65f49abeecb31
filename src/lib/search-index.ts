/** Pagefind indexing of a built site: article pages only (they carry data-pagefind-body). */
import * as pagefind from "pagefind";
import { fail, ok, type Result } from "./result.ts";

export async function indexSite(distDir: string): Promise<Result<{ pages: number; ms: number }>> {
  const started = performance.now();
  const { index, errors } = await pagefind.createIndex({});
  if (!index) return fail(`could not start Pagefind: ${errors.join("; ")}`);
  try {
    const added = await index.addDirectory({ path: distDir });
    if (added.errors.length) return fail(added.errors.join("; "));
    const written = await index.writeFiles({ outputPath: `${distDir}/pagefind` });
    if (written.errors.length) return fail(written.errors.join("; "));
    return ok({ pages: added.page_count, ms: Math.round(performance.now() - started) });
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}
