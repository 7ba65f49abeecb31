/**
 * Search result cards, built in the browser from Pagefind's result data: title, source, date,
 * heat, tags, the picture's thumbnail, and the summary or excerpt with the query's words marked.
 * Everything is set as text nodes: titles and summaries come from articles, never parsed as HTML.
 */
import { excerptParts, highlightParts, type TextPart } from "./highlight.ts";
import type { PagefindResultData } from "./merge.ts";

/** Result data as Pagefind gives it, with the fields the card reads. */
export type ResultData = PagefindResultData & { excerpt?: string; filters?: Record<string, string[] | undefined> };

const DATE_FORMAT = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** Appends parts as text, marked ones inside <mark>. */
export function appendParts(parent: HTMLElement, parts: readonly TextPart[]): void {
  for (const part of parts) parent.append(part.mark ? el("mark", "", part.text) : document.createTextNode(part.text));
}

/** One result card. `terms` are the query's words (see queryTerms). */
export function renderResult({ url, meta, excerpt, filters }: ResultData, terms: readonly string[]): HTMLLIElement {
  const item = el("li", "result");
  const article = el("article", meta.image ? "result-card has-thumb" : "result-card");
  const heading = el("h2", "result-title");
  const link = el("a", "");
  link.href = url;
  appendParts(link, highlightParts(meta.title ?? url, terms));
  heading.append(link);
  article.append(heading);
  if (meta.image) {
    const thumb = el("img", "result-thumb");
    thumb.src = meta.image;
    thumb.alt = ""; // the title beside it says what the picture is about
    thumb.loading = "lazy";
    thumb.width = 128;
    thumb.height = 96;
    article.append(thumb);
  }
  const byline = el("p", "result-meta");
  if (meta.source) byline.append(el("span", "result-source", meta.source));
  if (meta.date) {
    const date = new Date(meta.date);
    const valid = !Number.isNaN(date.valueOf());
    const time = el("time", "", valid ? DATE_FORMAT.format(date) : meta.date);
    if (valid) time.dateTime = meta.date;
    byline.append(time);
  }
  const heat = Number(meta.heat);
  if (meta.heat && Number.isFinite(heat) && heat > 0) byline.append(el("span", "result-heat", `Heat ${heat}/100`));
  article.append(byline);
  const summaryParts = meta.summary ? highlightParts(meta.summary, terms) : [];
  // The summary when it holds a match (or there is no query); else Pagefind's excerpt, which shows where the words matched.
  const parts = summaryParts.some((p) => p.mark) || terms.length === 0 || !excerpt ? summaryParts : excerptParts(excerpt);
  if (parts.length > 0) {
    const summary = el("p", "result-summary");
    appendParts(summary, parts);
    article.append(summary);
  }
  const tags = filters?.tag ?? [];
  if (tags.length > 0) {
    const list = el("ul", "tags result-tags");
    list.setAttribute("aria-label", "Tags");
    for (const tag of tags) {
      const li = el("li", "");
      const a = el("a", "", tag);
      a.href = `/tags/${encodeURIComponent(tag)}/`;
      li.append(a);
      list.append(li);
    }
    article.append(list);
  }
  item.append(article);
  return item;
}
