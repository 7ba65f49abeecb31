// The code's layout is its architecture: who may import whom, no import loops, no oversized files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CODE = /\.(ts|mts|astro|mjs)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && CODE.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((path) => !path.includes("/fixtures/night/"))
    .sort();
}

// Static imports, re-exports and dynamic imports of relative paths (comments are not code, but a
// commented-out import is rare enough that treating it as one errs on the safe side).
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** Every relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(SPECIFIER)].map((match) => relative(ROOT, resolve(ROOT, dirname(file), match[1]!)));
}

const FILES = [...filesUnder("src"), ...filesUnder("scripts"), ...filesUnder("tests")];
const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));

/** Import edges `from → to` where `from` matches `who` and `to` matches `target`. */
function edges(who: (file: string) => boolean, target: (file: string) => boolean): string[] {
  return [...GRAPH].flatMap(([from, tos]) => (who(from) ? tos.filter(target).map((to) => `${from} → ${to}`) : []));
}

const under =
  (...folders: string[]) =>
  (file: string) =>
    folders.some((folder) => file.startsWith(`${folder}/`));
const SITE = under("src/lib", "src/pages", "src/components", "src/layouts", "src/search", "src/build");
const INGEST = under("src/ingest");
/** The ingest's stage folders; `shared` and `budget` serve every stage, `pipeline/` is the pipeline's own parts. */
const STAGE = /^src\/ingest\/(fetch|sources|discussion|extract|summarize|write|report|cards)\//;
const stageOf = (file: string) => STAGE.exec(file)?.[1];

describe("the import graph", () => {
  it("reads some imports (the checks below look at real edges)", () => {
    expect(GRAPH.size).toBeGreaterThan(100);
    expect(GRAPH.get("src/ingest/pipeline.ts")).toContain("src/ingest/write/write.ts");
  });

  it("has every relative import pointing at a file that exists", () => {
    const missing = [...GRAPH].flatMap(([from, tos]) => tos.filter((to) => !existsSync(join(ROOT, to))).map((to) => `${from} → ${to}`));
    expect(missing).toEqual([]);
  });

  it("has no import loops", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of GRAPH.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of GRAPH.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("keeps the article contract free of everything else of ours", () => {
    expect(edges(under("src/article"), (to) => !to.startsWith("src/article/"))).toEqual([]);
  });

  it("keeps the site out of the ingest and the ingest out of the site (both read src/site.config.ts)", () => {
    expect(edges(SITE, INGEST)).toEqual([]);
    expect(edges(INGEST, SITE)).toEqual([]);
  });

  it("lets no ingest stage reach into another stage (shared, budget, types and config serve all)", () => {
    const across = edges(
      (from) => stageOf(from) !== undefined,
      (to) => stageOf(to) !== undefined,
    ).filter((edge) => {
      const [from, to] = edge.split(" → ");
      return stageOf(from!) !== stageOf(to!);
    });
    expect(across).toEqual([]);
  });

  it("keeps providers behind the summarize stage: the pipeline and the run state import none", () => {
    expect(
      edges((from) => ["src/ingest/pipeline.ts", "src/ingest/run-state.ts"].includes(from), under("src/ingest/summarize/providers")),
    ).toEqual([]);
  });

  it("never imports tests from product code or scripts", () => {
    expect(edges(under("src", "scripts"), under("tests"))).toEqual([]);
  });
});

describe("file size", () => {
  it("keeps every file in src/ under 400 lines", () => {
    const long = filesUnder("src")
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });
});
