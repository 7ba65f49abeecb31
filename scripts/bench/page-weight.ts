/**
 * Page weight per page kind: raw and gzip bytes of HTML, CSS and JS (images aside).
 *   node scripts/bench/page-weight.ts                  # builds content/ into a temp folder
 *   node scripts/bench/page-weight.ts --content DIR    # builds DIR/articles instead
 *   node scripts/bench/page-weight.ts --dist dist      # measures an existing build
 * Exits 1 when an article page carries JavaScript or weighs 20 KB gzipped or more (HTML + CSS).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { load } from "cheerio";

const ARTICLE_BUDGET_GZIP = 20 * 1024;

interface Weight {
  raw: number;
  gzip: number;
}
interface PageWeight {
  path: string;
  html: Weight;
  css: Weight;
  js: Weight;
}

const weigh = (text: string | Buffer): Weight => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text).length });
const add = (a: Weight, b: Weight): Weight => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
const ZERO: Weight = { raw: 0, gzip: 0 };

/** One page's HTML, the CSS and JS it loads (stylesheets, inline styles, scripts; JSON-LD is data, counted as HTML). */
function measurePage(dist: string, path: string): PageWeight {
  const htmlText = readFileSync(join(dist, path, path.endsWith(".html") ? "" : "index.html"));
  const $ = load(htmlText);
  let css = ZERO;
  let js = ZERO;
  const local = (href: string) => readFileSync(join(dist, new URL(href, "https://x/").pathname));
  $("link[rel=stylesheet][href]").each((_, el) => void (css = add(css, weigh(local($(el).attr("href")!)))));
  $("style").each((_, el) => void (css = add(css, weigh($(el).text()))));
  $("script").each((_, el) => {
    const type = $(el).attr("type");
    if (type === "application/ld+json") return;
    const src = $(el).attr("src");
    js = add(js, weigh(src ? local(src) : $(el).text()));
  });
  $("link[rel=modulepreload][href]").each((_, el) => void (js = add(js, weigh(local($(el).attr("href")!)))));
  return { path, html: weigh(htmlText), css, js };
}

function firstPage(dist: string, dir: string): string | null {
  try {
    const names = readdirSync(join(dist, dir))
      .filter((name) => !name.includes("."))
      .sort();
    return names.length ? `${dir}/${names[0]}/` : null;
  } catch {
    return null;
  }
}

function build(contentDir: string | undefined): { dist: string; cleanup: () => void } {
  const dist = mkdtempSync(join(tmpdir(), "themata-weight-"));
  const cache = mkdtempSync(join(tmpdir(), "themata-weight-cache-"));
  const env: NodeJS.ProcessEnv = { ...process.env, THEMATA_OUT_DIR: dist, THEMATA_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: "1" };
  if (contentDir) env.THEMATA_CONTENT_DIR = contentDir;
  execFileSync(process.execPath, ["node_modules/astro/bin/astro.mjs", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
  return { dist, cleanup: () => [dist, cache].forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
const cell = (w: Weight) => `${kb(w.raw)} ${kb(w.gzip)}`;

const { values } = parseArgs({ options: { dist: { type: "string" }, content: { type: "string" } } });
const built = values.dist ? { dist: values.dist, cleanup: () => {} } : build(values.content);
try {
  const { dist } = built;
  const articles = readdirSync(join(dist, "articles"))
    .filter((n) => !n.includes("."))
    .map((n) => `articles/${n}/`);
  const kinds: [string, string | null][] = [
    ["home", ""],
    ["tag page", firstPage(dist, "tags")],
    ["tags index", "tags/"],
    ["search", "search/"],
    ["static page", "about/"],
    ["404", "404.html"],
  ];
  // Every article page is measured; the heaviest one stands for the kind.
  const articleWeights = articles.map((path) => measurePage(dist, path));
  const heaviest = articleWeights.sort((a, b) => b.html.gzip + b.css.gzip - (a.html.gzip + a.css.gzip))[0];
  const rows: [string, PageWeight][] = [];
  if (heaviest) rows.push([`article (heaviest of ${articles.length})`, heaviest]);
  for (const [kind, path] of kinds) if (path !== null) rows.push([kind, measurePage(dist, path)]);

  console.log(
    `${"page kind".padEnd(28)} ${"HTML raw".padStart(9)} ${"gzip".padStart(9)} ${"CSS raw".padStart(9)} ${"gzip".padStart(9)} ${"JS raw".padStart(9)} ${"gzip".padStart(9)} ${"total gz".padStart(9)}`,
  );
  for (const [kind, w] of rows) {
    const total = w.html.gzip + w.css.gzip + w.js.gzip;
    console.log(`${kind.padEnd(28)} ${cell(w.html)} ${cell(w.css)} ${cell(w.js)} ${kb(total)}   /${w.path}`);
  }
  const over = articleWeights.filter((w) => w.js.raw > 0 || w.html.gzip + w.css.gzip >= ARTICLE_BUDGET_GZIP);
  if (over.length) {
    console.error(`Over budget (0 JS, < 20 KB gzipped HTML + CSS): ${over.map((w) => w.path).join(", ")}`);
    process.exitCode = 1;
  } else {
    console.log(`All ${articles.length} article pages: 0 bytes of JS, HTML + CSS under 20 KB gzipped.`);
  }
} finally {
  built.cleanup();
}
