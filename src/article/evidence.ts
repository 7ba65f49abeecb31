/** A takeaway's evidence under the editorial rule: fingerprinted with the takeaways, shown only while neither was edited. */
import { fingerprint } from "./fingerprint.ts";
import type { TakeawayEvidence } from "./schema.ts";

/** Most characters of a passage kept as a quote: enough to find it, short enough to read beside the claim. */
export const EVIDENCE_QUOTE_MAX_CHARS = 300;

/**
 * What the `takeaways` fingerprint covers: the takeaways alone when there is no evidence (so
 * files written before evidence existed keep their fingerprints), else both together.
 */
export function takeawaysCompared(takeaways: readonly string[], evidence: readonly TakeawayEvidence[] | undefined): unknown {
  return evidence === undefined ? takeaways : { takeaways, evidence };
}

interface WithEvidence {
  takeaways: readonly string[];
  evidence?: readonly TakeawayEvidence[];
  sample?: boolean;
  fingerprints?: Readonly<Record<string, string>>;
}

/**
 * The evidence to show beside each takeaway, or null: shown only when the ingest wrote it and
 * neither it nor the takeaways changed since (their joint fingerprint still matches), or on a
 * sample article, whose evidence is written by hand.
 */
export function shownEvidence(data: WithEvidence): readonly TakeawayEvidence[] | null {
  const { evidence, takeaways } = data;
  if (!evidence || evidence.length !== takeaways.length) return null;
  if (data.sample) return evidence;
  const print = data.fingerprints?.takeaways;
  return print !== undefined && print === fingerprint(takeawaysCompared(takeaways, evidence)) ? evidence : null;
}

/** A passage as a quote: whitespace collapsed, cut at a word within the limit, with an ellipsis when cut. */
export function evidenceQuote(passage: string): string {
  const text = passage.replace(/\s+/g, " ").trim();
  if (text.length <= EVIDENCE_QUOTE_MAX_CHARS) return text;
  const room = text.slice(0, EVIDENCE_QUOTE_MAX_CHARS - 1);
  const space = room.lastIndexOf(" ");
  return `${(space > EVIDENCE_QUOTE_MAX_CHARS / 2 ? room.slice(0, space) : room).replace(/[\s,;:.-]+$/u, "")}…`;
}
