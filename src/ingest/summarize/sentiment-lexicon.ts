/** Tone of comments by a small lexicon: sentence polarity with negation and contrast, and the community verdict built from it. */
import type { SentimentPoint } from "../../article/schema.ts";
import type { SummaryOutput, ThreadComment } from "../types.ts";
import { splitSentences, truncateText } from "../shared/sentences.ts";
import { tokens } from "./words.ts";

/** The article schema's limits for sentiment bullets. */
const BULLET_MAX_CHARS = 400;
const MAX_BULLETS = 5;

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
  "not no never cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't hardly without nor".split(
    " ",
  ),
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
