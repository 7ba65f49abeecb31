/** The offline summarizer: no model, deterministic; sentences picked from the article, tags by keyword, sentiment by lexicon. */
import { fail, ok, type Result } from "../../../article/result.ts";
import { splitSentences, truncateText } from "../sentences.ts";
import { TAG_VOCABULARY } from "../../../article/tags.ts";
import type { SentimentPoint } from "../../../article/schema.ts";
import type { Summarizer, Summary, SummaryInput, SummaryOutput, ThreadComment, ThreadExcerpt } from "../../types.ts";
import { NO_USAGE } from "../../budget/cost.ts";

export const EXTRACTIVE_PROVIDER = "extractive";
export const EXTRACTIVE_MODEL = "extractive-v1";
/** Goes into provenance; bump it whenever the picking rules below change what they pick. */
export const EXTRACTIVE_PROMPT_VERSION = "extractive-1";

/** Longest summary, in characters (the site shows it as one short paragraph). */
export const SUMMARY_MAX_CHARS = 600;
/** The article schema's limits for takeaways and sentiment bullets. */
const TAKEAWAY_MAX_CHARS = 600;
const BULLET_MAX_CHARS = 400;
const MAX_TAKEAWAYS = 5;
const MIN_TAKEAWAYS = 3;
const MAX_BULLETS = 5;
const MAX_TAGS = 6;
/** Sentences read from the start of a long article: enough for its gist, bounded work. */
const MAX_SENTENCES = 300;

// ---------------------------------------------------------------------------------------
// Words

const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out " +
    "over own same she should so some such than that the their theirs them themselves then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "says said say one two new like get got make made many much may might must us it's i'm i'd don't can't also even still yet"
  ).split(" "),
);

/** Lowercase words (letters, digits, inner apostrophes and hyphens). */
function tokens(text: string): string[] {
  return text.toLowerCase().replace(/[’‘]/g, "'").match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** The words that carry meaning: no stopwords, no single letters. */
function contentWords(text: string): string[] {
  return tokens(text).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared;
}

/** Share of words two sentences have in common (Jaccard of their content words). */
function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = overlap(a, b);
  return shared === 0 ? 0 : shared / (a.size + b.size - shared);
}

// ---------------------------------------------------------------------------------------
// Sentences: TextRank-lite

interface RankedSentence {
  text: string;
  /** Position in the text. */
  index: number;
  words: Set<string>;
  score: number;
  /** Reads as a sentence of prose: a fair length, ends like a sentence. */
  eligible: boolean;
}

function isProse(sentence: string, wordCount: number): boolean {
  return (
    sentence.length >= 40 &&
    sentence.length <= TAKEAWAY_MAX_CHARS &&
    wordCount >= 6 &&
    /[.!?…]["'”’)\]]*$/u.test(sentence) &&
    /^["'“‘(\[]?[\p{Lu}\p{N}]/u.test(sentence)
  );
}

/**
 * Scores each sentence of a text:
 *
 *   score = (0.6·centrality + 0.25·position + 0.15·title) · length
 *
 * `centrality` is TextRank (PageRank over a graph whose edges weigh how many content words two
 * sentences share, |A∩B| / (ln|A| + ln|B|), damping 0.85, 30 fixed iterations), scaled to 0–1:
 * a sentence that says what many others say is central to the text. `position` is
 * 1/√(1 + index): articles state their point early. `title` is the share of the title's content
 * words the sentence contains. `length` is min(1, 0.5 + characters/160): a short sentence says
 * little. All arithmetic is fixed, so the same text gives the same scores.
 */
export function rankSentences(text: string, title: string): RankedSentence[] {
  const sentences = splitSentences(text).slice(0, MAX_SENTENCES);
  const words = sentences.map((s) => new Set(contentWords(s)));
  const n = sentences.length;
  const weights: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const outSum = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const shared = overlap(words[i], words[j]);
      if (shared === 0 || words[i].size < 2 || words[j].size < 2) continue;
      const w = shared / (Math.log(words[i].size) + Math.log(words[j].size));
      weights[i][j] = weights[j][i] = w;
      outSum[i] += w;
      outSum[j] += w;
    }
  }
  let rank = new Array<number>(n).fill(1);
  for (let iteration = 0; iteration < 30; iteration++) {
    const next = new Array<number>(n).fill(0.15);
    for (let j = 0; j < n; j++) {
      if (outSum[j] === 0) continue;
      for (let i = 0; i < n; i++) if (weights[j][i] > 0) next[i] += (0.85 * rank[j] * weights[j][i]) / outSum[j];
    }
    rank = next;
  }
  const top = Math.max(...rank, 0);
  const titleWords = new Set(contentWords(title));
  return sentences.map((sentence, index) => {
    const centrality = top > 0 ? rank[index] / top : 0;
    const position = 1 / Math.sqrt(1 + index);
    const titleShare = titleWords.size > 0 ? overlap(words[index], titleWords) / titleWords.size : 0;
    return {
      text: sentence,
      index,
      words: words[index],
      score:
        (0.6 * centrality + 0.25 * position + 0.15 * titleShare) *
        Math.min(1, 0.5 + sentence.length / 160),
      eligible: isProse(sentence, tokens(sentence).length),
    };
  });
}

