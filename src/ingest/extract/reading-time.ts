/** Word counts and reading time: how long an article takes to read, from its extracted text. */

/**
 * Adult silent reading speed for non-fiction, in words per minute. 230 sits in the middle of
 * the 200–260 range that studies of English reading report (Brysbaert 2019 puts the mean at
 * 238), and is what most publishers' "N min read" labels assume.
 */
export const WORDS_PER_MINUTE = 230;

/**
 * Minutes to read `wordCount` words at {@link WORDS_PER_MINUTE}, rounded up so a reader is
 * never promised less than it takes, and at least 1 (a label of "0 min" helps no one).
 * Counts that are not a finite positive number (an empty page) also read as 1 minute.
 */
export function readingMinutes(wordCount: number): number {
  if (!Number.isFinite(wordCount) || wordCount <= 0) return 1;
  return Math.max(1, Math.ceil(wordCount / WORDS_PER_MINUTE));
}

// A word is what ICU's word segmenter calls word-like: this splits Chinese and Japanese,
// which use no spaces, into words instead of counting a whole paragraph as one.
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** The number of words in `text` (punctuation and whitespace are not words). */
export function countWords(text: string): number {
  let count = 0;
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) count++;
  return count;
}
