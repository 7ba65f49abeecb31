/** Site-wide settings: names, URLs and page sizes, read by every page, feed and script. */
export const SITE = {
  name: "Themata.AI",
  /** The home page's tagline, shown in the rail beside every page. */
  tagline:
    "AI is changing the world. Don't stay behind. Clear summaries, community insight, delivered without the noise. Subscribe to never miss a beat.",
  description: "AI news with clear summaries, key takeaways and what the community thinks.",
  /** Public origin of the site; canonical URLs, feeds and the sitemap use it. */
  url: process.env.THEMATA_SITE_URL ?? "https://themata.ai",
  /** The repository, for "Suggest a fix" links to an article's Markdown file. */
  repoUrl: process.env.THEMATA_REPO_URL ?? "https://github.com/themata-ai/themata",
  repoBranch: "main",
  /** A note shown at the top of every page (the demo says where its articles come from); none when empty. */
  notice: process.env.THEMATA_SITE_NOTICE ?? "",
  /** Where the newsletter form posts an `email` field; the form is hidden when empty. */
  newsletterEndpoint: process.env.THEMATA_NEWSLETTER_ENDPOINT ?? "",
  /** Articles per page on the home page and tag pages (THEMATA_PAGE_SIZE overrides it, for tests). */
  pageSize: Number(process.env.THEMATA_PAGE_SIZE) || 20,
  /** Pages of latest articles on the home page (/, /2/ … /10/); older ones are in the archive, on tag pages and in search (THEMATA_HOME_PAGES overrides it, for tests). */
  homePages: Number(process.env.THEMATA_HOME_PAGES) || 10,
  /** Items per RSS feed (latest first). */
  feedSize: 50,
  /** Weeks in the digest feed (completed weeks, latest first). */
  digestFeedWeeks: 12,
  /** Popular tags: how many, and over how many days up to the newest article. */
  popularTags: 10,
  popularWindowDays: 90,
  /** Related articles shown under an article. */
  relatedCount: 5,
  locale: "en-US",
} as const;
