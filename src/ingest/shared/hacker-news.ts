/** Hacker News names shared by the sources and the discussion stage: the site id and thread URLs. */
/** The `via` of every Hacker News candidate, its discussion `site`, and its source name in failures. */
export const HACKER_NEWS = "hacker-news";

/** The thread page of a Hacker News story. */
export const hnThreadUrl = (id: string) => `https://news.ycombinator.com/item?id=${id}`;
