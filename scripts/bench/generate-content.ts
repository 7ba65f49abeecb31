/** Writes N valid, varied generated articles into DIR/articles, for benchmarks and scale tests. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { heatScore } from "../../src/lib/heat.ts";
import { articleFileSchema, type ArticleInput } from "../../src/lib/article-schema.ts";

const WORDS = (
  "model agent open source weights benchmark inference cluster token context window reasoning " +
  "training data safety policy regulation chip startup funding research paper robot vision " +
  "language code compiler editor assistant search retrieval memory latency cost cloud edge " +
  "privacy copyright labor school clinic energy grid datacenter license community release"
).split(" ");
const SOURCES = ["techstrong.ai", "arstechnica.com", "theverge.com", "wired.com", "arxiv.org",
  "simonwillison.net", "github.com", "nytimes.com", "ft.com", "example.org", "blog.acme.dev"];
const SENTIMENTS = ["positive", "mixed", "negative", "neutral"] as const;
export const GENERATED_TAG_COUNT = 300;
const DAY_MS = 86_400_000;

/** Mulberry32: a tiny seeded PRNG so a given (n, seed) always writes the same articles. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tag i of the generated vocabulary, `<word>-<i>` (e.g. `model-000`): readable and predictable. */
export function generatedTag(i: number): string {
  return `${WORDS[i % WORDS.length]}-${String(i).padStart(3, "0")}`;
}

/** A long-tail (Zipf, s≈1.1) pick among the tags: a few are everywhere, most are rare. */
function zipfPicker(n: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 1.1);
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function sentence(random: () => number, words: number): string {
  const out = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]);
  const text = out.join(" ");
  return text[0].toUpperCase() + text.slice(1) + ".";
}

export interface GeneratedArticle {
  /** Path relative to DIR/articles. */
  file: string;
  slug: string;
  data: ArticleInput;
}

/** The i-th generated article, deterministic in (i, seed); dates spread over five years. */
export function generateArticle(i: number, n: number, random: () => number, pickTag: () => number): GeneratedArticle {
  const end = Date.UTC(2026, 5, 24);
  const published = new Date(end - Math.floor(((n - 1 - i) / Math.max(1, n - 1)) * 5 * 365 * DAY_MS));
  const date = published.toISOString().slice(0, 10);
  const titleWords = 5 + Math.floor(random() * 8);
  const title = sentence(random, titleWords).slice(0, -1);
  const slug = `${date}-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60).replace(/-+$/, "")}-${i}`;
  const tagCount = 2 + Math.floor(random() * 5);
  const tags = new Set<string>();
  while (tags.size < tagCount) tags.add(generatedTag(pickTag()));
  const points = Math.floor(random() ** 3 * 2000);
  const comments = Math.floor(points * (0.2 + random() * 0.8));
  const ids = Array.from({ length: 6 }, (_, k) => String(80_000_000 + i * 10 + k));
  const bullets = (from: number, count: number) =>
    Array.from({ length: count }, (_, k) => ({ text: sentence(random, 14 + Math.floor(random() * 12)), comments: [ids[from + k]] }));
  const data: ArticleInput = {
    title,
    originalTitle: `${title} - ${SOURCES[i % SOURCES.length]}`,
    url: `https://${SOURCES[i % SOURCES.length]}/articles/${slug}`,
    source: SOURCES[i % SOURCES.length],
    published,
    readingMinutes: 2 + Math.floor(random() * 15),
    summary: Array.from({ length: 3 }, () => sentence(random, 14 + Math.floor(random() * 10))).join(" "),
    takeaways: Array.from({ length: 3 + Math.floor(random() * 3) }, () => sentence(random, 16 + Math.floor(random() * 10))),
    tags: [...tags],
    sentiment: { label: SENTIMENTS[Math.floor(random() * 4)], positives: bullets(0, 3), concerns: bullets(3, 2) },
    discussion: {
      url: `https://news.ycombinator.com/item?id=${70_000_000 + i}`,
      site: "hacker-news",
      id: String(70_000_000 + i),
      points,
      comments,
      fetchedAt: new Date(published.getTime() + DAY_MS),
    },
    heat: heatScore({ points, comments }),
    extraction: random() < 0.05 ? "none" : "full",
  };
  return { file: join(date.slice(0, 4), `${slug}.md`), slug, data };
}

/** Writes n articles under dir/articles (validated against the schema) and returns them. */
export async function generateContent(n: number, dir: string, seed = 1): Promise<GeneratedArticle[]> {
  const random = seededRandom(seed);
  const pickTag = zipfPicker(GENERATED_TAG_COUNT, random);
  const articles: GeneratedArticle[] = [];
  const made = new Set<string>();
  for (let i = 0; i < n; i++) {
    const article = generateArticle(i, n, random, pickTag);
    articleFileSchema.parse(article.data);
    const year = join(dir, "articles", article.file.slice(0, 4));
    if (!made.has(year)) {
      await mkdir(year, { recursive: true });
      made.add(year);
    }
    const frontmatter = stringify({ ...article.data, published: (article.data.published as Date).toISOString().slice(0, 10) });
    await writeFile(join(dir, "articles", article.file), `---\n${frontmatter}---\n`);
    articles.push(article);
  }
  return articles;
}

if (import.meta.main) {
  const [count, dir] = process.argv.slice(2);
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || !dir) {
    console.error("usage: node scripts/bench/generate-content.ts N DIR");
    process.exit(2);
  }
  const started = performance.now();
  await generateContent(n, dir);
  console.log(`wrote ${n} articles to ${dir}/articles in ${Math.round(performance.now() - started)} ms`);
}
