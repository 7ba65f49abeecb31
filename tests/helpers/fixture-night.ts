/**
 * The fixture night: one night of AI news as a small web on loopback, for the offline demo, the
 * demo test and the ingest benchmark. Pure Node (no test-runner imports).
 *
 * `tests/fixtures/night/` holds it, written against the placeholder origin
 * `http://fixture-night.invalid`, which is replaced by the server's real origin when served:
 *   site/**            article pages, a feed, an image and robots.txt, served at their path
 *                      (`a/index.html` at `/a/` and `/a`, `a.html` at `/a`); every file answers
 *                      with an ETag and Last-Modified and a 304 to a matching conditional GET
 *   hn/search_by_date.json   the Algolia `search_by_date` answer listing the night's HN stories,
 *                      served at `/hn/api/v1/search_by_date`, filtered by `numericFilters` and paged
 *                      by `page` / `hitsPerPage` like the real API
 *   hn/items/<id>.json the Algolia items-API tree of each story, at `/hn/api/v1/items/<id>`
 *   themata.config.json      a config pointing the HN API and the feed at the placeholder origin
 *
 * The night (26 November 2026, UTC): six HN stories (four article pages; a page that is only a
 * JavaScript shell; an Ask HN text post) and two feed items, so eight articles; the feed's third
 * item is older than {@link NIGHT_SINCE} and is left out. One page has an og:image (a JPEG), one
 * points its og:image at a missing file.
 *
 *   const night = await startFixtureNight({ latencyMs: 100, extraItems: 192 });
 *   night.web.url; night.web.hostPort;   // for --allow-host
 *   await writeNightConfig(join(dir, "themata.config.json"), night.web.url);
 *   night.items                          // what a run should turn into articles
 *   await night.close();
 *
 * `extraItems` adds generated stories (an article page with an og:image, a thread of 10–120
 * comments) so a benchmark has as many items as it needs; `latencyMs` delays every response,
 * 404s and 304s included.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { conditional, delayed, json, startFixtureWeb, type FixtureWeb, type Route, type RouteTable } from "./fixture-web.ts";

export const NIGHT_DIR = fileURLToPath(new URL("../fixtures/night/", import.meta.url));
/** Written in the fixture files wherever the server's origin goes. */
export const PLACEHOLDER_ORIGIN = "http://fixture-night.invalid";
/** The start of the night: pass it as `--since` (the fixture dates do not move with the clock). */
export const NIGHT_SINCE = new Date("2026-11-26T00:00:00Z");
/** Where the HN API lives on the fixture server (the config's `sources.hackerNews.apiBase` path). */
export const HN_API_PATH = "/hn/api/v1";
/** Last-Modified of every fixture file. */
const LAST_MODIFIED = "Fri, 27 Nov 2026 03:00:00 GMT";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".xml": "application/rss+xml; charset=utf-8",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** One link the night offers, and what a run should make of it. */
export interface NightItem {
  /** The link as the source gives it (origin substituted; the HN thread for a text post). */
  url: string;
  title: string;
  via: "hacker-news" | "feed";
  kind: "page" | "js-shell" | "text-post";
  /** The page's og:image is a real image (so the article gets one). */
  image: boolean;
  hnId?: string;
}

export interface NightOptions {
  /** Milliseconds every response waits before it is sent (default 0). */
  latencyMs?: number;
  /** Generated HN stories with pages, added to the night (default 0). */
  extraItems?: number;
}

export interface FixtureNightRoutes {
  routes: RouteTable;
  items: NightItem[];
}

export interface FixtureNight extends FixtureNightRoutes {
  web: FixtureWeb;
  close(): Promise<void>;
}

const substitute = (text: string, origin: string) => text.replaceAll(PLACEHOLDER_ORIGIN, origin);

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** The URL paths a file under site/ is served at. */
function servedPaths(file: string): string[] {
  const path = `/${relative(join(NIGHT_DIR, "site"), file).split(sep).join("/")}`;
  if (path.endsWith("/index.html")) {
    const dir = path.slice(0, -"index.html".length);
    return dir === "/" ? ["/"] : [dir, dir.slice(0, -1)];
  }
  if (path.endsWith(".html")) return [path.slice(0, -".html".length)];
  return [path];
}

