/**
 * Builds the grounding benchmark's labelled set with a seeded mutator: faithful claims
 * (passages copied, trimmed, merged or reworded with the same facts) and unfaithful ones (a
 * number changed, a name swapped or invented, a quote altered, a polarity flipped, a fact from
 * another article), from the real article texts in tests/fixtures/grounding/ and comments of
 * the fixture threads. The output, tests/fixtures/grounding/claims.json, is committed; the
 * check is tuned on half of it ("tune") and reported on both.
 * Usage: node scripts/bench/grounding-set.ts [seed=9] [articles=aeb-dev-articles.json] [out=claims.json]
 * (the held-out set: `2026 aeb-dev-articles-holdout.json claims-holdout.json`, pages never tuned on).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { excerptThread, parseHnItem } from "../../src/ingest/discussion/discussion.ts";
import { textPassages, type Passage } from "../../src/ingest/summarize/passages.ts";
import { sentencePolarity } from "../../src/ingest/summarize/sentiment-lexicon.ts";
import { splitSentences } from "../../src/ingest/shared/sentences.ts";
import { contentWords } from "../../src/ingest/summarize/words.ts";
import { seededRandom } from "../fixtures/seeded-random.ts";

export type ClaimKind = "faithful" | "number" | "name" | "quote" | "polarity" | "cross-article";

export interface LabelledClaim {
  /** Which article (its index in aeb-dev-articles.json) or thread (`thread:<id>`). */
  source: string;
  half: "tune" | "test";
  kind: ClaimKind;
  /** How it was made (copy, trim, number changed…), for reading the failures. */
  how: string;
  field: "summary" | "takeaway" | "positive" | "concern";
  text: string;
  cites: string[];
}

const root = new URL("../../", import.meta.url);
const fixtures = new URL("tests/fixtures/grounding/", root);

