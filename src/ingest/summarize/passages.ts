/** Passages: the article text (or the thread's post) cut into numbered sentences a summary can cite, plus the comments by their ids. */
import type { SummaryInput } from "../types.ts";
import { splitSentences } from "../shared/sentences.ts";

/** Article text beyond this many characters is cut: the start of an article carries its gist and the cost stays bounded. */
export const DEFAULT_MAX_ARTICLE_CHARS = 30_000;
/** A sentence shorter than this joins the one before it in its paragraph ("Yes." says nothing alone). */
const MIN_PASSAGE_CHARS = 25;
/** Hard ceiling on passages, whatever the budget: a page of 10,000 one-word lines stays bounded. */
export const MAX_PASSAGES = 1_500;

/** What a passage is: the article's text, the thread's own post (Ask HN), or one comment. */
export type PassageKind = "article" | "post" | "comment";

export interface Passage {
  /** `P1`, `P2`… for the article, `Q1`, `Q2`… for the thread's post, the comment's own id for a comment. */
  id: string;
  kind: PassageKind;
  text: string;
}

export interface Passages {
  /** Every passage, in order: article, then post, then comments. */
  list: Passage[];
  byId: Map<string, Passage>;
  /** True when the article text could be read: summary, takeaways and headline must then cite article passages. */
  hasArticleText: boolean;
}

/** C0 controls (but tab and newline), DEL and C1 controls: never needed in prose, sometimes used to hide text. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Text as the prompt shows it: line ends unified, control characters removed. */
export function cleanData(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL_CHARS, "");
}

/** The article text within the character budget, exactly as the prompt cuts it. */
export function budgetedText(text: string, maxChars: number): { text: string; cut: boolean } {
  const clean = cleanData(text).trim();
  return clean.length > maxChars ? { text: clean.slice(0, maxChars), cut: true } : { text: clean, cut: false };
}

/**
 * A text cut into passages: its sentences, a very short one joined to the one before it in the
 * same paragraph. Ids number them in the text's order (`P1`…), so the same text always gives
 * the same ids; at most `MAX_PASSAGES`.
 */
export function textPassages(text: string, kind: "article" | "post", prefix: string): Passage[] {
  const out: Passage[] = [];
  // Paragraph by paragraph, so a short sentence never joins one from another paragraph.
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    let current: string | null = null;
    for (const sentence of splitSentences(paragraph)) {
      if (current !== null && sentence.length < MIN_PASSAGE_CHARS) current = `${current} ${sentence}`;
      else {
        if (current !== null) out.push({ id: "", kind, text: current });
        current = sentence;
      }
      if (out.length >= MAX_PASSAGES) break;
    }
    if (current !== null && out.length < MAX_PASSAGES) out.push({ id: "", kind, text: current });
    if (out.length >= MAX_PASSAGES) break;
  }
  return out.map((p, i) => ({ ...p, id: `${prefix}${i + 1}` }));
}

/**
 * The passages of one summary input: the article text within `maxChars` (the prompt's budget)
 * as `P` passages; the thread's post as `Q` passages; each comment sent as one passage under
 * its own id. With no article text (extraction none, Ask HN) there are only post and comment
 * passages, and a summary cites those.
 */
export function passagesOf(input: SummaryInput, maxChars: number = DEFAULT_MAX_ARTICLE_CHARS): Passages {
  const article = budgetedText(input.text, maxChars).text;
  const list: Passage[] = article ? textPassages(article, "article", "P") : [];
  const post = input.discussion?.text ? budgetedText(input.discussion.text, maxChars).text : "";
  if (post) list.push(...textPassages(post, "post", "Q"));
  for (const comment of input.discussion?.excerpt ?? []) {
    list.push({ id: comment.id, kind: "comment", text: cleanData(comment.text).trim() });
  }
  return fromList(list);
}

/** Passages from a stored list (a batch keeps the list it was sent with). */
export function fromList(list: readonly Passage[]): Passages {
  const byId = new Map<string, Passage>();
  for (const passage of list) if (!byId.has(passage.id)) byId.set(passage.id, passage);
  return { list: [...byId.values()], byId, hasArticleText: list.some((p) => p.kind === "article") };
}

/** Passages as the prompt lists them: one per line, `[P3] text`. */
export function passageLines(passages: readonly Passage[]): string {
  return passages.map((p) => `[${p.id}] ${p.text.replace(/\s+/g, " ")}`).join("\n");
}