/** A static body with validators (ETag from its bytes), answering 304 to a matching conditional GET. */
function cacheable(body: Buffer, contentType: string): Route {
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  return conditional({ body, etag, lastModified: LAST_MODIFIED, contentType });
}

interface Hit {
  objectID: string;
  created_at_i: number;
  points: number | null;
  [field: string]: unknown;
}

/** `created_at_i>=123,points>=100` → a test for a hit. */
function numericFilter(filters: string | null): (hit: Hit) => boolean {
  const tests = (filters ?? "")
    .split(",")
    .map((f) => /^(\w+)(>=|<=|>|<|=)(-?\d+(?:\.\d+)?)$/.exec(f.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, field, op, value]) => (hit: Hit) => {
      const v = Number(hit[field!] ?? 0);
      const n = Number(value);
      return op === ">=" ? v >= n : op === "<=" ? v <= n : op === ">" ? v > n : op === "<" ? v < n : v === n;
    });
  return (hit) => tests.every((test) => test(hit));
}

/** The Algolia `search_by_date` endpoint over a fixed list of hits: newest first, filtered, paged. */
function searchByDate(hits: Hit[]): (req: IncomingMessage, res: ServerResponse) => void {
  const sorted = [...hits].sort((a, b) => b.created_at_i - a.created_at_i);
  return (req, res) => {
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    const matching = sorted.filter(numericFilter(query.get("numericFilters")));
    const hitsPerPage = Math.min(1000, Math.max(1, Number(query.get("hitsPerPage") ?? 20) || 20));
    const page = Math.max(0, Number(query.get("page") ?? 0) || 0);
    const body = {
      hits: matching.slice(page * hitsPerPage, (page + 1) * hitsPerPage),
      nbHits: matching.length,
      page,
      nbPages: Math.ceil(matching.length / hitsPerPage),
      hitsPerPage,
      exhaustiveNbHits: true,
      query: "",
      params: query.toString(),
      processingTimeMS: 1,
    };
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
}

/** Everything the night serves, for a server at `origin`, and the items a run should write. */
export async function nightRoutes(origin: string, options: NightOptions = {}): Promise<FixtureNightRoutes> {
  const routes: RouteTable = {};
  for (const file of await listFiles(join(NIGHT_DIR, "site"))) {
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    const raw = await readFile(file);
    const body = type.startsWith("image/") ? raw : Buffer.from(substitute(raw.toString("utf8"), origin));
    for (const path of servedPaths(file)) routes[path] = cacheable(body, type);
  }

  const search = JSON.parse(substitute(await readFile(join(NIGHT_DIR, "hn/search_by_date.json"), "utf8"), origin)) as { hits: Hit[] };
  for (const file of await listFiles(join(NIGHT_DIR, "hn/items"))) {
    routes[`${HN_API_PATH}/items/${file.split(sep).pop()!.replace(/\.json$/, "")}`] = json(JSON.parse(substitute(await readFile(file, "utf8"), origin)));
  }

  const items = await baseItems(search.hits, origin);
  const hits = [...search.hits];
  if (options.extraItems) {
    const image = await readFile(join(NIGHT_DIR, "site/techstrong/images/open-source-ai-globe.jpg"));
    for (let i = 0; i < options.extraItems; i++) {
      const story = syntheticStory(i, origin);
      routes[story.pagePath] = cacheable(Buffer.from(story.page), CONTENT_TYPES[".html"]!);
      routes[story.imagePath] = cacheable(image, "image/jpeg");
      routes[`${HN_API_PATH}/items/${story.hit.objectID}`] = json(story.item);
      hits.push(story.hit);
      items.push({ url: story.url, title: story.title, via: "hacker-news", kind: "page", image: true, hnId: story.hit.objectID });
    }
  }
  routes[`${HN_API_PATH}/search_by_date`] = searchByDate(hits);
  // Unknown paths are 404s that wait like every other answer.
  routes["/*"] = { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "not found" };

  const latency = options.latencyMs ?? 0;
  if (latency > 0) for (const [path, route] of Object.entries(routes)) routes[path] = delayed(latency, route);
  return { routes, items };
}

/** The night's own items: its HN stories, then the feed's items from the night. */
async function baseItems(hits: Hit[], origin: string): Promise<NightItem[]> {
  const items: NightItem[] = hits.map((hit) => {
    const url = typeof hit.url === "string" ? hit.url : `https://news.ycombinator.com/item?id=${hit.objectID}`;
    const kind = hit.url === null ? "text-post" : url.includes("/tessellate/") ? "js-shell" : "page";
    return { url, title: String(hit.title), via: "hacker-news", kind, image: url.includes("/techstrong/"), hnId: hit.objectID };
  });
  const feed = substitute(await readFile(join(NIGHT_DIR, "site/policywire/feeds/ai.xml"), "utf8"), origin);
  for (const [, body] of feed.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const date = new Date(/<pubDate>(.*?)<\/pubDate>/.exec(body!)![1]!);
    if (date < NIGHT_SINCE) continue;
    const url = /<link>(.*?)<\/link>/.exec(body!)![1]!.replaceAll("&amp;", "&");
    items.push({ url, title: /<title>(.*?)<\/title>/.exec(body!)![1]!, via: "feed", kind: "page", image: false });
  }
  return items;
}

/** The demo config with the real origin in place of the placeholder (a plain JSON value). */
export async function nightConfig(origin: string): Promise<Record<string, unknown>> {
  return JSON.parse(substitute(await readFile(join(NIGHT_DIR, "themata.config.json"), "utf8"), origin)) as Record<string, unknown>;
}

/** Writes the demo config for a server at `origin` to `file`; `edit` may change it first. */
export async function writeNightConfig(file: string, origin: string, edit?: (config: Record<string, unknown>) => void): Promise<void> {
  const config = await nightConfig(origin);
  edit?.(config);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Starts the night on 127.0.0.1 (a random port). */
export async function startFixtureNight(options: NightOptions = {}): Promise<FixtureNight> {
  const web = await startFixtureWeb({});
  const { routes, items } = await nightRoutes(web.url, options);
  for (const [path, route] of Object.entries(routes)) web.route(path, route);
  return { web, routes, items, close: () => web.close() };
}

// ---------------------------------------------------------------------------------------
// Generated stories (benchmark volume): deterministic, varied, on topic, realistic in size.

/** A small deterministic PRNG (mulberry32), so every run serves the same bytes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
/** `count` different entries of `list`, in random order. */
function distinct<T>(rand: () => number, list: readonly T[], count: number): T[] {
  const pool = [...list];
  return Array.from({ length: Math.min(count, pool.length) }, () => pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
}

const COMPANIES = [
  "Orbit AI", "Kestrel Labs", "Northwind Research", "Lumen", "Halcyon Systems", "Vantage Compute", "Meridian AI",
  "Cobalt Robotics", "Pinecrest Labs", "Sable Data", "Juniper Intelligence", "Quarry AI", "Atlas Foundry",
  "Beacon Models", "Tidewater Labs", "Aster Research",
];
const SUBJECTS = [
  "an open-weight LLM for legal documents", "an AI agent that files expense reports", "a language model that runs in the browser",
  "an AI speech model for 40 African languages", "an AI coding assistant for COBOL", "a small reasoning LLM for phones",
  "an AI retrieval system for medical guidelines", "an AI model that predicts grid demand", "a multimodal AI model for factory inspection",
  "an LLM benchmark for tool use", "an AI tutor for secondary school maths", "a chatbot for tax questions",
  "an open dataset of licensed books for AI training", "a GPU scheduler for LLM inference", "an AI model that reads X-rays",
  "an AI agent framework with sandboxed tools",
];
const ACTIONS = ["releases", "open-sources", "launches", "unveils", "details", "ships", "previews", "publishes"];
const SITES = [
  { prefix: "/dispatch", name: "The Dispatch" },
  { prefix: "/signal-daily", name: "Signal Daily" },
  { prefix: "/model-watch", name: "Model Watch" },
  { prefix: "/infra-weekly", name: "Infra Weekly" },
];
const ARTICLE_SENTENCES = [
  "The company said the system was trained on data it had licensed or collected with permission.",
  "Early users reported that it handled routine tasks well but still made mistakes on unusual cases.",
  "Independent researchers have not yet been able to verify the benchmark results.",
  "The model is available through an API and as downloadable weights for research use.",
  "Pricing undercuts the largest providers by roughly half, according to the announcement.",
  "Critics warned that the evaluation was run by the company itself and may overstate performance.",
  "The release includes a model card describing known limitations and the safety testing carried out.",
  "Engineers said the biggest gains came from better training data rather than a larger model.",
  "Several hospitals and universities have agreed to take part in a pilot next year.",
  "Regulators in Europe said they were studying how the system would be classified under the AI Act.",
  "Inference runs on a single accelerator, which keeps the cost per request low.",
  "The team plans to publish a technical report with the full evaluation in the coming weeks.",
  "Customers can fine-tune the model on their own data without it leaving their cloud account.",
  "Analysts said the launch puts pressure on rivals that charge per seat.",
  "The company acknowledged that the model can produce confident but wrong answers.",
  "A spokesperson said usage had grown tenfold since the beta opened in the summer.",
  "Open-source developers welcomed the permissive licence, which allows commercial use.",
  "The announcement comes as competition among model providers intensifies.",
];
const COMMENT_SENTENCES = [
  ["This is great work and the licence makes it genuinely useful for small teams.", "positive"],
  ["I tried it this morning and it is impressively fast on my laptop.", "positive"],
  ["Finally a release with a proper model card and honest limitations.", "positive"],
  ["The benchmark numbers look cherry-picked, I will wait for independent results.", "negative"],
  ["I worry about the privacy implications of sending all this data to the cloud.", "negative"],
  ["Pricing is the real story here, half the cost changes what we can build.", "positive"],
  ["It still hallucinates on anything outside the demo, which makes it risky in production.", "negative"],
  ["How does this compare to running an open model locally with llama.cpp?", "neutral"],
  ["We evaluated it last week and the accuracy on our own data was disappointing.", "negative"],
  ["The documentation is excellent and the API is simple to integrate.", "positive"],
  ["Regulation will decide whether this is usable in healthcare at all.", "neutral"],
  ["Impressive engineering, but the energy cost of training these models bothers me.", "negative"],
] as const;
const FILLER = "platform model data system release support update research team product service customer market policy network".split(" ");

interface SyntheticStory {
  url: string;
  title: string;
  pagePath: string;
  imagePath: string;
  page: string;
  hit: Hit;
  item: unknown;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Generated story `i` (its title passes the topic filter): a page of about 600 words in ~60 KB of markup, and its HN thread. */
function syntheticStory(i: number, origin: string): SyntheticStory {
  const rand = random(1000 + i);
  const company = COMPANIES[i % COMPANIES.length]!;
  const subject = SUBJECTS[Math.floor(i / COMPANIES.length) % SUBJECTS.length]!;
  const round = Math.floor(i / (COMPANIES.length * SUBJECTS.length));
  const title = `${company} ${ACTIONS[(i * 5 + Math.floor(i / COMPANIES.length)) % ACTIONS.length]} ${subject}${round > 0 ? ` (part ${round + 1})` : ""}`;
  const site = SITES[i % SITES.length]!;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const pagePath = `${site.prefix}/2026/11/26/${slug}`;
  const imagePath = `${site.prefix}/images/${i}.jpg`;
  const url = `${origin}${pagePath}`;
  const storyTime = Math.floor(NIGHT_SINCE.getTime() / 1000) + 600 + i * 377;
  const published = new Date((storyTime - 3600) * 1000).toISOString();

  const paragraphs = Array.from({ length: 9 }, (_, p) =>
    `<p>${p === 0 ? `${escapeHtml(company)} on Thursday ${escapeHtml(title.slice(company.length + 1))}. ` : ""}${distinct(rand, ARTICLE_SENTENCES, 4).join(" ")}</p>`,
  ).join("\n");
  const navLinks = Array.from({ length: 60 }, (_, n) => `<li><a href="${site.prefix}/section/${n}">${pick(rand, FILLER)} ${n}</a></li>`).join("");
  const relatedLinks = Array.from({ length: 8 }, (_, n) => `<li><a href="${site.prefix}/2026/11/${n}">${escapeHtml(pick(rand, SUBJECTS))}</a></li>`).join("");
  // Real pages carry an inline state blob and scripts; they weigh on fetching and parsing.
  const state = JSON.stringify({ ads: Array.from({ length: 900 }, (_, n) => ({ slot: n, keywords: [pick(rand, FILLER), pick(rand, FILLER)], size: [300, 250] })) });
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - ${site.name}</title>
<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:site_name" content="${site.name}">
<meta property="og:type" content="article"><meta property="og:image" content="${origin}${imagePath}">
<meta property="article:published_time" content="${published}">
<script type="application/ld+json">${JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", headline: title, datePublished: published, publisher: { "@type": "Organization", name: site.name } })}</script>
<script>window.__STATE__=${state}</script></head>
<body><header><a href="${site.prefix}/">${site.name}</a><nav><ul>${navLinks}</ul></nav></header>
<main><article><h1>${escapeHtml(title)}</h1><p class="byline">By Staff · <time datetime="${published}">26 November 2026</time></p>
${paragraphs}
</article><aside><h2>Related</h2><ul>${relatedLinks}</ul></aside></main>
<footer><p>© 2026 ${site.name}. <a href="${site.prefix}/privacy">Privacy</a> · <a href="${site.prefix}/terms">Terms</a></p></footer></body></html>`;

  const id = 991000000 + i * 1000;
  let next = id;
  const commentCount = 10 + Math.floor(rand() * 111);
  const all: { id: number; children: unknown[] }[] = [];
  const roots: unknown[] = [];
  for (let c = 0; c < commentCount; c++) {
    const parent = all.length > 0 && rand() < 0.55 ? all[Math.floor(rand() * all.length)]! : null;
    const sentences = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, COMMENT_SENTENCES)[0]);
    const comment = {
      id: ++next,
      created_at: new Date((storyTime + 60 * (c + 1)) * 1000).toISOString(),
      created_at_i: storyTime + 60 * (c + 1),
      type: "comment",
      author: `user${Math.floor(rand() * 5000)}`,
      title: null,
      url: null,
      text: sentences.map((s) => `<p>${escapeHtml(s).replace(/'/g, "&#x27;")}</p>`).join(""),
      points: null,
      parent_id: parent ? parent.id : id,
      story_id: id,
      options: [],
      children: [] as unknown[],
    };
    (parent ? parent.children : roots).push(comment);
    all.push(comment);
  }
  const points = 100 + Math.floor(rand() * 800);
  const item = {
    id,
    created_at: new Date(storyTime * 1000).toISOString(),
    created_at_i: storyTime,
    type: "story",
    author: `poster${i}`,
    title,
    url,
    text: null,
    points,
    parent_id: null,
    story_id: id,
    options: [],
    children: roots,
  };
  const hit: Hit = {
    created_at: item.created_at,
    title,
    url,
    author: item.author,
    points,
    story_text: null,
    num_comments: commentCount,
    created_at_i: storyTime,
    _tags: ["story", `author_${item.author}`, `story_${id}`],
    objectID: String(id),
  };
  return { url, title, pagePath, imagePath, page, hit, item };
}
