/**
 * Stop words: two lists on purpose, each tuned for what it serves. Related articles compare
 * titles (words of three letters or more), the extractive summarizer scores sentences.
 */

/** Words too common to say two titles are about the same thing (related articles). */
export const TITLE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "the and for are but not you all any can had her was one our out has his how its may new now " +
    "see way who did get him let say she too use with from that this what when will your into " +
    "than then them they were been have more most much some such only over just about after " +
    "why where which while would could should their there these those being because does doing " +
    "here make makes made like also want isn aren don doesn didn won via"
  ).split(" "),
);

/** Words that carry no meaning when the extractive summarizer scores sentences and picks tags. */
export const SUMMARY_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out " +
    "over own same she should so some such than that the their theirs them themselves then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "says said say one two new like get got make made many much may might must us it's i'm i'd don't can't also even still yet"
  ).split(" "),
);
