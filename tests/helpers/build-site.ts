/** Builds the site from a fixture content folder into temp folders (once per suite), and loads its pages with cheerio. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { load, type CheerioAPI } from "cheerio";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The pinned Node 24 (the machine's own Node may be too old for Astro). */
export const PINNED_NODE = join(REPO_ROOT, "node_modules/.bin/node");
const ASTRO_CLI = join(REPO_ROOT, "node_modules/astro/bin/astro.mjs");
const INDEX_SEARCH = join(REPO_ROOT, "scripts/index-search.ts");

export interface BuildOptions {
  /** Also build the Pagefind index (`scripts/index-search.ts`), as `npm run build` does. */
  search?: boolean;
  /** Extra environment, e.g. `{ THEMATA_PAGE_SIZE: "2" }`. */
  env?: Record<string, string>;
}

export interface BuildRun {
  /** 0 when every step succeeded. */
  code: number;
  /** stdout and stderr of every step, in order. */
  output: string;
  outDir: string;
  /** Removes the out and cache folders. */
  cleanup(): Promise<void>;
}

export interface BuiltSite {
  outDir: string;
  output: string;
  cleanup(): Promise<void>;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * Runs `astro build` (and the search index when asked) on the articles of `contentDir`
 * (a folder holding `articles/`), into fresh temp out and cache folders. Never throws for a
 * failed build: the exit code and output are returned for tests of build errors.
 */
export async function runBuild(contentDir: string, options: BuildOptions = {}): Promise<BuildRun> {
  // Astro writes its prerender chunks beside outDir when outDir is under the working directory,
  // else into the repo's .astro/, which parallel builds would share (and delete under each
  // other). So each build runs in a folder of its own, with node_modules linked for the chunks.
  const runDir = await mkdtemp(join(tmpdir(), "themata-site-"));
  await symlink(join(REPO_ROOT, "node_modules"), join(runDir, "node_modules"));
  const outDir = join(runDir, "dist");
  const cacheDir = await mkdtemp(join(tmpdir(), "themata-cache-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    THEMATA_CONTENT_DIR: resolve(contentDir),
    THEMATA_OUT_DIR: outDir,
    THEMATA_CACHE_DIR: cacheDir,
    ASTRO_TELEMETRY_DISABLED: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...options.env,
  };
  const cleanup = async () => {
    await rm(runDir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  };
  const build = await run(PINNED_NODE, [ASTRO_CLI, "build", "--root", REPO_ROOT], env, runDir);
  if (build.code !== 0 || !options.search) return { ...build, outDir, cleanup };
  const index = await run(PINNED_NODE, [INDEX_SEARCH, outDir], env);
  return { code: index.code, output: build.output + index.output, outDir, cleanup };
}

/** Builds the site and returns where it is; throws with the build's output when it fails. */
export async function buildSite(contentDir: string, options: BuildOptions = {}): Promise<BuiltSite> {
  const result = await runBuild(contentDir, options);
  if (result.code !== 0) {
    await result.cleanup();
    throw new Error(`site build failed (exit ${result.code}):\n${result.output}`);
  }
  return { outDir: result.outDir, output: result.output, cleanup: result.cleanup };
}

/** The built file for a URL path: `/x/` → `x/index.html`, `/rss.xml` → `rss.xml`. */
export function builtFile(outDir: string, path: string): string {
  const relative = path.replace(/^\//, "");
  return join(outDir, relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative);
}

/** Reads a built file as text. */
export function readBuilt(outDir: string, path: string): Promise<string> {
  return readFile(builtFile(outDir, path), "utf8");
}

/** A built page, parsed by cheerio. */
export async function loadHtml(outDir: string, path: string): Promise<CheerioAPI> {
  return load(await readBuilt(outDir, path));
}
