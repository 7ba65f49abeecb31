/** The grounding check: each claim of an answer against the passages it cites, deterministic and without a model; every failure a sentence a person can read. */
import type { Passage, Passages } from "../passages.ts";
import { sentencePolarity } from "../sentiment-lexicon.ts";
import { splitSentences } from "../../shared/sentences.ts";
import { contentWords } from "../words.ts";
import { COMMON_WORDS, fold, isNameWord, oppositesOf, quotedSpans, quoteForm, stem, words } from "./claim-words.ts";

import { isNegator, memoStemmer, negatedPairsOf, negatedStemsOf, wordRuns, type Stemmer } from "./negation.ts";
import { findNumbers, holdsNumber, numberSet, type NumberSet } from "./numbers.ts";

/** Goes into provenance with the answer that passed; bump it whenever a rule or threshold below changes. */
export const GROUNDING_CHECK_VERSION = "grounding-5";

/**
 * Share of a claim's content words (stemmed, numbers aside) that its cited passages must
 * contain. Tuned on the benchmark's tuning half (scripts/bench/grounding.ts): a takeaway
 * restates its passages, so most of its words are theirs; the summary condenses several, and a
 * headline may use the words of the original title.
 */
export const COVERAGE_THRESHOLDS = { takeaway: 0.6, summary: 0.5, title: 0.5 } as const;

export type ClaimField = "title" | "summary" | "takeaway" | "positive" | "concern";

/** One claim of an answer: its text and the passage (or comment) ids it cites. */
export interface Claim {
  field: ClaimField;
  /** Position within its field (0-based); the reason says it 1-based. */
  index: number;
  text: string;
  cites: readonly string[];
}

export interface ClaimFailure {
  claim: Claim;
  /** Each a full sentence: "takeaway 2: '$9 billion' is not in passages P14, P15". */
  reasons: string[];
}

export interface GroundingContext {
  /** The cleaned original title: a replacement headline may use its words. */
  originalTitle?: string;
}

/** What a claim is called in a reason. */
export function claimLabel(claim: Pick<Claim, "field" | "index">): string {
  switch (claim.field) {
    case "title":
      return "title";
    case "summary":
      return "summary";
    case "takeaway":
      return `takeaway ${claim.index + 1}`;
    case "positive":
      return `sentiment positive ${claim.index + 1}`;
    case "concern":
      return `sentiment concern ${claim.index + 1}`;
  }
}

/** What the check needs of one passage, computed once per passage per answer. */
interface Indexed {
  stems: Set<string>;
  numbers: NumberSet;
  folded: string;
  quoteText: string;
  negated: boolean;
  /** Stems of the words a negation governs ("licensed" in "not licensed"; common words aside). */
  negatedStems: Set<string>;
  /** "were able" for "were not able": the words on both sides of each negation, stemmed; a claim saying them side by side has dropped it. */
  negatedPairs: Set<string>;
  /** Every run of two and three words, stemmed: a run the text also says plainly is no dropped negation. */
  plainRuns: Set<string>;
  tone: "positive" | "negative" | "neutral";
}

function indexText(text: string, withTone: boolean, st: Stemmer): Indexed {
  const folded = fold(text);
  const stems = new Set(words(folded).map(st));
  let tone: Indexed["tone"] = "neutral";
  if (withTone) {
    let positive = 0;
    let negative = 0;
    for (const sentence of splitSentences(text)) {
      const p = sentencePolarity(sentence);
      positive += p.positive;
      negative += p.negative;
    }
    tone = positive > negative ? "positive" : negative > positive ? "negative" : "neutral";
  }
  const lowerWords = words(folded.toLowerCase());
  return {
    stems,
    numbers: numberSet(folded),
    folded,
    quoteText: quoteForm(folded),
    negated: lowerWords.some(isNegator),
    negatedStems: negatedStemsOf(lowerWords, st),
    negatedPairs: negatedPairsOf(lowerWords, st),
    plainRuns: new Set(wordRuns(lowerWords, st)),
    tone,
  };
}

