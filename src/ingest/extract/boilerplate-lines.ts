/** Boilerplate rules that read a block's words: datelines, bylines and credits, calls to action, photo credits, the repeated headline. */
import { leafBlocks, removeGuarded, textOf, wordsIn, type PageContext } from "./boilerplate-dom.ts";

/** Removes every leaf block for which `isBoilerplate` holds; the count removed. */
function removeLines(root: Element, isBoilerplate: (text: string, words: number) => boolean): number {
  const total = textOf(root).length;
  let removed = 0;
  for (const block of leafBlocks(root)) {
    const text = textOf(block);
    if (isBoilerplate(text, wordsIn(text)) && removeGuarded(block, total)) removed++;
  }
  return removed;
}

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DATE = new RegExp(
  [
    `\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`,
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\b`,
    "\\b\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}\\b",
    "\\b\\d{1,2}:\\d{2}\\b",
    "\\b(?:19|20)\\d{2}\\b",
  ].join("|"),
  "i",
);
const DATE_WORDS = new RegExp(
  `${DATE.source}|\\b(?:${MONTH}|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|am|pm|a\\.m|p\\.m|[a-z]{2,4}t|utc|gmt|at|on|of|published|updated|posted|original|first|last|modified|by|de|às|\\d+)\\b`,
  "gi",
);

/**
 * A dateline: a short block that is a date or time with at most a few words around it
 * ("Published 10:02 AM EST Nov 19, 2019", "Updated Nov. 19, 6:55 AM", "19.11.2019, 08:57").
 */
export function isDateline(text: string, words: number): boolean {
  if (words > 20 || !DATE.test(text)) return false;
  const rest = wordsIn(text.replace(DATE_WORDS, " "));
  return rest <= Math.max(2, words * 0.25);
}

export function removeDatelines(root: Element, _page: PageContext): number {
  return removeLines(root, isDateline);
}

/**
 * Bylines and reporting credits: "By Justine Coleman", "Associated Press", "Reporting by …;
 * Editing by …", "Additional reporting by …", "… contributed to this report", "Write to … at".
 */
export function isCreditLine(text: string, words: number): boolean {
  if (words > 40) return false;
  if (/^by\b/i.test(text) && words <= 12 && !/[.!?]$/.test(text)) return true;
  if (/^(?:\(?(?:additional )?reporting by|editing by|written by|compiled by)\b/i.test(text)) return true;
  if (/\b(?:contributed (?:to this report|reporting)|contributed to this story)\.?\)?$/i.test(text)) return true;
  if (/^write to .{1,80} at \S+@\S+$/i.test(text)) return true;
  return /^(?:associated press|by reuters|reuters|afp|source: news agencies|via syndigate\.info)$/i.test(text);
}

export function removeCreditLines(root: Element, _page: PageContext): number {
  return removeLines(root, isCreditLine);
}

/**
 * Calls to action and widget labels, in short blocks: subscribe, sign up, newsletters, follow
 * us, share, comments, "read more", "you may also like", "skip to content", cookie notices.
 */
const CALL_TO_ACTION = new RegExp(
  [
    "^(?:sign (?:in|up)|log ?in|subscribe|subscriber services|newsletters?|advert(?:isement)?|ad|comments?|post comment.*|share(?: this)?.*|print(?: article)?|order reprints|text size|close|caption|enlarge image|menu|home|search|skip to content|loading(?: content)?\\.*|latest|popular|trending|highlights|more:?|read more:?|see more|iklan|tags?:?|view author archive|email the author|follow on twitter|about the author)$",
    "^(?:(?:click here|sign up|subscribe|follow us|follow @|get (?:the|breaking)|join our|want more|like this story|share it|don't miss|you may also like|read more(?: on)?|also on|tell us what|this website uses cookies|we use cookies|get .* delivered)\\b|(?:related(?: coverage)?|see more|read more|more)\\b[^:]{0,40}:)",
    "\\b(?:sign up (?:for|to) (?:our|the)\\b.*newsletter|newsletter\\b.*\\bsign up|subscribe to (?:our|the)\\b|follow us on|click here (?:to|for)|by clicking here)",
  ].join("|"),
  "i",
);

export function isCallToAction(text: string, words: number): boolean {
  return words <= 40 && CALL_TO_ACTION.test(text.replace(/^[\s"'“‘[(]+|[\s"'”’\])]+$/g, ""));
}

export function removeCallsToAction(root: Element, _page: PageContext): number {
  return removeLines(root, isCallToAction);
}

/** A photo credit or caption line: "Photo: …", "(Image: GETTY)", "Credit: EPA", "Image copyright Reuters", "Image 1 of 23". */
export function isPhotoCredit(text: string, words: number): boolean {
  if (words > 40) return false;
  if (/^(?:photo|image|picture|credit|foto|source|file photo)s?(?: credit)?\s*:/i.test(text)) return true;
  if (/^(?:image (?:copyright|caption)|media caption|media playback is unsupported|image \d+ of \d+)/i.test(text)) return true;
  if (/^©/.test(text) && words <= 4) return true;
  if (/\((?:image|photo|picture|credit)s?(?: credit)?:[^)]*\)$/i.test(text)) return true;
  if (/credit:\s*[^.]{1,60}$/i.test(text)) return true;
  return /(?:\(|\b)(?:ap photo|getty images|reuters|afp|epa)\b[^.]{0,60}\)?$/i.test(text) && !/[.!?]["”’]?$/.test(text);
}

export function removePhotoCredits(root: Element, _page: PageContext): number {
  return removeLines(root, isPhotoCredit);
}

/** Fold a headline for comparison: lower case, words only. */
function folded(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");
}

/** The headline repeated inside the text, and the page's own address printed as a line. */
export function removeRepeatedHeadline(root: Element, page: PageContext): number {
  const title = page.title ? folded(page.title) : "";
  const address = folded(page.url);
  return removeLines(root, (text) => {
    const line = folded(text);
    return (!!title && line === title) || (!!address && line === address) || /^https?:\/\/\S+$/.test(text);
  });
}
