/** Headline cleaning: strips a site-name suffix or prefix ("Title - Site") from a page's raw title. */

/**
 * Separators that set a site name off a headline, each with spaces around it so that
 * hyphenated words ("Open-Source") and times ("9:30") are never split. The colon is a suffix
 * separator only: "Site: Headline" is how headlines are written ("OpenAI: the next model"),
 * while "Headline: Site" is a site's suffix.
 */
const SEPARATOR = /\s+(?:[-|–—·•»~/]|::)\s+|:\s+/g;

/** What is left must still look like a headline: at least 2 words and 10 characters. */
const MIN_WORDS_LEFT = 2;
const MIN_CHARS_LEFT = 10;

interface Split {
  start: number;
  end: number;
  colon: boolean;
}

/** Letters and digits only, lower case: "Techstrong.ai" and "techstrong.ai" both give "techstrongai". */
function key(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** The names a title part may use for the site: its name (with and without "The") and its domain. */
function siteKeys(siteName: string | null | undefined, pageUrl: string | null | undefined): Set<string> {
  const keys = new Set<string>();
  if (siteName) {
    keys.add(key(siteName));
    keys.add(key(siteName.replace(/^\s*the\s+/i, "")));
  }
  if (pageUrl) {
    let host: string;
    try {
      host = new URL(pageUrl).hostname.toLowerCase();
    } catch {
      host = "";
    }
    host = host.replace(/^www\d?\./, "");
    const labels = host.split(".").filter(Boolean);
    if (labels.length >= 2) {
      keys.add(key(host)); // "techstrong.ai"
      keys.add(key(labels.slice(-2).join("."))); // "example.com" for "blog.example.com"
      // The name before the public suffix: "techstrong" for techstrong.ai, "bbc" for bbc.co.uk.
      const twoPartSuffix = labels.length >= 3 && labels.at(-2)!.length <= 3 && labels.at(-1)!.length === 2;
      keys.add(key(labels.at(twoPartSuffix ? -3 : -2)!));
    }
  }
  keys.delete("");
  // One or two letters would match far too much ("AI", "X").
  for (const k of keys) if (k.length < 3) keys.delete(k);
  return keys;
}

function separators(title: string): Split[] {
  return [...title.matchAll(SEPARATOR)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    colon: m[0].trimStart().startsWith(":"),
  }));
}

function longEnough(rest: string): boolean {
  return rest.length >= MIN_CHARS_LEFT && rest.split(/\s+/).filter(Boolean).length >= MIN_WORDS_LEFT;
}

/**
 * The headline without a site-name suffix or prefix: "Open-Source AI Is the Only Way Forward
 * - Techstrong.ai" gives "Open-Source AI Is the Only Way Forward" when the site name is
 * "Techstrong.ai" or the page is on techstrong.ai. A part is stripped only when it names the
 * site (its `siteName`, or the domain of `pageUrl`) and what remains is still a headline
 * (2+ words, 10+ characters); any other separator is taken to be part of the headline and
 * kept. Whitespace is normalised either way.
 */
export function cleanTitle(raw: string, siteName?: string | null, pageUrl?: string | null): string {
  let title = raw.replace(/\s+/g, " ").trim();
  const keys = siteKeys(siteName, pageUrl);
  if (keys.size === 0) return title;

  // Strip from the end first ("Title | Section | Site" loses only "Site"), then the start.
  for (;;) {
    const splits = separators(title);
    const last = splits.at(-1);
    if (!last || !keys.has(key(title.slice(last.end)))) break;
    const rest = title.slice(0, last.start).trim();
    if (!longEnough(rest)) break;
    title = rest;
  }
  for (;;) {
    const first = separators(title)[0];
    if (!first || first.colon || !keys.has(key(title.slice(0, first.start)))) break;
    const rest = title.slice(first.end).trim();
    if (!longEnough(rest)) break;
    title = rest;
  }
  return title;
}
