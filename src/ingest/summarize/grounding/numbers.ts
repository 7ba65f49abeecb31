/** Numbers in prose, read to their values so formatting never matters: 1,000 = 1000 = one thousand; $9 billion = $9B; 97% = 97 percent. */

export interface FoundNumber {
  /** The text as written ("$9 billion", "27B", "97%"). */
  text: string;
  value: number;
  percent: boolean;
}

const SCALES: Record<string, number> = {
  hundred: 1e2,
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  mn: 1e6,
  mln: 1e6,
  mil: 1e6,
  billion: 1e9,
  b: 1e9,
  bn: 1e9,
  trillion: 1e12,
  t: 1e12,
  tn: 1e12,
};

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  dozen: 12,
};

/**
 * Digits with optional currency, thousands separators, decimals, a scale word or suffix
 * (thousand, million, bn, B, k…) and a percent sign or word. A number glued to other letters
 * ("GPT-4o", "H100", "2020s") is an identifier, not a number: the name check handles it.
 */
const DIGITS =
  /(?=[$€£¥U\d])(?<![\p{L}\p{N}.,])((?:US)?[$€£¥])?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:[\s-]?(hundred|thousand|million|billion|trillion|mln|mil|mn|bn|tn|k|m|b|t)(?![\p{L}\p{N}]))?(?:\s?(%|percent\b|per cent\b|percentage points?\b))?(?![\p{L}\p{N}]|\.\d)/giu;

/** Runs of number words: "one thousand", "a million", "twenty-five", "three hundred and forty". */
const WORDS =
  /\b(?=[a-z])(?<![\p{L}])(?:(?:a|an)\s+)?(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|hundred|thousand|million|billion|trillion)(?:[\s-]+(?:and[\s]+)?)?)+(?![\p{L}])(?:\s?(?:percent\b|per cent\b|%))?/giu;

function wordValue(run: string): number | null {
  let total = 0;
  let group = 0;
  let any = false;
  for (const word of run.toLowerCase().split(/[\s-]+/)) {
    if (word === "and" || word === "") continue;
    if (word === "a" || word === "an") {
      group = group || 1;
      continue;
    }
    if (word in UNITS) {
      group += UNITS[word];
      any = true;
    } else if (word === "hundred") {
      group = (group || 1) * 100;
      any = true;
    } else if (word in SCALES) {
      total += (group || 1) * SCALES[word];
      group = 0;
      any = true;
    }
  }
  return any ? total + group : null;
}

/** Small number words a claim may use as words without meaning a figure ("one of the"). */
const IGNORED_IN_CLAIMS = new Set(["one", "zero", "a", "an", "dozen"]);

/**
 * Every number in `text` with its value. `claim` leaves out "one" and "a dozen", which are
 * rarely figures; passages keep them, so a claim's "3" finds a passage's "three".
 */
export function findNumbers(text: string, { claim = false }: { claim?: boolean } = {}): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const m of text.matchAll(DIGITS)) {
    const [whole, , integer, decimals, scale, percent] = m;
    let value = Number(`${integer.replace(/,/g, "")}${decimals ? `.${decimals}` : ""}`);
    // "a 27B model" is 27 billion; a bare "5m" is as likely minutes, but it reads as million here too.
    if (scale) value *= SCALES[scale.toLowerCase()];
    found.push({ text: whole.trim(), value, percent: Boolean(percent) });
  }
  for (const m of text.matchAll(WORDS)) {
    const run = m[0].trim();
    const words = run
      .toLowerCase()
      .split(/[\s-]+/)
      .filter((w) => w && w !== "and");
    if (claim && words.every((w) => IGNORED_IN_CLAIMS.has(w))) continue;
    if (words.every((w) => w === "a" || w === "an")) continue;
    // A bare scale word belongs to the digits before it ("$9 billion"), already read above.
    if (words.every((w) => w in SCALES)) continue;
    const value = wordValue(run.replace(/\s?(?:percent|per cent|%)$/i, ""));
    if (value === null) continue;
    found.push({ text: run, value, percent: /(?:percent|per cent|%)$/i.test(run) });
  }
  return found;
}

/** The values of a text's numbers, with a scaled figure's plain mantissa too ("$9 billion" also holds 9). */
export interface NumberSet {
  values: number[];
  percents: number[];
}

export function numberSet(text: string): NumberSet {
  const values: number[] = [];
  const percents: number[] = [];
  for (const n of findNumbers(text)) {
    values.push(n.value);
    if (n.percent) percents.push(n.value);
  }
  // The mantissa of "27B" or "$9 billion", so a claim that says "9" of it is not refused.
  for (const m of text.matchAll(DIGITS)) if (m[4]) values.push(Number(`${m[2].replace(/,/g, "")}${m[3] ? `.${m[3]}` : ""}`));
  return { values, percents };
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** True when `set` holds the claim's number: the same value, and a percentage where the claim has one. */
export function holdsNumber(set: NumberSet, n: FoundNumber): boolean {
  return (n.percent ? set.percents : set.values).some((v) => same(v, n.value));
}