/** Indexes passages lazily, one answer at a time; the whole article only when a claim needs it. */
class PassageIndex {
  private readonly cache = new Map<string, Indexed>();
  private whole: Indexed | null = null;
  private wholeStems: Set<string> | null = null;
  private readonly passages: Passages;
  private readonly originalTitle: string;
  readonly stem: Stemmer = memoStemmer();
  constructor(passages: Passages, originalTitle: string) {
    this.passages = passages;
    this.originalTitle = originalTitle;
  }

  of(passage: Passage): Indexed {
    let found = this.cache.get(passage.id);
    if (!found) {
      found = indexText(passage.text, passage.kind === "comment", this.stem);
      this.cache.set(passage.id, found);
    }
    return found;
  }

  private articleText(): string {
    const kinds = this.passages.hasArticleText ? ["article"] : ["post", "comment"];
    const text = this.passages.list.filter((p) => kinds.includes(p.kind)).map((p) => p.text);
    return [this.originalTitle, ...text].join("\n\n");
  }

  /** The article (or, without article text, the post and comments) as one text, with the original title: what a headline is checked against. */
  article(): Indexed {
    this.whole ??= indexText(this.articleText(), false, this.stem);
    return this.whole;
  }

  /** Only the stems of the whole article: what the summary's names are looked up in (cheaper than `article()`). */
  articleStems(): Pick<Indexed, "stems"> {
    if (this.whole) return this.whole;
    if (!this.wholeStems) {
      this.wholeStems = new Set(words(fold(this.articleText())).map(this.stem));
    }
    return { stems: this.wholeStems };
  }
}

function union(parts: readonly Indexed[]): Indexed {
  if (parts.length === 1) return parts[0];
  return {
    stems: new Set(parts.flatMap((p) => [...p.stems])),
    numbers: { values: parts.flatMap((p) => p.numbers.values), percents: parts.flatMap((p) => p.numbers.percents) },
    folded: parts.map((p) => p.folded).join("\n"),
    // A quote may run from one cited passage into the next: join them as the text runs.
    quoteText: quoteForm(parts.map((p) => p.folded).join(" ")),
    negated: parts.some((p) => p.negated),
    negatedStems: new Set(parts.flatMap((p) => [...p.negatedStems])),
    negatedPairs: new Set(parts.flatMap((p) => [...p.negatedPairs])),
    plainRuns: new Set(parts.flatMap((p) => [...p.plainRuns])),
    tone: "neutral",
  };
}

function idList(ids: readonly string[]): string {
  return ids.length === 1 ? `passage ${ids[0]}` : `passages ${ids.join(", ")}`;
}

/** The kinds a claim may cite: the article's passages when there is article text, else the post and comments; bullets cite comments. */
function allowedKinds(field: ClaimField, passages: Passages): readonly Passage["kind"][] {
  if (field === "positive" || field === "concern") return ["comment"];
  return passages.hasArticleText ? ["article"] : ["post", "comment"];
}

/** Citations: present, known, and of the right kind. Returns the cited passages, or the reasons they cannot be used. */
function citedPassages(claim: Claim, passages: Passages, label: string): { cited: Passage[]; reasons: string[] } {
  const reasons: string[] = [];
  const kinds = allowedKinds(claim.field, passages);
  const what = kinds.includes("article")
    ? "article passages (P1, P2, …)"
    : kinds.includes("post")
      ? "post passages (Q1, …) or comment ids"
      : "comment ids";
  if (claim.cites.length === 0) {
    if (claim.field !== "title") reasons.push(`${label}: cites nothing; cite the ${what} it rests on`);
    return { cited: [], reasons };
  }
  const cited: Passage[] = [];
  for (const id of claim.cites) {
    const passage = passages.byId.get(id);
    if (!passage) reasons.push(`${label}: cites ${id}, which is not among the passages sent`);
    else if (!kinds.includes(passage.kind)) {
      const is = passage.kind === "comment" ? "a comment" : passage.kind === "post" ? "a post passage" : "an article passage";
      reasons.push(`${label}: cites ${id}, ${is}; cite ${what}`);
    } else cited.push(passage);
  }
  return { cited, reasons };
}

