/** Heat: how lively an article's discussion is, as one 0–100 figure. */

export interface Engagement {
  /** Upvotes of the story. */
  points: number;
  /** Number of comments in the thread. */
  comments: number;
}

/** Engagement that scores 100: far above the busiest Hacker News threads (~10,000). */
export const HEAT_FULL_ENGAGEMENT = 40_000;
/** A comment counts twice a point: writing one is more effort than a click. */
export const COMMENT_WEIGHT = 2;

/**
 * heat = round(100 · ln(1 + points + 2·comments) / ln(1 + 40,000)), clamped to 0–100.
 *
 * Logarithmic because engagement is long-tailed: 10 points is already a signal, and the
 * difference between 2,000 and 3,000 points matters little. Examples: 0 → 0, 10 points and
 * 2 comments → 26, 312 points and 13 comments → 55 (the open-source AI sample article), 2,000 and 800 → 77.
 */
export function heatScore({ points, comments }: Engagement): number {
  const engagement = Math.max(0, points) + COMMENT_WEIGHT * Math.max(0, comments);
  const heat = (100 * Math.log1p(engagement)) / Math.log1p(HEAT_FULL_ENGAGEMENT);
  return Math.min(100, Math.max(0, Math.round(heat)));
}

/** How many of `total` flames are lit for a heat: lit in proportion, at least one when hot at all. */
export function litFlames(heat: number, total = 5): number {
  if (heat <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round((heat / 100) * total)));
}
