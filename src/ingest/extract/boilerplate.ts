/** Boilerplate removal on Readability's result: the named rules, in the order they run. */
import type { PageContext } from "./boilerplate-dom.ts";
import {
  removeCallsToAction,
  removeCreditLines,
  removeDatelines,
  removePhotoCredits,
  removeRepeatedHeadline,
} from "./boilerplate-lines.ts";
import { removeBoilerplateBlocks, removeFigureCaptions, removeLinkLines } from "./boilerplate-markup.ts";

export type { PageContext } from "./boilerplate-dom.ts";

/** One rule: removes what it recognises from the article element, and says how many blocks. */
export interface BoilerplateRule {
  name: string;
  remove: (root: Element, page: PageContext) => number;
}

/** Every rule, markup first (whole blocks), then lines by their words. */
export const BOILERPLATE_RULES: readonly BoilerplateRule[] = [
  { name: "figure captions", remove: removeFigureCaptions },
  { name: "boilerplate blocks", remove: removeBoilerplateBlocks },
  { name: "link lines", remove: removeLinkLines },
  { name: "photo credits", remove: removePhotoCredits },
  { name: "datelines", remove: removeDatelines },
  { name: "credit lines", remove: removeCreditLines },
  { name: "calls to action", remove: removeCallsToAction },
  { name: "repeated headline", remove: removeRepeatedHeadline },
];

/** Runs `rules` over the article element in place; how many blocks each removed, by rule name. */
export function removeBoilerplate(
  root: Element,
  page: PageContext,
  rules: readonly BoilerplateRule[] = BOILERPLATE_RULES,
): Record<string, number> {
  const removed: Record<string, number> = {};
  for (const rule of rules) removed[rule.name] = rule.remove(root, page);
  return removed;
}
