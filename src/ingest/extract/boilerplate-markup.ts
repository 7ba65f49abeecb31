/** Boilerplate rules that read the markup: figures and captions, boilerplate class names and roles, runs of link-only lines. */
import { leafBlocks, nameTokens, names, removeGuarded, textOf, wordsIn, type PageContext } from "./boilerplate-dom.ts";

/** Figures whose body is itself article text (a quote, code, a table), kept whole bar their caption. */
const TEXT_FIGURE = "blockquote, pre, code, table, ol, ul";

/**
 * Figure captions and photo credits: `<figcaption>`, elements named as captions or credits,
 * and figures holding only media (their text is the caption, a credit or "Media playback is
 * unsupported"). Readers see these under a picture; they are not the story.
 */
export function removeFigureCaptions(root: Element, _page: PageContext): number {
  const total = textOf(root).length;
  let removed = 0;
  for (const caption of Array.from(root.querySelectorAll("figcaption"))) if (removeGuarded(caption, total)) removed++;
  for (const element of Array.from(root.querySelectorAll("*"))) {
    if (!root.contains(element) || !isCaptionNamed(element)) continue;
    if (removeGuarded(element, total)) removed++;
  }
  for (const figure of Array.from(root.querySelectorAll("figure"))) {
    if (!root.contains(figure) || figure.querySelector(TEXT_FIGURE)) continue;
    if (textOf(figure) && removeGuarded(figure, total)) removed++;
  }
  return removed;
}

function isCaptionNamed(element: Element): boolean {
  const whole = names(element);
  if (whole.some((name) => /(?:^|[-_])(?:caption|credit|credits|copyright)(?:[-_]?text)?$/.test(name))) return true;
  const tokens = nameTokens(element);
  return tokens.includes("caption") && !tokens.includes("has");
}

/**
 * Words in class names and ids that mark a block as around the article rather than in it:
 * sharing, newsletter and subscription boxes, related and recommended stories, author bios,
 * tags, comments, adverts, breadcrumbs, print-only headers, timestamps.
 */
const BOILERPLATE_NAME_TOKENS = new Set([
  "share",
  "sharing",
  "social",
  "newsletter",
  "subscribe",
  "subscription",
  "signup",
  "singup",
  "related",
  "recommended",
  "recommendations",
  "promo",
  "trending",
  "popular",
  "rail",
  "bio",
  "author",
  "byline",
  "tags",
  "tag",
  "comments",
  "comment",
  "advert",
  "advertisement",
  "ad",
  "ads",
  "breadcrumb",
  "breadcrumbs",
  "print",
  "timestamp",
  "dateline",
  "disclaimer",
  "copyright",
  "cta",
  "toolbar",
  "tools",
  "controls",
  "flyout",
  "postinfo",
  "meta",
  "date",
  "attribution",
  "wpcnt",
  "sponsored",
  "outbrain",
  "taboola",
  "newsletters",
  "follow",
  "nav",
  "menu",
]);

/** Names that mark the article itself: never removed for a boilerplate word beside them. */
const ARTICLE_NAME_TOKENS = new Set(["body", "content", "text", "story", "main", "entry", "article", "post"]);

/**
 * Blocks named as boilerplate by their classes or id (see {@link BOILERPLATE_NAME_TOKENS}), or
 * with a landmark role or tag that is not the article (`nav`, `aside`, `footer`, navigation,
 * complementary, contentinfo), unless also named as the article's body.
 */
export function removeBoilerplateBlocks(root: Element, _page: PageContext): number {
  const total = textOf(root).length;
  let removed = 0;
  for (const element of Array.from(root.querySelectorAll("*"))) {
    if (!root.contains(element) || !isBoilerplateBlock(element)) continue;
    if (removeGuarded(element, total)) removed++;
  }
  return removed;
}

function isBoilerplateBlock(element: Element): boolean {
  const role = element.getAttribute("role");
  if (role === "navigation" || role === "complementary" || role === "contentinfo") return true;
  if (element.localName === "nav" || element.localName === "aside" || element.localName === "footer") return true;
  const tokens = nameTokens(element);
  if (!tokens.some((token) => BOILERPLATE_NAME_TOKENS.has(token))) return false;
  return !tokens.some((token) => ARTICLE_NAME_TOKENS.has(token));
}

/** Share of an element's text that sits inside links. */
export function linkShare(element: Element): number {
  const all = textOf(element).length;
  if (all === 0) return 0;
  let linked = 0;
  for (const link of Array.from(element.querySelectorAll("a"))) linked += textOf(link).length;
  return Math.min(1, linked / all);
}

/**
 * Short blocks that are all link, in a run of two or more or at either end of the text: menus,
 * "more stories" and lists of headlines. A lone linked line between paragraphs (a product or
 * a source the story points to) is part of the story and stays.
 */
export function removeLinkLines(root: Element, _page: PageContext): number {
  const total = textOf(root).length;
  const blocks = leafBlocks(root);
  const isLinkLine = blocks.map((block) => {
    const words = wordsIn(textOf(block));
    return words > 0 && words <= 20 && linkShare(block) >= 0.95;
  });
  let removed = 0;
  for (const [i, block] of blocks.entries()) {
    if (!isLinkLine[i]) continue;
    const inRun = i === 0 || i === blocks.length - 1 || isLinkLine[i - 1] || isLinkLine[i + 1];
    if (inRun && removeGuarded(block, total)) removed++;
  }
  return removed;
}
