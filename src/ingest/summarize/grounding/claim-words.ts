/** Words of claims and passages for the grounding check: folding, light stemming, names, quotes, negation and opposites. */

/**
 * Text folded for comparison: compatibility forms (NFKC), one kind of dash, quote and
 * apostrophe, "..." for an ellipsis, whitespace collapsed. Case is kept (names need it).
 */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2010-\u2015\u2212\u00AD]/g, (c) => (c === "\u00AD" ? "" : "-"))
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/\u2026/g, "...")
    .replace(/\s+/g, " ")
    .trim();
}

/** Words as written (case kept): letters and digits with inner hyphens, apostrophes, dots and ampersands ("GPT-4o", "AT&T", "Node.js"). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[-'.&][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * A word's stem, so "released", "releases" and "release" compare equal: possessive, plural,
 * -ing, -ed, -ly and a final e come off, and a doubled final consonant is halved. Crude on
 * purpose: it only has to make a paraphrase's inflections meet the passage's.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s?$/, "");
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ied") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (/(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

/**
 * Words common enough that, capitalised, they are not a name: function words, sentence
 * openers, and the ordinary words of news headlines. A capitalised word outside this list (or
 * a word mixing letters and digits) must appear in the text the claim cites.
 */
export const COMMON_WORDS = new Set(
  (
    "a about above across after again against all almost along already also although always am among an and another any anyone " +
    "anything are around as at away back be because been before behind being below between beyond both but by can cannot could did " +
    "do does doing done down during each either else enough even ever every everyone everything few for from further had has have " +
    "having he her here hers him his how however i if in including inside instead into is it its itself just least less like many " +
    "may me meanwhile might more moreover most much must my near neither never nevertheless new next no none nor not nothing now of " +
    "off often on once one only onto or other others otherwise our out over own per perhaps rather same several she should since so " +
    "some someone something sometimes soon still such than that the their them themselves then there therefore these they this " +
    "those though through throughout thus to today together too toward towards under unless unlike until up upon us very via was we " +
    "well were what whatever when whenever where whereas whether which while who whom whose why will with within without would yet " +
    "you your yes according additionally after-all again also-known alternatively ultimately finally first firstly second secondly " +
    "third last lastly overall similarly specifically notably importantly instead indeed meanwhile later earlier currently recently " +
    "previously initially critics commenters commentators users people researchers developers engineers experts analysts companies " +
    "company firms firm startups startup teams team authors author writers writer readers reader many most some several others " +
    "officials regulators lawmakers governments government investors customers employees workers staff scientists students " +
    "members participants respondents participants article post report study paper blog essay piece thread discussion " +
    "community story news update analysis review guide interview opinion explainer announcement " +
    "new old big small large major minor key top best worst better worse more less open closed free early late high low long short " +
    "fast slow real true false full half whole general public private global local national international " +
    "ai model models llm llms agent agents tool tools data system systems software hardware chip chips lab labs " +
    "how why what when where who which says said say tells told shows shown show finds found find reveals revealed reveal " +
    "launches launched launch unveils unveiled unveil releases released release announces announced announce introduces " +
    "introduced introduce adds added add gets got get makes made make takes took take gives gave give brings brought bring " +
    "wants want needs need could should would will can may might must is are was were be been has have had do does did " +
    "against amid over under into onto about after before behind beyond between during since until via with without " +
    "vs versus here there this that these those its it's it his her their our your my " +
    "monday tuesday wednesday thursday friday saturday sunday " +
    "ask show tell hn"
  ).split(/\s+/),
);

/** True when a word, as written, reads as a name: a capital, an inner capital, or letters mixed with digits. */
export function looksLikeName(word: string): boolean {
  if (/\p{L}/u.test(word) && /\p{N}/u.test(word)) return true;
  return /^\p{Lu}/u.test(word) || /\p{Ll}\p{Lu}/u.test(word);
}

