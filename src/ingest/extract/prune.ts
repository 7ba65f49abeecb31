/** Bounds a page before Readability reads it: nesting flattened past a depth, and huge bodies cut to an element budget. */
import type { CheerioAPI } from "cheerio";

/**
 * Deeper than this, elements are flattened into their ancestor at this depth (their text kept).
 * Readability's cost grows steeply with depth (1,000 nested `<div>`s took it 20 s, 3,000 over
 * 200 s); the deepest of the 163 real pages in the test fixtures nests 50 levels.
 */
export const MAX_DEPTH = 100;

/**
 * More elements than this in the body and empty ones (no text, no media) are dropped; if
 * still more, the body is cut after this many. The largest real page in the fixtures (a long
 * Wikipedia article) has under 10,000; a 5 MB page of `<div>`s has 450,000.
 */
export const ELEMENT_BUDGET = 20_000;

/** The parts of cheerio's (domhandler's) tree that pruning reads and changes. */
interface TreeNode {
  type: string;
  name?: string;
  data?: string;
  children?: TreeNode[];
  parent: TreeNode | null;
}

const MEDIA = new Set([
  "img",
  "picture",
  "video",
  "audio",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "math",
  "br",
  "hr",
  "input",
  "source",
]);
const isElement = (node: TreeNode) => node.type === "tag" || node.type === "script" || node.type === "style";

/**
 * Flattens and trims the page in `$` in place when it is past {@link MAX_DEPTH} or
 * {@link ELEMENT_BUDGET}; its HTML when it changed, else null (the page is read as it came).
 */
export function prunePage($: CheerioAPI): string | null {
  const root = $.root()[0] as unknown as TreeNode;
  const body = ($("body")[0] as unknown as TreeNode | undefined) ?? root;
  let changed = flattenDeepNesting(root, MAX_DEPTH);
  if (countElements(body) > ELEMENT_BUDGET) {
    removeEmptyElements(body);
    if (countElements(body) > ELEMENT_BUDGET) truncateAfter(body, ELEMENT_BUDGET);
    changed = true;
  }
  return changed ? $.html() : null;
}

/** Replaces the content of every element at `maxDepth` that has deeper elements by its text, one line per element. */
export function flattenDeepNesting(root: TreeNode, maxDepth: number): boolean {
  let changed = false;
  // Two parallel stacks rather than [node, depth] pairs: a 5 MB page has half a million elements.
  const nodes: TreeNode[] = [root];
  const depths: number[] = [0];
  while (nodes.length) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    const children = node.children;
    if (!children) continue;
    if (depth === maxDepth) {
      if (children.some((child) => isElement(child) && child.children?.length)) {
        node.children = flattenedText(node);
        changed = true;
      }
      continue;
    }
    for (const child of children) {
      if (child.children?.length) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return changed;
}

/** The text under `node` as text nodes, with a line break at each element boundary, iteratively (no recursion depth). */
function flattenedText(node: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack: TreeNode[] = [...(node.children ?? [])].reverse();
  while (stack.length) {
    const current = stack.pop()!;
    if (current.type === "text") {
      out.push({ ...current, parent: node });
    } else if (current.type === "tag") {
      out.push({ type: "text", data: "\n", parent: node });
      for (let i = (current.children?.length ?? 0) - 1; i >= 0; i--) stack.push(current.children![i]);
    }
  }
  return out;
}

function countElements(root: TreeNode): number {
  let count = 0;
  const stack = [...(root.children ?? [])];
  while (stack.length) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    count++;
    if (node.children) stack.push(...node.children);
  }
  return count;
}

/**
 * Drops elements with no visible text and no media inside. Recursive: it runs only after
 * {@link flattenDeepNesting}, so the tree is at most {@link MAX_DEPTH} deep.
 */
function removeEmptyElements(node: TreeNode): boolean {
  const children = node.children ?? [];
  const kept: TreeNode[] = [];
  for (const child of children) {
    if (child.type === "text" ? !!child.data?.trim() : isElement(child) && removeEmptyElements(child)) kept.push(child);
  }
  node.children = kept;
  return kept.length > 0 || MEDIA.has(node.name ?? "");
}

/** Keeps the first `budget` elements of `root` in document order and drops everything after. */
function truncateAfter(root: TreeNode, budget: number): void {
  let count = 0;
  const visit = (node: TreeNode): boolean => {
    const children = node.children ?? [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (!isElement(child)) continue;
      if (++count > budget) {
        node.children = children.slice(0, i);
        return false;
      }
      if (!visit(child)) {
        node.children = children.slice(0, i + 1);
        return false;
      }
    }
    return true;
  };
  visit(root);
}
