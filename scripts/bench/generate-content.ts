/**
 * Writes N valid, varied generated articles into DIR/articles, for benchmarks and scale tests.
 *   node scripts/bench/generate-content.ts N DIR [--seed S]
 * Deterministic in (N, seed). Lengths follow the sample articles in content/articles (title
 * 20–80 characters, a 1–3 sentence summary of 200–300, 3–5 takeaways of 100–190, 1–3 positives
 * and concerns of 60–190 citing comments); words, tags and sources are long-tailed (Zipf), so
 * the search index sees a realistic vocabulary; dates spread over five years.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { heatScore } from "../../src/article/heat.ts";
import { fingerprint } from "../../src/article/fingerprint.ts";
import { TAGS } from "../../src/article/tags.ts";
import { articleFileSchema, type ArticleInput } from "../../src/article/schema.ts";
import { seededRandom } from "../fixtures/seeded-random.ts";

/** The most frequent words, real English and AI-news words, in rough frequency order. */
const COMMON_WORDS = (
  "the of and to a in for is on that with as it by from at are this be its has new an will more " +
  "ai model models can than about says but not data open how they their one which have said after " +
  "into over what when also use used using company companies people could would first other most " +
  "training source language code research users agents agent safety policy government chips chip " +
  "startup funding benchmark inference cluster token tokens context window reasoning weights paper " +
  "robot robots vision compiler editor assistant search retrieval memory latency cost cloud edge " +
  "privacy copyright labor school clinic energy grid datacenter license community release released " +
  "developers developer tools tool product products market billion million years year week today " +
  "openai anthropic google meta microsoft nvidia apple amazon deepmind mistral claude gemini llama " +
  "gpt chatgpt copilot europe china states united law lawsuit court act rules regulators lawmakers " +
  "study researchers scientists university lab labs team teams engineers workers jobs hiring layoffs " +
  "price prices cheaper faster smaller larger bigger better worse best largest open-weight local " +
  "hardware gpu gpus servers server performance quality accuracy errors mistakes hallucinations " +
  "security attack attacks prompt injection jailbreak alignment risk risks harm harms ethics bias " +
  "video image images audio speech voice music text documents books articles news media publishers " +
  "health medical doctors patients hospital education students teachers schools children parents"
).split(" ");
/** Syllables the rare words are made of (distinct, pronounceable, never a common word). */
const ONSETS = ["b", "br", "c", "ch", "d", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pl", "r", "s", "st", "t", "tr", "v", "w", "z"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
const CODAS = ["", "n", "r", "s", "x", "nd", "rt", "l", "m"];
/** Words in the generated vocabulary (Zipf 1.3): about 10k distinct words at 1k articles, 45k at 10k, 145k at 100k. */
export const VOCABULARY_SIZE = 200_000;
export const GENERATED_TAG_COUNT = 300;
const SOURCE_COUNT = 400;
const SENTIMENTS = ["positive", "mixed", "negative", "neutral"] as const;
const DAY_MS = 86_400_000;
const YEARS = 5;
/** The newest generated date: the day of the open-source AI sample article (2026-06-24). */
const END = Date.UTC(2026, 5, 24);

/** A rare word made of syllables, distinct for each i (a mixed-radix spelling of i). */
function syllableWord(i: number): string {
  let word = "";
  let rest = i;
  do {
    word += ONSETS[rest % ONSETS.length];
    rest = Math.floor(rest / ONSETS.length);
    word += VOWELS[rest % VOWELS.length];
    rest = Math.floor(rest / VOWELS.length);
    word += CODAS[rest % CODAS.length];
    rest = Math.floor(rest / CODAS.length);
  } while (rest > 0);
  return word;
}

/** Word i of the vocabulary, by frequency rank: the common words first, then rare made-up ones. */
export function vocabularyWord(i: number): string {
  return i < COMMON_WORDS.length ? COMMON_WORDS[i] : `${syllableWord(i - COMMON_WORDS.length)}${i % 7 === 0 ? "ing" : ""}`;
}

/**
 * Tag i of the generated vocabulary: the site's real tags first (most used), then made-up
 * two-word slugs such as `brai-models-040`: readable, predictable, and long-tailed in use.
 */
export function generatedTag(i: number): string {
  if (i < TAGS.length) return TAGS[i];
  return `${syllableWord(i * 7)}-${COMMON_WORDS[((i * 13) % 60) + 20]}-${String(i).padStart(3, "0")}`;
}

/** Source i: a few big sites carry most articles, and a long tail of blogs. */
export function generatedSource(i: number): string {
  const tld = ["com", "org", "net", "io", "dev", "ai", "news", "co.uk"][i % 8];
  return i % 5 === 4 ? `${syllableWord(i)}.substack.com` : `${syllableWord(i + 11)}${i % 3 === 0 ? "tech" : ""}.${tld}`;
}

/** A long-tail (Zipf, exponent s) pick among n ranks: a few are everywhere, most are rare. */
export function zipfPicker(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** s;
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

export interface GeneratedArticle {
  /** Path relative to DIR/articles: `<YYYY>/<slug>.md`. */
  file: string;
  slug: string;
  data: ArticleInput;
  /** The editor's Markdown note under the frontmatter ("" for most articles). */
  body: string;
}

interface Pickers {
  random: () => number;
  word: () => number;
  tag: () => number;
  source: () => number;
}

function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function words(p: Pickers, count: number): string[] {
  return Array.from({ length: count }, () => vocabularyWord(p.word()));
}

function sentence(p: Pickers, count: number): string {
  const text = words(p, count).join(" ");
  return text[0].toUpperCase() + text.slice(1) + ".";
}

/** Sentences of `minWords`–`maxWords` words until the text reaches `minChars`. */
function prose(p: Pickers, minChars: number, minWords: number, maxWords: number): string {
  let text = sentence(p, between(p.random, minWords, maxWords));
  while (text.length < minChars) text += ` ${sentence(p, between(p.random, minWords, maxWords))}`;
  return text;
}

function titleCase(list: string[]): string {
  return list.map((w, i) => (i === 0 || w.length > 3 ? w[0].toUpperCase() + w.slice(1) : w)).join(" ");
}

/** The i-th of n generated articles (oldest first), deterministic in (i, n, the pickers' seed). */
export function generateArticle(i: number, n: number, p: Pickers): GeneratedArticle {
  const { random } = p;
  // Evenly over five years, oldest first, several a day at large n.
  const published = new Date(END - Math.floor(((n - 1 - i) / Math.max(1, n - 1)) * YEARS * 365) * DAY_MS);
  const date = published.toISOString().slice(0, 10);
  const titleWords = words(p, between(random, 4, 11));
  const title = titleCase(titleWords);
  const slugWords = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
  const slug = `${date}-${slugWords}-${i}`;
  const source = generatedSource(p.source());

  const tagCount = [2, 3, 3, 4, 4, 4, 5, 6][Math.floor(random() * 8)];
  const tags = new Set<string>();
  while (tags.size < tagCount) tags.add(generatedTag(p.tag()));

  const withDiscussion = random() >= 0.05;
  const points = Math.floor(random() ** 3 * 2000);
  const comments = Math.floor(points * (0.2 + random() * 0.8));
  const threadId = String(40_000_000 + i * 100);
  let nextComment = 1;
  const bullets = (count: number) =>
    Array.from({ length: count }, () => ({
      text: prose(p, 60, 10, 28).slice(0, 380),
      comments: Array.from({ length: between(random, 1, 2) }, () => String(40_000_000 + i * 100 + nextComment++)),
    }));
  const extractionRoll = random();
  const extraction = extractionRoll < 0.05 ? "none" : extractionRoll < 0.12 ? "partial" : "full";

  const data: ArticleInput = {
    title,
    ...(random() < 0.3 ? { originalTitle: `${title}: ${titleCase(words(p, between(random, 2, 5)))}` } : {}),
    url: `https://${source}/${published.getUTCFullYear()}/${slugWords}`,
    source,
    published,
    readingMinutes: between(random, 2, 16),
    summary: prose(p, 200, 14, 30).slice(0, 1900),
    takeaways: extraction === "none" ? [] : Array.from({ length: between(random, 3, 5) }, () => prose(p, 100, 15, 28).slice(0, 580)),
    tags: [...tags],
    ...(withDiscussion
      ? {
          sentiment: {
            label: SENTIMENTS[Math.floor(random() * 4)],
            positives: bullets(between(random, 1, 3)),
            concerns: bullets(between(random, 1, 3)),
          },
          discussion: {
            url: `https://news.ycombinator.com/item?id=${threadId}`,
            site: "hacker-news",
            id: threadId,
            points,
            comments,
            fetchedAt: new Date(published.getTime() + DAY_MS),
          },
          heat: heatScore({ points, comments }),
        }
      : { heat: 0 }),
    extraction,
    provenance: {
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      promptVersion: "summary-3",
      generatedAt: new Date(published.getTime() + DAY_MS),
      inputHash: fingerprint([i, title]).repeat(5).slice(0, 64),
    },
  };
  // What the writer stores: a short hash of each field it wrote.
  const written = ["title", "summary", "takeaways", "tags", "sentiment", "heat"] as const;
  data.fingerprints = Object.fromEntries(written.filter((f) => data[f] !== undefined).map((f) => [f, fingerprint(data[f])]));
  // A few articles carry an editor's note: Markdown the site renders under the summary.
  const body = random() < 0.03 ? `${prose(p, 150, 10, 25)}\n\n- ${sentence(p, 8)}\n- [${sentence(p, 3)}](https://${source}/)\n` : "";
  return { file: join(date.slice(0, 4), `${slug}.md`), slug, data, body };
}

/** The file text of a generated article: YAML frontmatter as the writer formats it, then the body. */
export function articleFileText(article: GeneratedArticle): string {
  const frontmatter = stringify({ ...article.data, published: isoDay(article.data.published) });
  return `---\n${frontmatter}---\n${article.body}`;
}

function isoDay(value: ArticleInput["published"]): string {
  return new Date(value as Date).toISOString().slice(0, 10);
}

/** The n articles of a random seed, oldest first, without writing them (validated against the schema). */
export function* generateArticles(n: number, seed = 1): Generator<GeneratedArticle> {
  const random = seededRandom(seed);
  const pickers: Pickers = {
    random,
    word: zipfPicker(VOCABULARY_SIZE, 1.3, random),
    tag: zipfPicker(GENERATED_TAG_COUNT, 0.9, random),
    source: zipfPicker(SOURCE_COUNT, 1.1, random),
  };
  for (let i = 0; i < n; i++) {
    const article = generateArticle(i, n, pickers);
    const checked = articleFileSchema.safeParse(article.data);
    if (!checked.success) throw new Error(`generated article ${article.file} breaks the schema: ${checked.error.message}`);
    yield article;
  }
}

/** Writes n articles under dir/articles (in year folders) and returns them, oldest first. */
export async function generateContent(n: number, dir: string, seed = 1): Promise<GeneratedArticle[]> {
  const articles: GeneratedArticle[] = [];
  const made = new Set<string>();
  let pending: Promise<void>[] = [];
  for (const article of generateArticles(n, seed)) {
    const year = join(dir, "articles", article.file.slice(0, 4));
    if (!made.has(year)) {
      await mkdir(year, { recursive: true });
      made.add(year);
    }
    pending.push(writeFile(join(dir, "articles", article.file), articleFileText(article)));
    if (pending.length >= 64) {
      await Promise.all(pending);
      pending = [];
    }
    articles.push(article);
  }
  await Promise.all(pending);
  return articles;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: "string", default: "1" } } });
  const [count, dir] = positionals;
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || !dir) {
    console.error("usage: node scripts/bench/generate-content.ts N DIR [--seed S]");
    process.exit(2);
  }
  const started = performance.now();
  await generateContent(n, dir, Number(values.seed));
  console.log(`wrote ${n} articles to ${dir}/articles in ${Math.round(performance.now() - started)} ms`);
}
