/**
 * `npm run build`: the site, incrementally. Verifies the page cache, puts the verified pages in
 * dist/ (hard links to the cache), runs `astro build` (pages whose key and code are unchanged are
 * left in place, others rendered), removes pages that are gone, swaps tonight's popular tags into every page,
 * records the cache, indexes search (only the shards that changed), and writes the list of
 * changed files for a deploy outside dist/.
 *   node scripts/build-site.ts [--cold] [astro build options, e.g. --root DIR]
 * THEMATA_CACHE_DIR moves the cache (default .cache/astro), THEMATA_DEPLOY_CHANGES the list.
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ARTICLES_DIR } from "../src/article/schema.ts";
import { DEFAULT_CHANGES_FILE, writeSiteChanges } from "../src/build/changes.ts";
import {
  cacheDirFromEnv,
  cachedOutputFiles,
  countRendered,
  linkCachedPages,
  recordPageCache,
  removeStalePages,
  verifyPageCache,
} from "../src/build/page-cache.ts";
import { refreshRail } from "../src/build/rail.ts";
import { countArticleFiles, indexSite, outDirFromEnv } from "../src/search/index-site.ts";

const args = process.argv.slice(2);
const cold = args.includes("--cold");
const astroArgs = args.filter((arg) => arg !== "--cold");
const outDir = outDirFromEnv();
const cacheDir = cacheDirFromEnv();
const started = Date.now();
const log = (line: string) => console.log(`build: ${line}`);

if (cold) await rm(cacheDir, { recursive: true, force: true });
const verified = await verifyPageCache(cacheDir);
const verifyMs = Date.now() - started;
log(
  verified.state === "cold"
    ? `cold (${verified.reason})`
    : `page cache: ${verified.kept} verified${
        verified.dropped.length
          ? `, ${verified.dropped.length} dropped (rendered again): ${verified.dropped
              .slice(0, 5)
              .map((d) => `${d.file} (${d.reason})`)
              .join(", ")}${verified.dropped.length > 5 ? ", …" : ""}`
          : ""
      }`,
);

// Verified pages go into dist/ as hard links to their cached copies, so Astro copies none of them.
const linked = await linkCachedPages(cacheDir, outDir, verified.hashes);
const linkMs = Date.now() - started - verifyMs;

const astro = fileURLToPath(new URL("../node_modules/astro/bin/astro.mjs", import.meta.url));
const code = await new Promise<number>((done) => {
  spawn(process.execPath, [astro, "build", ...astroArgs], { stdio: "inherit", env: { ...process.env, THEMATA_KEEP_OUT_DIR: "1" } }).on(
    "exit",
    (exit) => done(exit ?? 1),
  );
});
if (code !== 0) process.exit(code);
const astroMs = Date.now() - started - verifyMs - linkMs;
const afterAstro = Date.now();

const outputs = await cachedOutputFiles(cacheDir);
const stale = await removeStalePages(outDir, linked, outputs);
const counts = await countRendered(cacheDir, outputs, started);
const rail = await refreshRail(outDir, cacheDir, counts.reusedFiles, verified.rail);
const pageHashes = await recordPageCache(cacheDir, outputs, rail.rail, verified.hashes);
log(
  `pages: ${counts.rendered} rendered, ${counts.reused} reused; popular tags rewritten in ${rail.rewritten} files; ` +
    `${stale} gone; cache check ${verifyMs} ms, linking ${linkMs} ms, astro ${astroMs} ms, rail and record ${Date.now() - afterAstro} ms`,
);

// Article pages the page cache vouches for (same bytes as last build) are not read again by the indexer.
const index = await indexSite(outDir, { expectedArticles: await countArticleFiles(ARTICLES_DIR), cacheDir, pageHashes });
if (!index.ok) {
  console.error(`search index: ${index.reason}`);
  process.exit(1);
}
const { pages, articlePages, bundleDir, shards, reindexed, ms, fileHashes } = index.value;
console.log(
  `search index: ${pages} of ${articlePages} article pages indexed in ${ms} ms → ${bundleDir} (${shards} ${shards === 1 ? "shard" : "shards"}, ${reindexed} re-indexed)`,
);

const changesFile = process.env.THEMATA_DEPLOY_CHANGES || DEFAULT_CHANGES_FILE;
const beforeChanges = Date.now();
// Hashes this build already holds (cached pages, search files) are not computed again.
const changes = await writeSiteChanges(outDir, cacheDir, changesFile, new Map([...pageHashes, ...fileHashes]));
log(
  `files: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed, ${changes.unchanged} unchanged → ${changesFile} in ${Date.now() - beforeChanges} ms; ${Date.now() - started} ms in all`,
);
