/** Negations in plain text for the grounding check: what a negator governs, and the phrases a claim says when it drops one. */
import { COMMON_WORDS, negatedAuxiliary, NEGATORS, stem } from "./claim-words.ts";

/** A stemmer that remembers: one per check, since an article repeats its words. */
export type Stemmer = (word: string) => string;
export function memoStemmer(): Stemmer {
  const seen = new Map<string, string>();
  return (word) => {
    let s = seen.get(word);
    if (s === undefined) seen.set(word, (s = stem(word)));
    return s;
  };
}
/** Words between a negator and what it negates ("is not yet fully licensed"). */
const NEGATION_FILLERS = new Set("a an the be been being to yet only always fully quite very so as that this it any all ever".split(" "));

export const isNegator = (w: string) => NEGATORS.has(w) || w.endsWith("n't");

interface Negation {
  /** Stems of the two words before the negation ("officials were" in "officials were not able"; "can" for "cannot"). */
  before: string | null;
  beforeThat: string | null;
  /** Stem of the first word after it, fillers skipped ("able"). */
  governed: string | null;
  /** Whether that word is a common one ("AI", "open"): too common to track on its own. */
  common: boolean;
}

function negationsOf(lowerWords: readonly string[], st: Stemmer): Negation[] {
  const out: Negation[] = [];
  lowerWords.forEach((w, i) => {
    if (!isNegator(w)) return;
    const auxiliary = negatedAuxiliary(w);
    const before = auxiliary ?? (i > 0 ? lowerWords[i - 1] : null);
    const beforeThat = auxiliary ? (i > 0 ? lowerWords[i - 1] : null) : i > 1 ? lowerWords[i - 2] : null;
    let governed: string | null = null;
    for (let j = i + 1; j < Math.min(lowerWords.length, i + 4); j++) {
      if (NEGATION_FILLERS.has(lowerWords[j])) continue;
      governed = lowerWords[j];
      break;
    }
    out.push({
      before: before === null ? null : st(before),
      beforeThat: beforeThat === null ? null : st(beforeThat),
      governed: governed === null ? null : st(governed),
      common: governed !== null && COMMON_WORDS.has(governed),
    });
  });
  return out;
}

export function negatedStemsOf(lowerWords: readonly string[], st: Stemmer): Set<string> {
  return new Set(negationsOf(lowerWords, st).flatMap((n) => (n.governed && !n.common ? [n.governed] : [])));
}

/** "were able" and "officials were able" for "officials were not able": what a claim says when it drops the negation. */
export function negatedPairsOf(lowerWords: readonly string[], st: Stemmer): Set<string> {
  const out = new Set<string>();
  for (const n of negationsOf(lowerWords, st)) {
    if (!n.before || !n.governed) continue;
    out.add(`${n.before} ${n.governed}`);
    if (n.beforeThat) out.add(`${n.beforeThat} ${n.before} ${n.governed}`);
  }
  return out;
}

/** Runs of two and three neighbouring words as stems, fillers skipped: "were able", "officials were able". */
export function wordRuns(lowerWords: readonly string[], st: Stemmer): string[] {
  const kept = lowerWords.filter((w) => !NEGATION_FILLERS.has(w)).map(st);
  const runs: string[] = [];
  for (let i = 1; i < kept.length; i++) {
    runs.push(`${kept[i - 1]} ${kept[i]}`);
    if (i > 1) runs.push(`${kept[i - 2]} ${kept[i - 1]} ${kept[i]}`);
  }
  return runs;
}
