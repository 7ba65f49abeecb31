/** The offline summarizer: no model, deterministic; sentences picked from the article, tags by keyword, sentiment by lexicon. */
import { fail, ok, type Result } from "../../../article/result.ts";
import { splitSentences, truncateText } from "../../shared/sentences.ts";
import type { Summarizer, Summary, SummaryInput, SummaryOutput, ThreadExcerpt } from "../../types.ts";
import { NO_USAGE } from "../../budget/cost.ts";
import { contentWords, overlap, similarity, tokens } from "../words.ts";
import { keywordTags } from "./keyword-tags.ts";
import { lexiconSentiment } from "../sentiment-lexicon.ts";
import { groundExtractive } from "./extractive-grounding.ts";

export { keywordTags } from "./keyword-tags.ts";
export { lexiconSentiment, sentencePolarity } from "../sentiment-lexicon.ts";

export const EXTRACTIVE_PROVIDER = "extractive";
export const EXTRACTIVE_MODEL = "extractive-v1";
/** Goes into provenance; bump it whenever the picking rules below change what they pick. */
export const EXTRACTIVE_PROMPT_VERSION = "extractive-2";

/** Longest summary, in characters (the site shows it as one short paragraph). */
export const SUMMARY_MAX_CHARS = 600;
/** The article schema's limits for takeaways. */
const TAKEAWAY_MAX_CHARS = 600;
const MAX_TAKEAWAYS = 5;
const MIN_TAKEAWAYS = 3;
/** Sentences read from the start of a long article: enough for its gist, bounded work. */
const MAX_SENTENCES = 300;

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
    /^["'“‘([]?[\p{Lu}\p{N}]/u.test(sentence)
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
      score: (0.6 * centrality + 0.25 * position + 0.15 * titleShare) * Math.min(1, 0.5 + sentence.length / 160),
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
    bases.push({
      text: d.text,
      note: input.text.trim() ? null : `Summarised from the post on ${siteName(d)}, as there is no article text.`,
    });
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
// The summarizer

/**
 * The whole output for one input, or why there is none: a summary of 1–3 top sentences (at
 * most 600 characters), 3–5 takeaways that do not repeat it, tags by keyword, and the
 * comments' sentiment. When the article has too few sentences, takeaways come from the
 * thread's post and then its comments; fewer than 3 in all fails the item.
 */
export function extractiveSummary(input: SummaryInput): Result<SummaryOutput> {
  const picked = extractivePicks(input);
  return picked.ok ? ok(picked.value.output) : picked;
}

/** The output, and the sentences its summary was made of (what it cites). */
function extractivePicks(input: SummaryInput): Result<{ output: SummaryOutput; summarySentences: string[]; summaryText: string }> {
  const bases = basisOf(input);
  if (bases.length === 0) return fail(`nothing to summarise: no article text and no discussion (${input.url})`);
  const [main, ...fallbacks] = bases;

  const ranked = rankSentences(main.text, input.title);
  const prose = ranked.filter((s) => s.eligible);
  // Sentences that do not read as prose are used only when prose alone cannot fill the output.
  const pool = prose.length >= 1 + MIN_TAKEAWAYS ? prose : [...prose, ...ranked.filter((s) => !s.eligible && s.words.size >= 3)];
  if (pool.length === 0)
    return fail(`nothing to summarise: no sentence in the ${main.note ? "discussion" : "article text"} (${input.url})`);

  const room = SUMMARY_MAX_CHARS - (main.note ? main.note.length + 1 : 0);
  const clipped = pool.map((s) => ({ ...s, text: truncateText(s.text, TAKEAWAY_MAX_CHARS) }));
  const summarySentences = pickSummary(clipped, Math.max(1, Math.min(3, clipped.length - MIN_TAKEAWAYS)), room);
  const summaryText =
    summarySentences.length > 0 ? summarySentences.map((s) => s.text).join(" ") : truncateText([...clipped].sort(byScore)[0].text, room);
  const summary = main.note ? `${main.note} ${summaryText}` : summaryText;

  let takeaways = pickTakeaways(clipped, summarySentences, MAX_TAKEAWAYS).map((s) => s.text);
  // With article text, takeaways rest on the article alone: a short article gets fewer, never the discussion's words.
  const fromArticle = input.text.trim().length > 0;
  if (fromArticle && takeaways.length === 0) {
    return fail(`too little text for a takeaway: no distinct sentence beside the summary (${input.url})`);
  }
  for (const basis of fromArticle ? [] : fallbacks) {
    if (takeaways.length >= MIN_TAKEAWAYS) break;
    const more = rankSentences(basis.text, input.title)
      .filter((s) => s.words.size >= 3)
      .map((s) => ({ ...s, text: truncateText(s.text, TAKEAWAY_MAX_CHARS) }));
    const taken = [...summarySentences, ...clipped.filter((s) => takeaways.includes(s.text))];
    takeaways = [...takeaways, ...pickTakeaways(more, taken, MIN_TAKEAWAYS - takeaways.length).map((s) => s.text)];
  }
  if (!fromArticle && takeaways.length < MIN_TAKEAWAYS) {
    return fail(
      `too little text for ${MIN_TAKEAWAYS} takeaways: ${takeaways.length} distinct sentence(s) beside the summary (${input.url})`,
    );
  }

  const tagBody = input.text.trim() ? input.text : bases.map((b) => b.text).join("\n\n");
  const tags = keywordTags(input.title, tagBody, input.vocabulary);
  const sentiment = lexiconSentiment(input.discussion?.excerpt ?? []);
  const output: SummaryOutput = { summary, takeaways, tags, ...(sentiment ? { sentiment } : {}) };
  const sentences = summarySentences.length > 0 ? summarySentences.map((s) => s.text) : [summaryText];
  return ok({ output, summarySentences: sentences, summaryText });
}

/** The `extractive` provider: offline, free, the same output for the same input. */
export function createExtractiveSummarizer(): Summarizer {
  return {
    name: EXTRACTIVE_PROVIDER,
    async summarize(input: SummaryInput, signal?: AbortSignal): Promise<Result<Summary>> {
      if (signal?.aborted) return fail(`summary of ${input.url} aborted`);
      const picked = extractivePicks(input);
      if (!picked.ok) return picked;
      const grounded = groundExtractive(input, picked.value.output, picked.value.summarySentences, picked.value.summaryText);
      if (!grounded.ok) return grounded;
      return ok({
        output: grounded.value.output,
        grounding: grounded.value.grounding,
        usage: { ...NO_USAGE },
        provider: EXTRACTIVE_PROVIDER,
        model: EXTRACTIVE_MODEL,
        promptVersion: EXTRACTIVE_PROMPT_VERSION,
        costUsd: 0,
      });
    },
  };
}
