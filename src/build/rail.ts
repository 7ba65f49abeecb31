/**
 * The rail's popular tags, swapped into every page after the build. They sit on every page and
 * can change any night, so they are no part of a page's cache key (that would re-render the whole
 * archive whenever they move). Instead the block is read from a page Astro renders on every build
 * (the 404 page, which is never cached), and written into each reused page (rendered ones carry
 * tonight's already), in the built site and in the page cache alike; the cache records which block
 * its copies carry, so a night on which the tags did not move reads no page at all.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { contentHash, mapBounded } from "./files.ts";
import { cachedCopyPath } from "./page-cache.ts";

/** The block as the Sidebar renders it: a wrapper holding no other `div`. */
const RAIL_BLOCK = /<div class="rail-popular" data-rail-popular[^>]*>[\s\S]*?<\/div>/;
/** A page rendered on every build (it has no cache key), to read tonight's block from. */
export const RAIL_SOURCE_PAGE = "404.html";

/** The popular-tags block of a page, or null when it has none. */
export function railBlock(html: string): string | null {
  return RAIL_BLOCK.exec(html)?.[0] ?? null;
}

/** The page with its block replaced by `block` (unchanged when it has none). */
export function withRailBlock(html: string, block: string): string {
  return html.replace(RAIL_BLOCK, () => block);
}

export interface RailReport {
  /** Hash of tonight's block (recorded with the page cache). */
  rail: string;
  /** Pages whose block was rewritten (built and cached copies together). */
  rewritten: number;
}

/** Tonight's block, from the page rendered fresh on every build. */
export async function currentRailBlock(outDir: string): Promise<string | null> {
  try {
    return railBlock(await readFile(join(outDir, RAIL_SOURCE_PAGE), "utf8"));
  } catch {
    return null;
  }
}

async function rewrite(path: string, block: string): Promise<boolean> {
  let html: string;
  try {
    html = await readFile(path, "utf8");
  } catch {
    return false;
  }
  const current = railBlock(html);
  if (current === null || current === block) return false;
  await writeFile(path, withRailBlock(html, block));
  return true;
}

/**
 * Brings every page to tonight's block. Pages rendered this build carry it already; `reusedOutputs`
 * are the pages restored from the cache, which carry `cachedRail` (from the cache record): when that
 * is tonight's, nothing is read, else each reused page is rewritten in the built site and the cache.
 */
export async function refreshRail(
  outDir: string,
  cacheDir: string,
  reusedOutputs: readonly string[],
  cachedRail: string,
): Promise<RailReport> {
  const block = await currentRailBlock(outDir);
  if (block === null) return { rail: "", rewritten: 0 };
  const rail = contentHash(block);
  if (rail === cachedRail) return { rail, rewritten: 0 };
  const pages = reusedOutputs.filter((file) => file.endsWith(".html"));
  // The site first, then the cache: where a page is a hard link to its cached copy, the second
  // pass finds tonight's block already there and writes nothing (never two writes to one file at once).
  const site = await mapBounded(pages, 16, (file) => rewrite(join(outDir, file), block));
  const cache = await mapBounded(pages, 16, (file) => rewrite(cachedCopyPath(cacheDir, file), block));
  return { rail, rewritten: [...site, ...cache].filter(Boolean).length };
}