const seed = Number(process.argv[2] ?? 9);
const random = seededRandom(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const NAMES = [
  "Microsoft",
  "Nvidia",
  "Anthropic",
  "Samsung",
  "Oracle",
  "Siemens",
  "Alibaba",
  "Reuters",
  "Brussels",
  "Osaka",
  "Okafor",
  "Lindqvist",
  "Martinez",
  "Petrov",
  "Accenture",
  "Deloitte",
  "Huawei",
  "Baidu",
  "Pfizer",
  "Toyota",
  "Kraków",
  "Nairobi",
];
/** The mutator's own opposites: some the check knows, some it does not. */
const OPPOSITES: [string, string][] = [
  ["increased", "decreased"],
  ["rose", "fell"],
  ["more", "fewer"],
  ["higher", "lower"],
  ["larger", "smaller"],
  ["better", "worse"],
  ["won", "lost"],
  ["approved", "rejected"],
  ["supports", "opposes"],
  ["strong", "weak"],
  ["before", "after"],
  ["best", "worst"],
  ["early", "late"],
  ["cheaper", "costlier"],
  ["easier", "harder"],
  ["gained", "lost"],
  ["success", "failure"],
  ["allowed", "banned"],
];
const NEGATABLE = [" is ", " are ", " was ", " were ", " will ", " can ", " has ", " have ", " would ", " could ", " should "];

interface Article {
  page: string;
  text: string;
}
const articlesFile = process.argv[3] ?? "aeb-dev-articles.json";
const outFile = process.argv[4] ?? "claims.json";
const articles = (JSON.parse(readFileSync(new URL(articlesFile, fixtures), "utf8")) as { articles: Article[] }).articles;

/** Passages fit to cite alone: a prose sentence of fair length. */
const usable = (p: Passage) =>
  p.text.length >= 60 && p.text.length <= 500 && p.text.split(/\s+/).length >= 8 && /[.!?]["'”’)]*$/.test(p.text);

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The same facts in other words: a lead-in dropped, a trailing clause cut, figures reformatted, a reporting verb changed, or a frame added. */
function paraphrase(text: string): { text: string; how: string } | null {
  const moves: [string, (t: string) => string | null][] = [
    [
      "lead-in dropped",
      (t) => {
        const m =
          /^(However|But|And|Also|Still|Meanwhile|In addition|Instead|Now|So|Yet|Indeed|Of course|Today|Last week|This week),?\s+/.exec(t);
        return m ? capitalise(t.slice(m[0].length)) : null;
      },
    ],
    [
      "clause cut",
      (t) => {
        const at = t.lastIndexOf(", ");
        if (at < 0) return null;
        const kept = t.slice(0, at);
        return kept.split(/\s+/).length >= 0.6 * t.split(/\s+/).length && kept.split(/\s+/).length >= 6 ? `${kept}.` : null;
      },
    ],
    [
      "figures reformatted",
      (t) => {
        const out = t
          .replace(/(\d),(\d{3})(?!\d)/g, "$1$2")
          .replace(/(\d+(?:\.\d+)?) percent/g, "$1%")
          .replace(/\$(\d+(?:\.\d+)?) billion/g, "$$$1B")
          .replace(/\$(\d+(?:\.\d+)?) million/g, "$$$1M");
        return out !== t ? out : null;
      },
    ],
    [
      "verb changed",
      (t) => {
        const out = t
          .replace(/\bsaid\b/, "stated")
          .replace(/\bsays\b/, "states")
          .replace(/\bannounced\b/, "unveiled")
          .replace(/\bbought\b/, "purchased");
        return out !== t ? out : null;
      },
    ],
    [
      "framed",
      (t) =>
        /^[A-Z][a-z]+ /.test(t) && /^(The|A|An|It|This|In|On|For|At|We|They) /.test(t)
          ? `According to the article, ${t.charAt(0).toLowerCase()}${t.slice(1)}`
          : null,
    ],
  ];
  const order = [...moves].sort(() => random() - 0.5);
  for (const [how, move] of order) {
    const out = move(text);
    if (out) return { text: out, how: `paraphrase: ${how}` };
  }
  return null;
}

/** A number in the text changed to another value in the same format. */
function changeNumber(text: string): { text: string; how: string } | null {
  const numbers = [...text.matchAll(/(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)/g)];
  if (numbers.length === 0) return null;
  const m = pick(numbers);
  const raw = m[0];
  const plain = Number(raw.replace(/,/g, ""));
  let next: string;
  if (/^(19|20)\d\d$/.test(raw)) next = String(plain + pick([-3, -2, -1, 1, 2, 3]));
  else if (raw.includes(".")) {
    const decimals = raw.split(".")[1].length;
    next = (plain + pick([1, 2, 3]) * 10 ** -decimals * pick([-1, 1]) * (1 + Math.floor(random() * 3))).toFixed(decimals);
  } else
    next =
      plain <= 1
        ? String(plain + pick([2, 3, 4]))
        : String(plain + pick([-1, 1]) * Math.max(1, Math.round(plain * pick([0.1, 0.25, 0.5]))));
  if (raw.includes(",")) next = Number(next).toLocaleString("en-US");
  if (next === raw || Number(next) < 0) return null;
  return { text: text.slice(0, m.index) + next + text.slice(m.index! + raw.length), how: `number: ${raw} → ${next}` };
}

/** A capitalised word mid-sentence (a name) swapped for one the article never mentions, or one added beside it. */
function changeName(text: string, article: string): { text: string; how: string } | null {
  const names = [...text.matchAll(/(?<=[a-z,;] )[A-Z][a-z]{2,}(?= |[,.])/g)];
  const fresh = NAMES.filter((n) => !article.toLowerCase().includes(n.toLowerCase()));
  if (fresh.length === 0) return null;
  const invented = pick(fresh);
  if (names.length === 0 || random() < 0.3) {
    // An invented party added to the sentence.
    const at = text.search(/[.!?]["'”’)]*$/);
    return at > 0 ? { text: `${text.slice(0, at)}, with ${invented}${text.slice(at)}`, how: `name added: ${invented}` } : null;
  }
  const m = pick(names);
  return { text: text.slice(0, m.index) + invented + text.slice(m.index! + m[0].length), how: `name: ${m[0]} → ${invented}` };
}

/** A quote altered by one word: the passage's own quote, or a span of it quoted. */
function alterQuote(text: string): { text: string; how: string } | null {
  const quoted = /[“"]([^“”"]{12,}?)[”"]/.exec(text);
  const alter = (span: string) => {
    const ws = span.split(" ");
    const i = 1 + Math.floor(random() * Math.max(1, ws.length - 2));
    const replacement = pick(["never", "always", "quickly", "only", "rarely", "fully", "partly"]);
    if (ws[i] === undefined || ws[i].toLowerCase() === replacement) return null;
    ws[i] = random() < 0.5 ? replacement : "";
    return ws.filter(Boolean).join(" ");
  };
  if (quoted) {
    const altered = alter(quoted[1]);
    return altered ? { text: text.replace(quoted[1], altered), how: "quote: a word changed or dropped" } : null;
  }
  const ws = text.replace(/[.!?]$/, "").split(/\s+/);
  if (ws.length < 10) return null;
  const start = Math.floor(random() * (ws.length - 7));
  const span = ws
    .slice(start, start + 7)
    .join(" ")
    .replace(/["“”]/g, "");
  const altered = alter(span);
  return altered ? { text: `The article puts it this way: "${altered}."`, how: "quote: a span quoted with a word changed" } : null;
}

/** The fact turned around: a negation added or removed, or a word swapped for its opposite. */
function flipPolarity(text: string): { text: string; how: string } | null {
  for (const [a, b] of [...OPPOSITES].sort(() => random() - 0.5)) {
    const re = new RegExp(`\\b${a}\\b|\\b${b}\\b`);
    const m = re.exec(text);
    if (m) return { text: text.slice(0, m.index) + (m[0] === a ? b : a) + text.slice(m.index + m[0].length), how: `opposite: ${m[0]}` };
  }
  const negated = / (not|never) /.exec(text);
  if (negated) return { text: text.replace(negated[0], " "), how: `negation removed: ${negated[1]}` };
  for (const aux of [...NEGATABLE].sort(() => random() - 0.5)) {
    if (text.includes(aux)) return { text: text.replace(aux, aux === " can " ? " cannot " : `${aux}not `), how: `negation added:${aux}` };
  }
  return null;
}

/** The passage of `passages` sharing most content words with `text`: a wrong fact cited where it looks most at home. */
function nearest(text: string, passages: readonly Passage[]): Passage {
  const want = new Set(contentWords(text));
  let best = passages[0];
  let bestShared = -1;
  for (const p of passages) {
    const shared = contentWords(p.text).filter((w) => want.has(w)).length;
    if (shared > bestShared) [best, bestShared] = [p, shared];
  }
  return best;
}

const claims: LabelledClaim[] = [];
const passagesByArticle = articles.map((a) => textPassages(a.text, "article", "P"));

articles.forEach((article, i) => {
  const half = i % 2 === 0 ? "tune" : "test";
  const passages = passagesByArticle[i];
  const good = passages.filter(usable);
  if (good.length < 4) return;
  const add = (kind: ClaimKind, how: string, text: string, cites: string[], field: LabelledClaim["field"] = "takeaway") =>
    claims.push({ source: String(i), half, kind, how, field, text, cites });
  const shuffled = [...good].sort(() => random() - 0.5);

  // Faithful: a copy, paraphrases, two neighbours merged as a summary.
  add("faithful", "copy", shuffled[0].text, [shuffled[0].id]);
  for (const p of shuffled.slice(1, 4)) {
    const para = paraphrase(p.text);
    if (para) add("faithful", para.how, para.text, [p.id]);
  }
  const first = good[0];
  const second = good[1];
  add("faithful", "summary: two passages", `${first.text} ${second.text}`, [first.id, second.id], "summary");

  // Unfaithful, each made from a faithful copy of one passage.
  const tries = <T>(make: (p: Passage) => T | null): [Passage, T] | null => {
    for (const p of [...good].sort(() => random() - 0.5)) {
      const made = make(p);
      if (made) return [p, made];
    }
    return null;
  };
  for (let n = 0; n < 2; n++) {
    const num = tries((p) => changeNumber(p.text));
    if (num) add("number", num[1].how, num[1].text, [num[0].id]);
  }
  for (let n = 0; n < 2; n++) {
    const name = tries((p) => changeName(p.text, article.text));
    if (name) add("name", name[1].how, name[1].text, [name[0].id]);
  }
  const quote = tries((p) => alterQuote(p.text));
  if (quote) add("quote", quote[1].how, quote[1].text, [quote[0].id]);
  const flip = tries((p) => flipPolarity(p.text));
  if (flip) add("polarity", flip[1].how, flip[1].text, [flip[0].id]);
  const other = passagesByArticle[(i + 1 + Math.floor(random() * (articles.length - 1))) % articles.length].filter(usable);
  if (other.length > 0) {
    const foreign = pick(other);
    add("cross-article", "a passage of another article", foreign.text, [nearest(foreign.text, good).id]);
  }
});

// Sentiment bullets from the fixture threads: a comment of clear tone cited on its side
// (faithful) and on the other (a polarity flip). Tone is read with the same lexicon the check
// uses, so these measure the rule, not the lexicon.
const threadFiles = [
  new URL("tests/fixtures/hn/seed-thread.json", root),
  ...readdirSync(new URL("scripts/fixtures/night/hn/items/", root)).map((f) => new URL(`scripts/fixtures/night/hn/items/${f}`, root)),
];
const commentPassages: Passage[] = [];
for (const file of threadFiles) {
  const item = parseHnItem(JSON.parse(readFileSync(file, "utf8")));
  if (!item.ok) continue;
  const thread = excerptThread(item.value, { budgetChars: 20_000, fetchedAt: new Date("2026-06-25T06:00:00Z") });
  for (const comment of thread.excerpt) {
    let positive = 0;
    let negative = 0;
    let strongest = "";
    let weight = -1;
    for (const s of splitSentences(comment.text)) {
      const p = sentencePolarity(s);
      positive += p.positive;
      negative += p.negative;
      if (Math.abs(p.positive - p.negative) > weight) [strongest, weight] = [s, Math.abs(p.positive - p.negative)];
    }
    if (Math.abs(positive - negative) < 1 || strongest.length < 20) continue;
    commentPassages.push({ id: comment.id, kind: "comment", text: comment.text });
    const side = positive > negative ? "positive" : "concern";
    const half = Number(comment.id) % 2 === 0 ? "tune" : "test";
    const text = `A commenter wrote that ${strongest.charAt(0).toLowerCase()}${strongest.slice(1)}`;
    claims.push({
      source: `thread:${thread.id}`,
      half,
      kind: "faithful",
      how: "bullet on its side",
      field: side,
      text,
      cites: [comment.id],
    });
    claims.push({
      source: `thread:${thread.id}`,
      half,
      kind: "polarity",
      how: "bullet on the other side",
      field: side === "positive" ? "concern" : "positive",
      text,
      cites: [comment.id],
    });
  }
}

// The passages are stored with the claims, so the set reads the same whatever later changes to how text is cut.
const passages: Record<string, Passage[]> = Object.fromEntries(passagesByArticle.map((list, i) => [String(i), list]));
passages.comments = commentPassages;
writeFileSync(new URL(outFile, fixtures), `${JSON.stringify({ seed, claims, passages })}\n`);
const counts = new Map<string, number>();
for (const c of claims) counts.set(`${c.half} ${c.kind}`, (counts.get(`${c.half} ${c.kind}`) ?? 0) + 1);
console.log(`${claims.length} claims (seed ${seed}):`, Object.fromEntries([...counts].sort()));
