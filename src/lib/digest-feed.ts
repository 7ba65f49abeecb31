/** The digest feed's items: one per completed week, its content the week's digest as HTML (for RSS-to-email newsletters). */
import type { RSSFeedItem } from "@astrojs/rss";
import { articlePath } from "./articles.ts";
import { digestPath, weekClosed, weekLabel, type DigestWeek, type HeatedArticle } from "./digest.ts";
import { escapeXml } from "./feed.ts";
import { countOf } from "./format.ts";

export interface DigestArticle extends HeatedArticle {
  data: HeatedArticle["data"] & { summary: string; source: string; sentiment?: { label: string } };
}

/** A week's digest as an HTML fragment: each article's linked title, source, heat, sentiment and summary, all text escaped. */
export function digestHtml(week: DigestWeek<DigestArticle>, site: URL): string {
  const entries = week.articles.map((article) => {
    const href = new URL(articlePath(article.id), site).href;
    const facts = [
      article.data.source,
      `heat ${article.data.heat}/100`,
      article.data.sentiment && `community: ${article.data.sentiment.label}`,
    ]
      .filter(Boolean)
      .join(" · ");
    return `<h2><a href="${escapeXml(href)}">${escapeXml(article.data.title)}</a></h2><p><em>${escapeXml(facts)}</em></p><p>${escapeXml(article.data.summary)}</p>`;
  });
  return `<p>${escapeXml(`${countOf(week.articles.length, "article")} this week, hottest first.`)}</p>${entries.join("")}`;
}

/** One feed item per week given (completed weeks, newest first), dated the Monday after the week. */
export function digestFeedItems(weeks: readonly DigestWeek<DigestArticle>[], site: URL): RSSFeedItem[] {
  return weeks.map((week) => ({
    title: `Themata weekly digest: ${weekLabel(week)}`,
    link: digestPath(week.key),
    pubDate: weekClosed(week),
    description: `${countOf(week.articles.length, "article")}, hottest first: ${week.articles
      .slice(0, 3)
      .map((a) => a.data.title)
      .join("; ")}`,
    content: digestHtml(week, site),
  }));
}
