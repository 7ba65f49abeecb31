/**
 * What a shared link shows: the article's picture, else its social card (made by the ingest and
 * stored beside the article as `<dir>/cards/<slug>.png`, so builds copy cards and never render
 * them), else the site's own card. Cards are found by one scan of the articles folder per build.
 */
import { readdir } from "node:fs/promises";
import { resolve } from "node:path";
import { ARTICLES_DIR } from "../article/schema.ts";
import { pageSlug } from "./articles.ts";

/** A picture to share, with its alt text and, when known, its size. */
export interface ShareImage {
  src: string;
  alt: string;
  width?: number;
  height?: number;
}

/** The site's own card, for pages that have none of their own (public/social-card.png). */
export const SITE_CARD: ShareImage = {
  src: "/social-card.png",
  alt: "Themata.AI: AI news with clear summaries and community insight",
  width: 1200,
  height: 630,
};

/** The publisher's logo, for JSON-LD (public/icon-512.png). */
export const PUBLISHER_LOGO = { src: "/icon-512.png", width: 512, height: 512 };

/** `/cards/<slug>.png`: where the site serves an article's card. */
export function cardUrlPath(id: string): string {
  return `/cards/${pageSlug(id)}.png`;
}

/** Collection ids of the articles with a card, from the file paths under the articles folder. */
export function cardIds(relativePaths: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const path of relativePaths) {
    const match = /^(?:(.*)[\\/])?cards[\\/]([^\\/]+)\.png$/.exec(path);
    if (match) ids.add(match[1] ? `${match[1].replace(/\\/g, "/")}/${match[2]}` : match[2]);
  }
  return ids;
}

let cards: Promise<Set<string>> | undefined;

/** The ids of the articles that have a card stored beside them, read once per build. */
export function getCardIds(): Promise<Set<string>> {
  cards ??= readdir(resolve(ARTICLES_DIR), { recursive: true }).then(cardIds, () => new Set<string>());
  return cards;
}

/** The card file of an article, for the build to copy. */
export function cardFile(id: string): string {
  const slash = id.lastIndexOf("/");
  return resolve(ARTICLES_DIR, slash >= 0 ? id.slice(0, slash) : ".", "cards", `${pageSlug(id)}.png`);
}