/** Best first; equal scores keep the text's order. */
const byScore = (a: RankedSentence, b: RankedSentence) => b.score - a.score || a.index - b.index;
const byPosition = (a: RankedSentence, b: RankedSentence) => a.index - b.index;

/** Two sentences sharing this much (Jaccard of content words) say the same thing. */
const SAME_POINT = 0.5;

/** The summary: up to 3 top sentences in the text's order, within `maxChars` (the first one cut if it alone is longer). */
function pickSummary(ranked: readonly RankedSentence[], maxSentences: number, maxChars: number): RankedSentence[] {
  const chosen: RankedSentence[] = [];
  let length = 0;
  for (const sentence of [...ranked].sort(byScore)) {
    if (chosen.length >= maxSentences || length >= maxChars / 2) break;
    if (chosen.some((c) => similarity(c.words, sentence.words) >= SAME_POINT)) continue;
    const added = sentence.text.length + (chosen.length > 0 ? 1 : 0);
    if (length + added > maxChars) continue;
    chosen.push(sentence);
    length += added;
  }
  return chosen.sort(byPosition);
}

/** Takeaways: the next best sentences, none repeating the summary or each other, in the text's order. */
function pickTakeaways(ranked: readonly RankedSentence[], exclude: readonly RankedSentence[], max: number): RankedSentence[] {
  const chosen: RankedSentence[] = [];
  for (const sentence of [...ranked].sort(byScore)) {
    if (chosen.length >= max) break;
    if ([...exclude, ...chosen].some((c) => c.text === sentence.text || similarity(c.words, sentence.words) >= SAME_POINT)) continue;
    chosen.push(sentence);
  }
  return chosen.sort(byPosition);
}

// ---------------------------------------------------------------------------------------
// What the summary rests on

interface Basis {
  text: string;
  /** Said before the summary when it does not rest on the article itself. */
  note: string | null;
}

function siteName(discussion: ThreadExcerpt): string {
  return discussion.site === "hacker-news" ? "Hacker News" : discussion.site;
}

/**
 * The article's text; when there is none (extraction "none"), the thread's own post (Ask HN,
 * Show HN), else the comments, with a note saying so.
 */
function basisOf(input: SummaryInput): Basis[] {
  const bases: Basis[] = [];
  if (input.text.trim()) bases.push({ text: input.text, note: null });
  const d = input.discussion;
  if (d?.text?.trim()) {
    bases.push({ text: d.text, note: input.text.trim() ? null : `Summarised from the post on ${siteName(d)}, as there is no article text.` });
  }
  if (d && d.excerpt.length > 0) {
    bases.push({
      text: d.excerpt.map((c) => c.text).join("\n\n"),
      note: `The article could not be read; this summary is drawn from its discussion on ${siteName(d)}.`,
    });
  }
  return bases;
}

// ---------------------------------------------------------------------------------------
// Tags