/** The verb for `where`: "passage P1 says", "passages P1, P2 say". */
const verb = (where: string, one: string, many: string) => (where.startsWith("passages ") ? many : one);

/** A quoted span written in the claim, in the claim's own words, for a reason. */
const shown = (text: string) => `'${text.length > 80 ? `${text.slice(0, 77)}…` : text}'`;

/**
 * Numbers, names, quotes, opposites and negation of a claim against `basis`; `where` names it
 * in the reasons. Names missing from `basis` are looked up in `wider` (the whole article, for
 * the summary), built only when needed.
 */
function contentReasons(
  claim: Claim,
  label: string,
  basis: Indexed,
  wider: (() => Pick<Indexed, "stems">) | null,
  where: string,
  st: Stemmer,
  articleWide: (() => Pick<Indexed, "stems">) | null = null,
): string[] {
  const reasons: string[] = [];
  const text = fold(claim.text);
  for (const n of findNumbers(text, { claim: true })) {
    if (!holdsNumber(basis.numbers, n)) reasons.push(`${label}: ${shown(n.text)} is not in ${where}`);
  }
  const headline = claim.field === "title";
  /** Each missing name, with where it was looked for. */
  const missingNames = new Map<string, string>();
  // A capitalised first word of a sentence is as likely an ordinary word ("Political support…")
  // as a name: it may come from anywhere in the article, not only the cited passages.
  const firstWords = new Set(text.split(/(?<=[.!?:;]["'”’)\]]*)\s+/).map((sentence) => words(sentence)[0]));
  for (const word of words(text)) {
    const check = headline ? !COMMON_WORDS.has(word.toLowerCase()) && !/^\d+$/.test(word) && word.length > 2 : isNameWord(word);
    if (!check) continue;
    const key = st(word);
    const parts = word
      .split(/[-.&']/)
      .filter(Boolean)
      .map(st);
    const inText = (names: Pick<Indexed, "stems">) => names.stems.has(key) || (parts.length > 1 && parts.every((p) => names.stems.has(p)));
    const ordinary = firstWords.has(word) && !/\p{N}|\p{Ll}\p{Lu}/u.test(word);
    const elsewhere = wider ?? (ordinary ? articleWide : null);
    if (!inText(basis) && !(elsewhere && inText(elsewhere()))) missingNames.set(word, headline || elsewhere ? "the article" : where);
  }
  for (const [word, lookedIn] of missingNames) reasons.push(`${label}: the name ${shown(word)} is not in ${lookedIn}`);
  for (const quote of quotedSpans(text)) {
    if (!basis.quoteText.includes(quoteForm(quote))) reasons.push(`${label}: the quote "${quote}" is not word for word in ${where}`);
  }
  const lower = words(text.toLowerCase());
  const negator = lower.find(isNegator);
  if (negator && !basis.negated)
    reasons.push(`${label}: says ${shown(negator)}, but ${where} ${verb(where, "says", "say")} nothing of the kind`);
  else if (negator) {
    // A negation of a word the passages state without one ("will not receive" where they say "will receive").
    const negatedHere = [...negatedStemsOf(lower, st)].find((s) => basis.stems.has(s) && !basis.negatedStems.has(s));
    if (negatedHere)
      reasons.push(
        `${label}: negates ${shown(lower.find((w) => st(w) === negatedHere) ?? negatedHere)}, which ${where} ${verb(where, "states", "state")} without a negation`,
      );
  }
  const claimStems = new Set(lower.map(st));
  // A negation of the passages the claim drops: "were able" where they say "were not able".
  const dropped = wordRuns(lower, st).find((run) => basis.negatedPairs.has(run) && !basis.plainRuns.has(run));
  if (dropped) reasons.push(`${label}: says ${shown(dropped)} where ${where} ${verb(where, "negates", "negate")} it`);
  for (const s of claimStems) {
    if (basis.stems.has(s)) continue;
    const flipped = oppositesOf(s).find((o) => basis.stems.has(o) && !claimStems.has(o));
    if (flipped)
      reasons.push(
        `${label}: says ${shown(lower.find((w) => st(w) === s) ?? s)} where ${where} ${verb(where, "says", "say")} the opposite (${shown(flipped)})`,
      );
  }
  return reasons;
}

/** Share of the claim's content words (numbers aside) found in `basis`, and the words missing. */
export function coverage(text: string, basis: Pick<Indexed, "stems">, st: Stemmer = stem): { share: number; missing: string[] } {
  const content = [...new Set(contentWords(fold(text)).filter((w) => !/^\d[\d,.]*$/.test(w)))];
  if (content.length === 0) return { share: 1, missing: [] };
  const missing = content.filter((w) => !basis.stems.has(st(w)) && !w.split(/[-']/).every((p) => basis.stems.has(st(p))));
  return { share: 1 - missing.length / content.length, missing };
}

/** Checks one claim; an empty list means it is supported. */
function checkClaim(claim: Claim, passages: Passages, index: PassageIndex): string[] {
  const label = claimLabel(claim);
  const { cited, reasons } = citedPassages(claim, passages, label);
  if (reasons.length > 0) return reasons;
  const citedIndex = cited.map((p) => index.of(p));
  const where = idList(cited.map((p) => p.id));

  if (claim.field === "title") {
    // A headline stands for the whole article: checked against all of it (and the original title).
    const article = index.article();
    const found = contentReasons(claim, label, article, null, "the article", index.stem);
    const { share } = coverage(claim.text, article, index.stem);
    if (share < COVERAGE_THRESHOLDS.title) found.push(`${label}: too few of its words are in the article (${Math.round(share * 100)}%)`);
    return found;
  }

  const basis = union(citedIndex);
  if (claim.field === "positive" || claim.field === "concern") {
    const found = contentReasons(claim, label, basis, null, where, index.stem);
    const wanted = claim.field === "positive" ? "positive" : "negative";
    const opposite = wanted === "positive" ? "negative" : "positive";
    if (citedIndex.every((c) => c.tone === opposite)) {
      found.push(
        `${label}: a ${claim.field} resting only on ${cited.length === 1 ? "a comment" : "comments"} whose tone is ${opposite} (${cited.map((p) => p.id).join(", ")})`,
      );
    }
    return found;
  }

  const wider = claim.field === "summary" ? () => index.articleStems() : null;
  const found = contentReasons(claim, label, basis, wider, where, index.stem, () => index.articleStems());
  const threshold = claim.field === "summary" ? COVERAGE_THRESHOLDS.summary : COVERAGE_THRESHOLDS.takeaway;
  const { share, missing } = coverage(claim.text, basis, index.stem);
  if (share < threshold) {
    found.push(
      `${label}: only ${Math.round(share * 100)}% of its words are in ${where} (needs ${Math.round(threshold * 100)}%; missing: ${missing.slice(0, 6).join(", ")})`,
    );
  }
  return found;
}

/** Checks every claim against `passages`; the claims that fail, each with its reasons. */
export function checkGrounding(claims: readonly Claim[], passages: Passages, context: GroundingContext = {}): ClaimFailure[] {
  const index = new PassageIndex(passages, context.originalTitle ?? "");
  const failures: ClaimFailure[] = [];
  for (const claim of claims) {
    const reasons = checkClaim(claim, passages, index);
    if (reasons.length > 0) failures.push({ claim, reasons });
  }
  return failures;
}