/** A word to check as a name (see `looksLikeName`), unless it is a common word. */
export function isNameWord(word: string): boolean {
  // A figure with a scale ("27B", "1.2bn") is a number: the number check reads it.
  if (/^\d[\d,.]*(?:k|m|mn|mln|b|bn|t|tn)$/i.test(word)) return false;
  if (!looksLikeName(word)) return false;
  if (/\p{L}/u.test(word) && /\p{N}/u.test(word)) return true;
  const lower = word.toLowerCase().replace(/'s?$/, "");
  return !COMMON_WORDS.has(lower) && !COMMON_WORDS.has(stem(lower)) && lower.length > 1;
}

/** Text in quotation marks: double quotes of any style, or single curly quotes; at least two characters. */
export function quotedSpans(text: string): string[] {
  const spans: string[] = [];
  for (const m of text.matchAll(/[“"„«]([^“”"„«»]{2,}?)[”"»]/g)) spans.push(m[1]);
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])‘([^‘’]{2,}?)’(?![\p{L}\p{N}])/gu)) spans.push(m[1]);
  return spans.map((s) => s.trim()).filter((s) => s.length >= 2);
}

/** Text folded for a verbatim-quote comparison: `fold`, lower case, punctuation at the ends ignored. */
export function quoteForm(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/["']/g, "'")
    .replace(/^[\s,.;:!?'-]+|[\s,.;:!?'-]+$/g, "");
}

/**
 * Words that say "not" (and every "…n't"). Not "without" or "lacks": a paraphrase uses them
 * freely for what a passage says another way.
 */
export const NEGATORS = new Set("not no never cannot nor neither".split(" "));

/** The word a negator leans on: "cannot" → "can", "doesn't" → "does", "won't" → "will"; none for "not" itself. */
export function negatedAuxiliary(negator: string): string | null {
  if (negator === "cannot" || negator === "can't") return "can";
  if (negator === "won't") return "will";
  if (negator === "shan't") return "shall";
  return negator.endsWith("n't") ? negator.slice(0, -3) : null;
}

/** Pairs of opposites by stem: a claim with one where its passages have only the other has flipped the fact. */
const OPPOSITE_PAIRS: [string, string][] = [
  ["increase", "decrease"],
  ["rise", "fall"],
  ["rose", "fell"],
  ["grew", "shrank"],
  ["grow", "shrink"],
  ["gain", "loss"],
  ["more", "fewer"],
  ["higher", "lower"],
  ["faster", "slower"],
  ["cheaper", "pricier"],
  ["better", "worse"],
  ["best", "worst"],
  ["larger", "smaller"],
  ["bigger", "smaller"],
  ["largest", "smallest"],
  ["win", "lose"],
  ["won", "lost"],
  ["approve", "reject"],
  ["support", "oppose"],
  ["allow", "ban"],
  ["accept", "reject"],
  ["success", "failure"],
  ["succeed", "fail"],
  ["strong", "weak"],
  ["stronger", "weaker"],
  ["safe", "unsafe"],
  ["legal", "illegal"],
  ["open", "closed"],
  ["before", "after"],
  ["first", "last"],
  ["easier", "harder"],
  ["easy", "hard"],
  ["cheap", "expensive"],
  ["up", "down"],
  ["above", "below"],
  ["outperform", "underperform"],
  ["positive", "negative"],
  ["praise", "criticise"],
  ["praised", "criticised"],
  ["likely", "unlikely"],
  ["able", "unable"],
  ["public", "private"],
  ["add", "remove"],
  ["added", "removed"],
  ["raise", "cut"],
  ["ahead", "behind"],
  ["beat", "trail"],
];
const OPPOSITES = new Map<string, string[]>();
for (const [a, b] of OPPOSITE_PAIRS) {
  for (const [x, y] of [
    [stem(a), stem(b)],
    [stem(b), stem(a)],
  ])
    OPPOSITES.set(x, [...(OPPOSITES.get(x) ?? []), y]);
}

/** The opposites of a word's stem ("fell" for "rose"), or none. */
export function oppositesOf(wordStem: string): readonly string[] {
  return OPPOSITES.get(wordStem) ?? [];
}
