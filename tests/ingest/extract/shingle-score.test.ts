// The TypeScript port of the benchmark's scorer gives evaluate.py's figures, page by page and overall.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, mkdir, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AEB_DEV_FOLDER } from "../../../scripts/fixtures/aeb-dev.ts";
import { scoreArticleBodies, shingleMatching, tokenize } from "../../../scripts/fixtures/shingle-score.ts";

const run = promisify(execFile);

/** Deterministic predictions of every shape: exact, cut, padded, empty, shuffled, non-Latin. */
function predictionsFor(truth: Record<string, { articleBody: string }>): Record<string, { articleBody: string }> {
  return Object.fromEntries(
    Object.entries(truth).map(([id, { articleBody }], i) => {
      const words = articleBody.split(/\s+/);
      const shapes = [
        articleBody,
        words.slice(0, Math.floor(words.length * 0.7)).join(" "),
        `Sign up for our newsletter. Share this story. ${articleBody} Related stories: one, two, three.`,
        "",
        [...words].reverse().join(" "),
        `${articleBody.slice(articleBody.length >> 1)} 東京 Ελλάδα café_noir ½ ٣٤`,
      ];
      return [id, { articleBody: shapes[i % shapes.length] }];
    }),
  );
}

async function hasPython(): Promise<boolean> {
  try {
    await run("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

// python3 runs evaluate.py itself; the comparison is skipped where there is none.
const PYTHON = await hasPython();

describe("shingle scorer", () => {
  it("tokenises as Python's \\w+ does: letters, digits, underscores; marks and punctuation split", () => {
    expect(tokenize("It's 9:30 — café_noir, naïve ½")).toEqual(["It", "s", "9", "30", "café_noir", "naïve", "½"]);
  });

  it("scores a text against itself as all true positives", () => {
    expect(shingleMatching("one two three four five", "one two three four five")).toEqual([1, 0, 0]);
  });

  it.runIf(PYTHON)("gives evaluate.py's precision, recall and F1 on the same output", { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "aeb-score-"));
    try {
      const truth = JSON.parse(await readFile(join(AEB_DEV_FOLDER, "ground-truth.json"), "utf8"));
      const predicted = predictionsFor(truth);
      await copyFile(join(AEB_DEV_FOLDER, "ground-truth.json"), join(dir, "ground-truth.json"));
      await mkdir(join(dir, "output"));
      await writeFile(join(dir, "output", "themata.json"), JSON.stringify(predicted));
      // As evaluate.py's main() describes: run in the folder holding ground-truth.json and output/.
      await run("python3", [join(AEB_DEV_FOLDER, "evaluate.py"), "--n-bootstrap", "2", "--output", "metrics.json"], { cwd: dir });
      const python = JSON.parse(await readFile(join(dir, "metrics.json"), "utf8")).themata;
      const ours = scoreArticleBodies(truth, predicted);
      expect(ours.precision).toBeCloseTo(python.precision, 12);
      expect(ours.recall).toBeCloseTo(python.recall, 12);
      expect(ours.f1).toBeCloseTo(python.f1, 12);
      const pythonPages: number[][] = python.tp_fp_fns;
      Object.values(ours.pages).forEach((page, i) => {
        for (let k = 0; k < 3; k++) expect(page[k]).toBeCloseTo(pythonPages[i][k], 12);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
