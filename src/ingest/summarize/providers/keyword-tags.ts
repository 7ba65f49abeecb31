/** Tags by keyword for the offline summarizer: the vocabulary's keywords counted in title and body. */
import { TAG_VOCABULARY } from "../../../article/tags.ts";
import { tokens } from "../words.ts";

/** Most tags kept. */
const MAX_TAGS = 6;

/**
 * One pattern for all keywords of a tag, longest first, so each mention counts once ("open-source
 * AI" is one mention, not three). Boundaries know letters beyond ASCII, unlike `\b`; a space in a
 * keyword also matches a hyphen ("open source" finds "open-source").
 */
function tagPattern(keywords: readonly string[]): RegExp {
  const bodies = [...new Set(keywords.map((k) => k.trim().toLowerCase()).filter(Boolean))]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((k) =>
      k
        .split(/[\s-]+/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[\\s-]+"),
    );
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${bodies.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}

/**
 * The keywords of a tag: the vocabulary's, plus the slug itself as words for multi-word slugs
 * (`open-source-ai` → "open source ai"); a tag outside the built-in vocabulary (config's
 * extra tags) is matched by its slug alone.
 */
function tagKeywords(tag: string): string[] {
  const listed = TAG_VOCABULARY[tag] ?? [];
  return tag.includes("-") || listed.length === 0 ? [...listed, tag.replace(/-/g, " ")] : [...listed];
}

function countMatches(pattern: RegExp, text: string): number {
  return text.match(pattern)?.length ?? 0;
}

/** Score a tag needs to be kept (see `keywordTags`). */
const TAG_THRESHOLD = 2.5;
/** The most general tag, used when no keyword matched at all. */
const FALLBACK_TAG = "machine-learning";

/**
 * Tags from the vocabulary by keyword, scored
 *
 *   score = 3·(title matches) + 2·ln(1 + (body matches per 1,000 words, at least over 1,000 words))
 *
 * so a keyword in the title counts most, and the body counts by how often the topic comes up
 * relative to its length (a mention or two in passing is not a topic). Tags scoring at least
 * 2.5 are kept (a title mention, or about 3 mentions per 1,000 words), best first, at most 6;
 * when fewer than 2 pass, the best others with any match fill up to 2; when nothing matches,
 * `machine-learning` (if in the vocabulary).
 */
export function keywordTags(title: string, body: string, vocabulary: readonly string[]): string[] {
  const bodyWords = Math.max(1000, tokens(body).length);
  const scored = [...new Set(vocabulary)]
    .map((tag, order) => {
      const pattern = tagPattern(tagKeywords(tag));
      const inTitle = countMatches(pattern, title);
      const inBody = countMatches(pattern, body);
      return { tag, order, score: 3 * inTitle + 2 * Math.log1p((inBody * 1000) / bodyWords), any: inTitle + inBody > 0 };
    })
    .filter((t) => t.any)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const tags = scored.filter((t) => t.score >= TAG_THRESHOLD).slice(0, MAX_TAGS);
  for (const t of scored) {
    if (tags.length >= 2) break;
    if (!tags.includes(t)) tags.push(t);
  }
  if (tags.length === 0) return vocabulary.includes(FALLBACK_TAG) ? [FALLBACK_TAG] : vocabulary.slice(0, 1);
  return tags.map((t) => t.tag);
}
