/** `npm run demo`: the whole pipeline offline: a fixture night on loopback, the real ingest into a scratch folder, then the site built and previewed from it. */
import { spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readArticleFiles } from "../src/article/files.ts";
import type { RunReport } from "../src/ingest/report/report.ts";
import { NIGHT_SINCE, startFixtureNight, writeNightConfig } from "./fixtures/fixture-night.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const USAGE = `usage: npm run demo -- [--dir DIR] [--no-build] [--no-preview]
  --dir DIR      scratch folder for the config, content, caches and built site (default tmp/demo)
  --no-build     stop after the ingest
  --no-preview   stop after the build`;

/** What the demo leaves in its folder; only these are removed before a new run. */
const SCRATCH_ENTRIES = ["themata.config.json", "content", ".cache", "state", "report.json", "dist", "astro-cache"];

function usageError(message: string): never {
  console.error(`demo: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      dir: { type: "string", default: join(REPO_ROOT, "tmp/demo") },
      "no-build": { type: "boolean", default: false },
      "no-preview": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  usageError((error as Error).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const shown = (path: string) => relative(process.cwd(), path) || ".";
const heading = (text: string) => console.log(`\n── ${text} ${"─".repeat(Math.max(0, 72 - text.length))}`);

/**
 * Runs a command with the terminal attached (so the ingest shows its progress bar); resolves with
 * its exit code. SIGINT and SIGTERM sent to the demo are passed on, so no child outlives it.
 */
function run(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((done, failed) => {
    const child = spawn(command, argv, { cwd: REPO_ROOT, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("error", failed);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      done(code ?? (signal ? 130 : 1));
    });
  });
}

/** Astro's preview port, used when free. */
const PREVIEW_PORT = 4321;

/** `port` on 127.0.0.1 when it is free (0: any free port); null when something already listens there. */
function listenablePort(port: number): Promise<number | null> {
  return new Promise((done) => {
    const server = createServer();
    server.on("error", () => done(null));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : null));
    });
  });
}

const dir = resolve(args.dir);
const contentDir = join(dir, "content");
const outDir = join(dir, "dist");
const configFile = join(dir, "themata.config.json");
const reportFile = join(dir, "report.json");

await mkdir(dir, { recursive: true });
await Promise.all(SCRATCH_ENTRIES.map((entry) => rm(join(dir, entry), { recursive: true, force: true })));

// 1. The fixture night: article pages, a feed and the HN API on 127.0.0.1.
heading("1. A night of AI news, served on loopback");
const night = await startFixtureNight();
await writeNightConfig(configFile, night.web.url);
const pages = night.items.filter((i) => i.kind !== "text-post").length;
console.log(
  `Fixture web at ${night.web.url}: ${night.items.length} links (${night.items.filter((i) => i.via === "hacker-news").length} Hacker News stories, ${night.items.filter((i) => i.via === "feed").length} feed items, ${pages} article pages)`,
);
console.log(`Scratch folder: ${shown(dir)} (config ${shown(configFile)})`);

// 2. The real ingest CLI, offline: extractive summaries, no API key.
heading("2. npm run ingest (extractive summaries: no network, no API key)");
const ingestArgs = [
  "scripts/ingest.ts",
  "--config",
  configFile,
  "--content-dir",
  contentDir,
  "--allow-host",
  night.web.hostPort,
  "--report",
  reportFile,
  "--since",
  NIGHT_SINCE.toISOString(),
  "--provider",
  "extractive",
];
console.log(`$ node ${ingestArgs.map((a) => (a.startsWith("/") ? shown(a) : a)).join(" ")}\n`);
let ingestCode: number;
try {
  ingestCode = await run(process.execPath, ingestArgs);
} finally {
  await night.close();
}
if (ingestCode === 2) {
  console.error("\ndemo: the ingest refused to start (see above)");
  process.exit(2);
}

const report = JSON.parse(await readFile(reportFile, "utf8")) as RunReport;
const articles = await readArticleFiles(join(contentDir, "articles"));
console.log(`\n${articles.length} article files in ${shown(join(contentDir, "articles"))}; the run's report is ${shown(reportFile)}`);
for (const file of articles) {
  const data = file.data as { title?: string; extraction?: string; image?: unknown; discussion?: unknown };
  const notes = [
    `extraction ${data.extraction ?? "?"}`,
    data.discussion ? "discussion" : "no discussion",
    data.image ? "image (WebP)" : "no image",
  ];
  console.log(`  • ${data.title ?? shown(file.path)}  [${notes.join(", ")}]`);
}
if (ingestCode !== 0) console.log(`\nThe ingest exited with code ${ingestCode}: ${report.totals.failed} item(s) failed (listed above).`);
if (args["no-build"]) process.exit(ingestCode);

// 3. The site, built from the scratch content.
heading("3. npm run build (the site from the scratch content)");
const buildEnv = {
  ...process.env,
  THEMATA_CONTENT_DIR: contentDir,
  THEMATA_OUT_DIR: outDir,
  THEMATA_CACHE_DIR: join(dir, "astro-cache"),
  THEMATA_DEPLOY_CHANGES: join(dir, "deploy-changes.json"),
  ASTRO_TELEMETRY_DISABLED: "1",
  // Every page says where these articles come from: their links point at the fixture web, gone once the demo ends.
  THEMATA_SITE_NOTICE:
    "Demo site: these articles were fetched from the demo's fixture web (sample pages served on 127.0.0.1 while the demo ran) and summarised offline. Their links to the originals and discussions do not work after the demo.",
};
console.log(`$ THEMATA_CONTENT_DIR=${shown(contentDir)} THEMATA_OUT_DIR=${shown(outDir)} npm run build\n`);
const buildCode = await run("npm", ["run", "build"], buildEnv);
if (buildCode !== 0) {
  console.error(`\ndemo: the build failed (exit ${buildCode})`);
  process.exit(buildCode);
}
console.log(`\nSite built in ${shown(outDir)}`);
if (args["no-preview"]) process.exit(ingestCode);

// 4. Preview until Ctrl-C.
heading("4. Preview");
let port = await listenablePort(PREVIEW_PORT);
if (port === null) {
  port = (await listenablePort(0)) ?? 0;
  console.log(
    `Port ${PREVIEW_PORT} is taken: a preview is probably still running (\`npm run preview\` from before; Ctrl-C in its terminal stops it). This one uses port ${port}.`,
  );
}
console.log(`Open http://127.0.0.1:${port}/ in a browser (Ctrl-C stops the preview).\n`);
const astro = join(REPO_ROOT, "node_modules/astro/bin/astro.mjs");
const previewCode = await run(
  process.execPath,
  [astro, "preview", "--outDir", outDir, "--host", "127.0.0.1", "--port", String(port)],
  buildEnv,
);
// Ctrl-C is how a preview ends: that is success, not an error.
process.exit(previewCode === 130 || previewCode === 0 ? ingestCode : previewCode);
