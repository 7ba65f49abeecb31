/** The topic filter: does a candidate's title and text speak of the site's subject (keywords, tag vocabulary)? */

/** What the filter matches against, from config `topic` and the tag vocabulary. */
export interface TopicRules {
  /** Words and phrases that each alone put a candidate on topic ("AI", "language model"). */
  keywords: readonly string[];
  /**
   * Tag slug → the keywords that suggest it (`TAG_VOCABULARY` in src/article/tags.ts), or null to
   * leave the vocabulary out. Many of its keywords are everyday words ("study", "chip",
   * "security"), so vocabulary terms put a candidate on topic only when they point to at
   * least two different tags ("GPU" + "inference"), never one word alone.
   */
  vocabulary: Readonly<Record<string, readonly string[]>> | null;
}

/** Why a candidate is (or is not) on topic: the keywords and vocabulary tags it matched. */
export interface TopicMatch {
  onTopic: boolean;
  /** Configured keywords found, as configured. */
  keywords: string[];
  /** Vocabulary tags whose keywords were found. */
  tags: string[];
}

/** Vocabulary terms from at least this many different tags put a candidate on topic. */
export const MIN_VOCABULARY_TAGS = 2;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A matcher for one term: case-insensitive, whole words only ("AI" does not match "said"),
 * an optional plural `s` ("LLM" matches "LLMs"), any run of spaces or hyphens where the
 * term has a space or hyphen ("open source" matches "open-source").
 */
export function termPattern(term: string): RegExp {
  const words = term
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join("[\\s-]+")}s?(?![\\p{L}\\p{N}])`, "iu");
}

/** A reusable filter: patterns are compiled once per run, not once per candidate. */
export function createTopicFilter(rules: TopicRules): (title: string, text?: string) => TopicMatch {
  const keywords = rules.keywords.filter((k) => k.trim()).map((k) => ({ term: k, pattern: termPattern(k) }));
  const tags = Object.entries(rules.vocabulary ?? {}).map(([tag, terms]) => ({
    tag,
    patterns: terms.filter((t) => t.trim()).map(termPattern),
  }));
  return (title, text = "") => {
    // Title and text are searched apart so a term cannot straddle the seam between them.
    const found = (pattern: RegExp) => pattern.test(title) || pattern.test(text);
    const matchedKeywords = keywords.filter((k) => found(k.pattern)).map((k) => k.term);
    const matchedTags = tags.filter((t) => t.patterns.some(found)).map((t) => t.tag);
    return {
      onTopic: matchedKeywords.length > 0 || matchedTags.length >= MIN_VOCABULARY_TAGS,
      keywords: matchedKeywords,
      tags: matchedTags,
    };
  };
}

/** One-off form of `createTopicFilter`. */
export function matchTopic(rules: TopicRules, title: string, text?: string): TopicMatch {
  return createTopicFilter(rules)(title, text);
}