/**
 * One pattern for all keywords of a tag, longest first, so each mention counts once ("open-source
 * AI" is one mention, not three). Boundaries know letters beyond ASCII, unlike `\b`; a space in a
 * keyword also matches a hyphen ("open source" finds "open-source").
 */
function tagPattern(keywords: readonly string[]): RegExp {
  const bodies = [...new Set(keywords.map((k) => k.trim().toLowerCase()).filter(Boolean))]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((k) => k.split(/[\s-]+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s-]+"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${bodies.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}

/**
 * The keywords of a tag: the vocabulary's, plus the slug itself as words for multi-word slugs
 * (`open-source-ai` → "open source ai"); a tag outside the built-in vocabulary (config's
 * extra tags) is matched by its slug alone.
 */
function tagKeywords(tag: string): string[] {
  const listed = TAG_VOCABULARY[tag] ?? [];
  return tag.includes("-") || listed.length === 0 ? [...listed, tag.replace(/-/g, " ")] : [...listed];
}

function countMatches(pattern: RegExp, text: string): number {
  return text.match(pattern)?.length ?? 0;
}

/** Score a tag needs to be kept (see `keywordTags`). */
const TAG_THRESHOLD = 2.5;
/** The most general tag, used when no keyword matched at all. */
const FALLBACK_TAG = "machine-learning";

/**
 * Tags from the vocabulary by keyword, scored
 *
 *   score = 3·(title matches) + 2·ln(1 + (body matches per 1,000 words, at least over 1,000 words))
 *
 * so a keyword in the title counts most, and the body counts by how often the topic comes up
 * relative to its length (a mention or two in passing is not a topic). Tags scoring at least
 * 2.5 are kept (a title mention, or about 3 mentions per 1,000 words), best first, at most 6;
 * when fewer than 2 pass, the best others with any match fill up to 2; when nothing matches,
 * `machine-learning` (if in the vocabulary).
 */
export function keywordTags(title: string, body: string, vocabulary: readonly string[]): string[] {
  const bodyWords = Math.max(1000, tokens(body).length);
  const scored = [...new Set(vocabulary)]
    .map((tag, order) => {
      const pattern = tagPattern(tagKeywords(tag));
      const inTitle = countMatches(pattern, title);
      const inBody = countMatches(pattern, body);
      return { tag, order, score: 3 * inTitle + 2 * Math.log1p((inBody * 1000) / bodyWords), any: inTitle + inBody > 0 };
    })
    .filter((t) => t.any)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const tags = scored.filter((t) => t.score >= TAG_THRESHOLD).slice(0, MAX_TAGS);
  for (const t of scored) {
    if (tags.length >= 2) break;
    if (!tags.includes(t)) tags.push(t);
  }
  if (tags.length === 0) return vocabulary.includes(FALLBACK_TAG) ? [FALLBACK_TAG] : vocabulary.slice(0, 1);
  return tags.map((t) => t.tag);
}

// ---------------------------------------------------------------------------------------
// Sentiment: a small lexicon

const POSITIVE_WORDS = new Set(
  (
    "good great excellent amazing awesome impressive solid useful helpful help helps accessible affordable afford cheap cheaper " +
    "cheapest fast faster efficient reliable robust powerful capable promising interesting underrated elegant easy easier simple " +
    "better best love loved nice win wins winning works worked improve improves improved improvement improvements favours favors " +
    "favour favor benefit benefits beneficial competitive compete compelling exciting excited glad happy progress breakthrough " +
    "clever smart valuable worth enjoy enjoyed fun brilliant fantastic wonderful fair"
  ).split(" "),
);

const NEGATIVE_WORDS = new Set(
  (
    "bad worse worst terrible awful poor barrier barriers bottleneck expensive costly pricey overpriced unaffordable slow slower " +
    "broken buggy fail fails failed failure problem problems problematic issue issues risk risks risky dangerous harmful concern " +
    "concerns concerned worried worry worries worrying doubt doubts doubtful skeptical sceptical hype overhyped trailed trails " +
    "lag lags lagging gap locked lock-in misleading wrong useless unreliable limited limitation limitations disappointing " +
    "disappointed lacking lacks scam waste difficult unclear questionable unproven sad annoying hate fear fears threat threats " +
    "nightmare destroy destroys destroyed reckless scary flaw flaws flawed insecure vulnerable vulnerability leak leaks leaked " +
    "exploit exploited abuse harm harms unsafe frustrating frustrated broke regress regression worse-off ban banned"
  ).split(" "),
);

/** A word that turns the next few words around: "not locked", "do not help". */
const NEGATORS = new Set(
  "not no never cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't hardly without nor".split(" "),
);
const NEGATION_REACH = 3;
/** Words before "but" or "however" count half: the point comes after it ("I want this to be true, but …"). */
const CONTRASTS = new Set(["but", "however"]);

interface Polarity {
  positive: number;
  negative: number;
}

/** Positive and negative weight of one sentence, negation and contrast applied. */
export function sentencePolarity(sentence: string): Polarity {
  const result: Polarity = { positive: 0, negative: 0 };
  // Negation does not reach across a comma, colon or semicolon.
  const clauses = sentence.split(/[,;:()]/);
  const words = tokens(sentence);
  const contrastAt = words.findIndex((w) => CONTRASTS.has(w));
  let position = 0;
  for (const clause of clauses) {
    let negatedUntil = -1;
    for (const word of tokens(clause)) {
      const weight = contrastAt >= 0 && position < contrastAt ? 0.5 : 1;
      if (NEGATORS.has(word)) negatedUntil = position + NEGATION_REACH;
      else {
        const negated = position <= negatedUntil;
        const sign = POSITIVE_WORDS.has(word) ? 1 : NEGATIVE_WORDS.has(word) ? -1 : 0;
        const effective = negated ? -sign : sign;
        if (effective > 0) result.positive += weight;
        if (effective < 0) result.negative += weight;
      }
      position++;
    }
  }
  return result;
}

interface CommentVerdict {
  comment: ThreadComment;
  /** Rank in the excerpt (best first). */
  rank: number;
  side: "positive" | "negative";
  /** Weight on its own side: how much evidence it gives. */
  strength: number;
  /** The sentence that carries most of it. */
  sentence: string;
}

/** A comment's side (by the balance of its sentences) and its most telling sentence; null when neutral. */
function judgeComment(comment: ThreadComment, rank: number): CommentVerdict | null {
  const sentences = splitSentences(comment.text).map((text) => ({ text, polarity: sentencePolarity(text) }));
  const positive = sentences.reduce((sum, s) => sum + s.polarity.positive, 0);
  const negative = sentences.reduce((sum, s) => sum + s.polarity.negative, 0);
  if (positive === negative) return null;
  const side = positive > negative ? "positive" : "negative";
  const weightOf = (p: Polarity) => (side === "positive" ? p.positive : p.negative);
  let best = sentences[0];
  for (const s of sentences) if (weightOf(s.polarity) > weightOf(best.polarity)) best = s;
  return { comment, rank, side, strength: side === "positive" ? positive : negative, sentence: best.text };
}

/**
 * The community's verdict from a lexicon: each comment is positive or negative by the balance
 * of lexicon words in it (a negator flips the next three words; words before "but" count
 * half). Positives and concerns are the sentences carrying the strongest comments on each side
 * (by weight, then by the comment's rank), each citing its comment, at most 5 a side. The
 * label: no positive or negative comment → neutral; at least 75% positive → positive; at most
 * 25% → negative; otherwise mixed. No comments → no sentiment at all.
 */
export function lexiconSentiment(comments: readonly ThreadComment[]): SummaryOutput["sentiment"] {
  if (comments.length === 0) return undefined;
  const verdicts = comments.map((c, rank) => judgeComment(c, rank)).filter((v): v is CommentVerdict => v !== null);
  const bullets = (side: CommentVerdict["side"]): SentimentPoint[] =>
    verdicts
      .filter((v) => v.side === side)
      .sort((a, b) => b.strength - a.strength || a.rank - b.rank)
      .slice(0, MAX_BULLETS)
      .map((v) => ({ text: truncateText(v.sentence, BULLET_MAX_CHARS), comments: [v.comment.id] }));
  const positives = bullets("positive");
  const concerns = bullets("negative");
  const ups = verdicts.filter((v) => v.side === "positive").length;
  const total = verdicts.length;
  const label = total === 0 ? "neutral" : ups / total >= 0.75 ? "positive" : ups / total <= 0.25 ? "negative" : "mixed";
  return { label, positives, concerns };
}

// ---------------------------------------------------------------------------------------
// The summarizer

/**
 * The whole output for one input, or why there is none: a summary of 1–3 top sentences (at
 * most 600 characters), 3–5 takeaways that do not repeat it, tags by keyword, and the
 * comments' sentiment. When the article has too few sentences, takeaways come from the
 * thread's post and then its comments; fewer than 3 in all fails the item.
 */
export function extractiveSummary(input: SummaryInput): Result<SummaryOutput> {
  const bases = basisOf(input);
  if (bases.length === 0) return fail(`nothing to summarise: no article text and no discussion (${input.url})`);
  const [main, ...fallbacks] = bases;

  const ranked = rankSentences(main.text, input.title);
  const prose = ranked.filter((s) => s.eligible);
  // Sentences that do not read as prose are used only when prose alone cannot fill the output.
  const pool = prose.length >= 1 + MIN_TAKEAWAYS ? prose : [...prose, ...ranked.filter((s) => !s.eligible && s.words.size >= 3)];
  if (pool.length === 0) return fail(`nothing to summarise: no sentence in the ${main.note ? "discussion" : "article text"} (${input.url})`);

  const room = SUMMARY_MAX_CHARS - (main.note ? main.note.length + 1 : 0);
  const clipped = pool.map((s) => ({ ...s, text: truncateText(s.text, TAKEAWAY_MAX_CHARS) }));
  const summarySentences = pickSummary(clipped, Math.max(1, Math.min(3, clipped.length - MIN_TAKEAWAYS)), room);
  const summaryText =
    summarySentences.length > 0
      ? summarySentences.map((s) => s.text).join(" ")
      : truncateText([...clipped].sort(byScore)[0].text, room);
  const summary = main.note ? `${main.note} ${summaryText}` : summaryText;

  let takeaways = pickTakeaways(clipped, summarySentences, MAX_TAKEAWAYS).map((s) => s.text);
  for (const basis of fallbacks) {
    if (takeaways.length >= MIN_TAKEAWAYS) break;
    const more = rankSentences(basis.text, input.title)
      .filter((s) => s.words.size >= 3)
      .map((s) => ({ ...s, text: truncateText(s.text, TAKEAWAY_MAX_CHARS) }));
    const taken = [...summarySentences, ...clipped.filter((s) => takeaways.includes(s.text))];
    takeaways = [...takeaways, ...pickTakeaways(more, taken, MIN_TAKEAWAYS - takeaways.length).map((s) => s.text)];
  }
  if (takeaways.length < MIN_TAKEAWAYS) {
    return fail(`too little text for ${MIN_TAKEAWAYS} takeaways: ${takeaways.length} distinct sentence(s) beside the summary (${input.url})`);
  }

  const tagBody = input.text.trim() ? input.text : bases.map((b) => b.text).join("\n\n");
  const tags = keywordTags(input.title, tagBody, input.vocabulary);
  const sentiment = lexiconSentiment(input.discussion?.excerpt ?? []);
  return ok({ summary, takeaways, tags, ...(sentiment ? { sentiment } : {}) });
}

/** The `extractive` provider: offline, free, the same output for the same input. */
export function createExtractiveSummarizer(): Summarizer {
  return {
    name: EXTRACTIVE_PROVIDER,
    async summarize(input: SummaryInput, signal?: AbortSignal): Promise<Result<Summary>> {
      if (signal?.aborted) return fail(`summary of ${input.url} aborted`);
      const output = extractiveSummary(input);
      if (!output.ok) return output;
      return ok({
        output: output.value,
        usage: { ...NO_USAGE },
        provider: EXTRACTIVE_PROVIDER,
        model: EXTRACTIVE_MODEL,
        promptVersion: EXTRACTIVE_PROMPT_VERSION,
        costUsd: 0,
      });
    },
  };
}
