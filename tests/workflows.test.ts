// CI workflows: both files parse; triggers, permissions, step order, secrets, concurrency; and the nightly's own shell steps run for real (a stand-in npm, real git).
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { loadConfig } from "../src/ingest/config.ts";
import { summarizeRun, type ItemReport } from "../src/ingest/report/report.ts";
import { CHROMIUM_PATH } from "../scripts/fixtures/browser.ts";
import { DEFAULT_CACHE_DIR } from "../src/build/page-cache.ts";

const ROOT = join(import.meta.dirname, "..");
/** The build cache folder the nightly keeps between runs. */
const BUILD_CACHE = ".cache/astro";
const WORKFLOWS = join(ROOT, ".github/workflows");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  env?: Record<string, unknown>;
  container?: { image: string; options?: string };
  environment?: { name: string; url?: string };
  "timeout-minutes"?: number;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, unknown>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

async function workflowText(file: string): Promise<string> {
  return readFile(join(WORKFLOWS, file), "utf8");
}

/** Parses strictly: a YAML error, a warning or a duplicated key fails the test that loads the file. */
async function loadWorkflow(file: string): Promise<Workflow> {
  const doc = parseDocument(await workflowText(file), { uniqueKeys: true, prettyErrors: true });
  expect([...doc.errors, ...doc.warnings].map(String), file).toEqual([]);
  return doc.toJS() as Workflow;
}

/** Every string in a parsed document, with where it sits (`jobs.ingest.steps[4].env.X`). */
function strings(value: unknown, path = ""): { path: string; text: string }[] {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@(v\d+|[0-9a-f]{40})$/;

/** The position of the one step a predicate picks; fails when none or several match. */
function stepAt(steps: Step[], what: string, pick: (step: Step) => boolean): number {
  const found = steps.flatMap((step, i) => (pick(step) ? [i] : []));
  expect(found, `exactly one step that ${what}`).toHaveLength(1);
  return found[0];
}
const uses = (action: string) => (step: Step) => step.uses?.replace(/@.*/, "") === action;
/** A cache step of the folder `path`. */
const caches = (action: string, path: () => string) => (step: Step) => uses(action)(step) && step.with?.path === path();
const runs = (command: RegExp) => (step: Step) => step.run !== undefined && command.test(step.run);

/** The names of secrets a workflow reads, each with where it is read. */
function secretReads(workflow: Workflow): { path: string; text: string }[] {
  return strings(workflow).filter((s) => /secrets\s*\./.test(s.text) || /secrets\s*\[/.test(s.text));
}

let nightly: Workflow;
let pullRequest: Workflow;
let cachePath: string;
let runStatePath: string;

beforeAll(async () => {
  nightly = await loadWorkflow("nightly.yml");
  pullRequest = await loadWorkflow("pull-request.yml");
  const config = await loadConfig();
  if (!config.ok) throw new Error(config.reason);
  // What the ingest really uses: the fetcher's cache under cacheDir/http, the run state file.
  cachePath = relative(ROOT, join(config.value.cacheDir, "http"));
  runStatePath = relative(ROOT, config.value.runStateFile);
});

describe("both workflows", () => {
  it("run only npm scripts that package.json defines", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const used = [nightly, pullRequest].flatMap((w) =>
      strings(w.jobs).flatMap((s) => [...s.text.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1])),
    );
    expect(new Set(used)).toEqual(new Set(["ingest", "cards", "check", "build"]));
    for (const script of used) expect(Object.keys(pkg.scripts), `npm run ${script}`).toContain(script);
  });

  it("pin every action to a major version or a commit", () => {
    const actions = [nightly, pullRequest].flatMap((w) =>
      Object.values(w.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : []))),
    );
    expect(actions.length).toBeGreaterThan(5);
    for (const action of actions) expect(action).toMatch(PINNED);
  });

  it("put no ${{ }} expression inside a shell script: inputs, variables and secrets arrive as environment variables", () => {
    for (const w of [nightly, pullRequest]) {
      for (const job of Object.values(w.jobs)) {
        for (const step of job.steps) if (step.run) expect(step.run, step.name).not.toContain("${{");
      }
    }
  });

  it("never trace shell commands (set -x would print secrets' values)", () => {
    for (const w of [nightly, pullRequest]) {
      for (const s of strings(w.jobs)) expect(s.text, s.path).not.toMatch(/set -[a-wyz]*x|set -o xtrace|bash -x/);
    }
  });

  it("set up Node 24 with the npm cache and install with npm ci", () => {
    for (const w of [nightly, pullRequest]) {
      const steps = Object.values(w.jobs).flatMap((j) => j.steps);
      const setup = steps.filter(uses("actions/setup-node"));
      expect(setup).toHaveLength(1);
      expect(setup[0].with).toMatchObject({ "node-version": 24, cache: "npm" });
      expect(steps.filter(runs(/^npm ci$/m))).toHaveLength(1);
    }
  });
});

describe("nightly.yml", () => {
  it("runs on a schedule once a day and by hand, with provider, limit and dry-run inputs", () => {
    expect(Object.keys(nightly.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const schedule = nightly.on.schedule as { cron: string }[];
    expect(schedule).toHaveLength(1);
    const [minute, hour, ...rest] = schedule[0].cron.split(" ");
    expect(rest).toEqual(["*", "*", "*"]);
    expect(Number(minute)).toBeGreaterThanOrEqual(0);
    expect(Number(minute)).toBeLessThan(60);
    expect(Number(hour)).toBeGreaterThanOrEqual(0);
    expect(Number(hour)).toBeLessThan(24);

    const inputs = (nightly.on.workflow_dispatch as { inputs: Record<string, { type: string; default: unknown; options?: string[] }> })
      .inputs;
    expect(Object.keys(inputs).sort()).toEqual(["dry-run", "limit", "provider"]);
    expect(inputs.provider).toMatchObject({ type: "choice", default: "auto" });
    expect(inputs.provider.options).toEqual(["auto", "anthropic", "openai-compatible", "extractive"]);
    expect(inputs.limit).toMatchObject({ type: "string", default: "" });
    expect(inputs["dry-run"]).toMatchObject({ type: "boolean", default: false });
  });

  it("never overlaps itself: one fixed concurrency group, and a second run waits instead of cancelling the first", () => {
    expect(nightly.concurrency?.group).toBeTypeOf("string");
    expect(nightly.concurrency?.group).not.toContain("${{");
    expect(nightly.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("grants nothing by default, contents: write only to the job that pushes, and Pages rights only to the deploy job", () => {
    expect(nightly.permissions).toEqual({});
    const pushing = Object.entries(nightly.jobs).filter(([, job]) => job.steps.some(runs(/git push/)));
    expect(pushing.map(([id]) => id)).toEqual(["ingest"]);
    expect(nightly.jobs.ingest.permissions).toEqual({ contents: "write" });
    expect(nightly.jobs.deploy.permissions).toEqual({ pages: "write", "id-token": "write" });
    for (const [id, job] of Object.entries(nightly.jobs)) expect(job.permissions, id).toBeDefined();
  });

  it("checks out, installs, restores the fetch cache, ingests, summarises, checks, commits, builds and uploads, in that order", () => {
    const steps = nightly.jobs.ingest.steps;
    const order = [
      stepAt(steps, "checks out", uses("actions/checkout")),
      stepAt(steps, "sets up Node", uses("actions/setup-node")),
      stepAt(steps, "runs npm ci", runs(/^npm ci$/m)),
      stepAt(
        steps,
        "restores the fetch cache",
        caches("actions/cache/restore", () => cachePath),
      ),
      stepAt(steps, "ingests", runs(/npm run ingest/)),
      stepAt(steps, "writes the job summary", runs(/--job-summary/)),
      stepAt(steps, "checks the content", runs(/^npm run check$/m)),
      stepAt(steps, "commits", (s) => runs(/git commit/)(s) && !s.if?.includes("failure()")),
      stepAt(steps, "commits the run state of a stopped run", (s) => runs(/git commit/)(s) && s.if?.includes("failure()") === true),
      stepAt(
        steps,
        "restores the build cache",
        caches("actions/cache/restore", () => BUILD_CACHE),
      ),
      stepAt(steps, "builds", runs(/npm run build/)),
      stepAt(
        steps,
        "saves the build cache",
        caches("actions/cache/save", () => BUILD_CACHE),
      ),
      stepAt(steps, "uploads dist/ for Pages", uses("actions/upload-pages-artifact")),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(steps[stepAt(steps, "uploads dist/ for Pages", uses("actions/upload-pages-artifact"))].with).toEqual({ path: "dist" });

    const deploy = nightly.jobs.deploy;
    expect(deploy.needs).toBe("ingest");
    expect(deploy.environment?.name).toBe("github-pages");
    expect(deploy.steps.map((s) => s.uses?.replace(/@.*/, ""))).toEqual(["actions/deploy-pages"]);
  });

  it("checks out with a token that can push, and keeps its credentials for the push", () => {
    const checkout = nightly.jobs.ingest.steps.find(uses("actions/checkout"));
    expect(checkout?.with).toMatchObject({ token: "${{ github.token }}", "persist-credentials": true });
  });

  it("restores and saves the fetcher's cache folder (the config's cacheDir/http) under a per-run key with a prefix to restore from", () => {
    const steps = nightly.jobs.ingest.steps;
    const restore =
      steps[
        stepAt(
          steps,
          "restores the fetch cache",
          caches("actions/cache/restore", () => cachePath),
        )
      ];
    const save =
      steps[
        stepAt(
          steps,
          "saves the fetch cache",
          caches("actions/cache/save", () => cachePath),
        )
      ];
    expect(cachePath).toBe(".cache/ingest/http");
    expect(restore.with?.path).toBe(cachePath);
    expect(save.with?.path).toBe(cachePath);
    const key = String(restore.with?.key);
    expect(key).toContain("${{ github.run_id }}");
    expect(save.with?.key).toBe(key);
    expect(key.startsWith(String(restore.with?.["restore-keys"]))).toBe(true);
    // Saved right after the ingest, whatever comes next, so a failed build does not lose it.
    expect(save.if).toContain("!cancelled()");
    expect(steps.indexOf(save)).toBeGreaterThan(stepAt(steps, "ingests", runs(/npm run ingest/)));
    expect(steps.indexOf(save)).toBeLessThan(stepAt(steps, "checks the content", runs(/^npm run check$/m)));
  });

  it("restores the build cache before the build and saves it after a good one, keyed on the lockfile and the site config", () => {
    const steps = nightly.jobs.ingest.steps;
    expect(BUILD_CACHE).toBe(DEFAULT_CACHE_DIR);
    const restore =
      steps[
        stepAt(
          steps,
          "restores the build cache",
          caches("actions/cache/restore", () => BUILD_CACHE),
        )
      ];
    const save =
      steps[
        stepAt(
          steps,
          "saves the build cache",
          caches("actions/cache/save", () => BUILD_CACHE),
        )
      ];
    const key = String(restore.with?.key);
    expect(key).toMatch(/hashFiles\('package-lock\.json', 'astro\.config\.mjs'[^)]*\)/);
    expect(key).toContain("${{ github.run_id }}");
    expect(save.with?.key).toBe(key);
    expect(key.startsWith(String(restore.with?.["restore-keys"]))).toBe(true);
    // A failed build saves nothing: the save step has no `if` that would run it after a failure.
    expect(save.if).toBeUndefined();
  });

  it("commits the content folder and the run state file the config names, never the whole tree", () => {
    const commit = nightly.jobs.ingest.steps.find(runs(/git commit/));
    expect(runStatePath).toBe("state/ingest-state.json");
    expect(commit?.run).toContain(`state=${runStatePath}`);
    expect(commit?.run).toContain("git add -A -- content\n");
    expect(commit?.run).not.toMatch(/git add (-A|\.|--all)\s*$/m);
    expect(commit?.if).toBe("${{ inputs.dry-run != true }}");
  });

  it("reads secrets only in the ingest step's environment, as whole ${{ secrets.X }} values", () => {
    const reads = secretReads(nightly);
    const ingest = nightly.jobs.ingest.steps.findIndex(runs(/npm run ingest/));
    expect(reads).toEqual([
      { path: `jobs.ingest.steps[${ingest}].env.ANTHROPIC_API_KEY`, text: "${{ secrets.ANTHROPIC_API_KEY }}" },
      { path: `jobs.ingest.steps[${ingest}].env.THEMATA_OPENAI_API_KEY`, text: "${{ secrets.THEMATA_OPENAI_API_KEY }}" },
    ]);
    expect(nightly.env).toBeUndefined();
    for (const job of Object.values(nightly.jobs)) expect(job.env).toBeUndefined();
  });

  it("mentions a secret's variable in a shell script only to test whether it is set, never to print it", () => {
    for (const step of nightly.jobs.ingest.steps) {
      for (const name of ["ANTHROPIC_API_KEY", "THEMATA_OPENAI_API_KEY"]) {
        const mentions = step.run?.match(new RegExp(`.*${name}.*`, "g")) ?? [];
        for (const line of mentions) {
          expect(line).toMatch(new RegExp(`\\[ -n "\\$\\{${name}:-\\}" \\]`));
          expect(line).not.toMatch(new RegExp(`(echo|printf|tee|>)[^;]*\\$\\{?${name}`));
        }
      }
    }
  });

  it("documents Cloudflare Pages and Netlify as commented steps that are valid, pinned and read their secrets from env or with", async () => {
    const text = await workflowText("nightly.yml");
    // The commented blocks, uncommented: each starts at "# - name: Deploy dist/ to".
    const lines = text.split("\n");
    const blocks: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*# - name: Deploy dist\/ to /.test(lines[i])) continue;
      const block: string[] = [];
      for (let j = i; j < lines.length && /^\s*# {1,}\S|^\s*#\s{3,}/.test(lines[j]); j++) block.push(lines[j].replace(/^\s*# /, ""));
      blocks.push(block.join("\n"));
    }
    expect(blocks).toHaveLength(2);
    const [cloudflare, netlify] = blocks.map((b) => (parse(b) as Step[])[0]);
    expect(cloudflare.uses).toMatch(PINNED);
    expect(cloudflare.uses).toMatch(/^cloudflare\/wrangler-action@/);
    expect(cloudflare.with).toEqual({
      apiToken: "${{ secrets.CLOUDFLARE_API_TOKEN }}",
      accountId: "${{ secrets.CLOUDFLARE_ACCOUNT_ID }}",
      command: "pages deploy dist --project-name=themata --branch=main",
    });
    expect(netlify.env).toEqual({
      NETLIFY_AUTH_TOKEN: "${{ secrets.NETLIFY_AUTH_TOKEN }}",
      NETLIFY_SITE_ID: "${{ secrets.NETLIFY_SITE_ID }}",
    });
    expect(netlify.run).toMatch(/^npx --yes netlify-cli@\d+ deploy --dir dist --prod --no-build$/);
    for (const step of [cloudflare, netlify]) expect(step.if).toBe("${{ inputs.dry-run != true }}");
  });
});

describe("pull-request.yml", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(pullRequest.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
  });

  it("only reads the repository and holds no secret", () => {
    expect(pullRequest.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(pullRequest.jobs)) expect(job.permissions).toBeUndefined();
    expect(secretReads(pullRequest)).toEqual([]);
    const checkout = Object.values(pullRequest.jobs)
      .flatMap((j) => j.steps)
      .find(uses("actions/checkout"));
    expect(checkout?.with?.["persist-credentials"]).toBe(false);
  });

  it("installs Debian's Chromium where the browser tests launch it, then checks content, tests and builds, in order", () => {
    const jobs = Object.values(pullRequest.jobs);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    // A Debian image: its chromium package is the real browser at /usr/bin/chromium (Ubuntu's is a snap wrapper).
    expect(job.container?.image).toMatch(/^node:24-(bookworm|trixie)$/);
    const steps = job.steps;
    const chromium = stepAt(steps, "installs Chromium", runs(/apt-get install -y chromium$/m));
    expect(steps[chromium].run).toContain("apt-get update");
    expect(steps[chromium].run).toContain(`test -x ${CHROMIUM_PATH}`);
    const order = [
      stepAt(steps, "checks out", uses("actions/checkout")),
      chromium,
      stepAt(steps, "runs npm ci", runs(/^npm ci$/m)),
      stepAt(steps, "checks the content", runs(/^npm run check$/m)),
      stepAt(steps, "runs the tests", runs(/^npm test$/m)),
      stepAt(steps, "builds", runs(/^npm run build$/m)),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

// ---------------------------------------------------------------------------------------------
// The nightly's shell steps, run as GitHub runs them: bash --noprofile --norc -eo pipefail FILE.

const run = promisify(execFile);

interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: string;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "themata-workflows-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function stepScript(pick: (step: Step) => boolean): string {
  const step = nightly.jobs.ingest.steps.find(pick);
  if (!step?.run) throw new Error("no such step");
  return step.run;
}

async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<StepRun> {
  const dir = await mkdtemp(join(scratch, "step-"));
  const file = join(dir, "step.sh");
  const outputs = join(dir, "github-output");
  await writeFile(file, script);
  await writeFile(outputs, "");
  const fullEnv = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputs,
    GITHUB_STEP_SUMMARY: join(dir, "step-summary.md"),
    ...env,
  };
  try {
    const { stdout, stderr } = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd, env: fullEnv });
    return { code: 0, stdout, stderr, outputs: await readFile(outputs, "utf8") };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, outputs: await readFile(outputs, "utf8") };
  }
}

describe("the nightly's ingest step", () => {
  let fakeBin: string;
  beforeAll(async () => {
    fakeBin = join(scratch, "fake-bin");
    await mkdir(fakeBin, { recursive: true });
    // A stand-in for npm: records its arguments, writes the --report file unless told it crashed, exits with FAKE_NPM_EXIT.
    await writeFile(
      join(fakeBin, "npm"),
      [
        "#!/bin/bash",
        'printf "%s\\n" "$@" > "$FAKE_NPM_ARGS"',
        'while [ $# -gt 0 ]; do if [ "$1" = --report ] && [ -z "${FAKE_NPM_CRASH:-}" ]; then echo "{}" > "$2"; fi; shift; done',
        'exit "${FAKE_NPM_EXIT:-0}"',
        "",
      ].join("\n"),
    );
    await chmod(join(fakeBin, "npm"), 0o755);
  });

  const KEY = "sk-ant-test-0123456789-never-print-me";

  async function ingest(env: Record<string, string>, exit = 0): Promise<StepRun & { npmArgs: string[] }> {
    const argsFile = join(await mkdtemp(join(scratch, "args-")), "npm-args");
    const result = await runStep(stepScript(runs(/npm run ingest/)), scratch, {
      PATH: `${fakeBin}${delimiter}${process.env.PATH ?? ""}`,
      FAKE_NPM_ARGS: argsFile,
      FAKE_NPM_EXIT: String(exit),
      INPUT_PROVIDER: "",
      INPUT_LIMIT: "",
      INPUT_DRY_RUN: "",
      REPOSITORY_PROVIDER: "",
      ANTHROPIC_API_KEY: "",
      THEMATA_OPENAI_API_KEY: "",
      ...env,
    });
    const npmArgs = (await readFile(argsFile, "utf8").catch(() => "")).split("\n").filter(Boolean);
    // The report goes to the runner's temp folder, never into the tree that is committed.
    return { ...result, npmArgs: npmArgs.map((a) => (a.startsWith(scratch) && a.endsWith("/ingest-report.json") ? "REPORT" : a)) };
  }

  it("goes on when no item failed (exit 0) and when some did (exit 1), recording the code and warning on 1", async () => {
    const clean = await ingest({}, 0);
    expect(clean.code).toBe(0);
    expect(clean.outputs).toBe("exit-code=0\n");
    const someFailed = await ingest({}, 1);
    expect(someFailed.code).toBe(0);
    expect(someFailed.outputs).toBe("exit-code=1\n");
    expect(someFailed.stdout).toContain("::warning title=Ingest::Some items or sources failed");
  });

  it("fails the job when the run stopped (exit 2 with its report), saying the links not done are kept", async () => {
    const stopped = await ingest({}, 2);
    expect(stopped.code).toBe(2);
    expect(stopped.outputs).toBe("exit-code=2\n");
    expect(stopped.stdout).toContain("::error title=Ingest::The run stopped (exit code 2)");
    expect(stopped.stdout).toContain("kept in the run state for the next run");
  });

  it("fails the job when the run could not start (exit 2, no report) or npm died some other way", async () => {
    const badConfig = await ingest({ FAKE_NPM_CRASH: "1" }, 2);
    expect(badConfig.code).toBe(2);
    expect(badConfig.outputs).toBe("exit-code=2\n");
    expect(badConfig.stdout).toContain("::error title=Ingest::The run could not start (exit code 2)");
    const killed = await ingest({}, 137);
    expect(killed.code).toBe(137);
  });

  it("fails the job when the ingest exits 0 or 1 without its report (an uncaught crash also exits 1)", async () => {
    for (const exit of [0, 1]) {
      const crashed = await ingest({ FAKE_NPM_CRASH: "1" }, exit);
      expect(crashed.code).toBe(1);
      expect(crashed.stdout).toContain(`::error title=Ingest::The ingest ended (exit code ${exit}) without its report`);
    }
  });

  it("uses anthropic with Message Batches on a scheduled night when the key is set, and never prints the key", async () => {
    const night = await ingest({ ANTHROPIC_API_KEY: KEY });
    expect(night.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT", "--provider", "anthropic", "--batch"]);
    expect(night.stdout + night.stderr + night.outputs).not.toContain(KEY);
  });

  it("leaves the provider to the config when there is no key, no input and no variable", async () => {
    const night = await ingest({});
    expect(night.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT"]);
  });

  it("prefers the input, then the THEMATA_PROVIDER variable, over the key; batches only for anthropic", async () => {
    const byVariable = await ingest({ INPUT_PROVIDER: "auto", REPOSITORY_PROVIDER: "openai-compatible", ANTHROPIC_API_KEY: KEY });
    expect(byVariable.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT", "--provider", "openai-compatible"]);
    const byInput = await ingest({ INPUT_PROVIDER: "extractive", REPOSITORY_PROVIDER: "anthropic", ANTHROPIC_API_KEY: KEY });
    expect(byInput.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT", "--provider", "extractive"]);
    const anthropicByVariable = await ingest({ REPOSITORY_PROVIDER: "anthropic" });
    expect(anthropicByVariable.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT", "--provider", "anthropic", "--batch"]);
  });

  it("passes the limit and dry run from the inputs, as single arguments whatever they hold", async () => {
    const manual = await ingest({ INPUT_PROVIDER: "extractive", INPUT_LIMIT: "5", INPUT_DRY_RUN: "true" });
    expect(manual.npmArgs).toEqual(["run", "ingest", "--", "--report", "REPORT", "--provider", "extractive", "--limit", "5", "--dry-run"]);
    const odd = await ingest({ INPUT_PROVIDER: "extractive", INPUT_LIMIT: "5 --allow-host 10.0.0.1; echo hi", INPUT_DRY_RUN: "false" });
    expect(odd.npmArgs.slice(-2)).toEqual(["--limit", "5 --allow-host 10.0.0.1; echo hi"]);
  });
});

function reportJson(items: ItemReport[]): string {
  return JSON.stringify(
    summarizeRun(
      items,
      { startedAt: "2026-11-29T03:17:04.000Z", provider: "extractive", dryRun: false, sourceFailures: [], notes: [] },
      new Date("2026-11-29T03:18:00.000Z"),
    ),
  );
}

describe("the nightly's job summary step", () => {
  it("appends the report's summary to the job summary, or says there is no report", async () => {
    const script = stepScript(runs(/--job-summary/));
    const withReport = await mkdtemp(join(scratch, "summary-"));
    await writeFile(
      join(withReport, "ingest-report.json"),
      reportJson([{ url: "https://a.example/x", title: "X", outcome: "failed", reason: "503", ms: 1 }]),
    );
    const summaryFile = join(withReport, "summary.md");
    const ok = await runStep(script, ROOT, { RUNNER_TEMP: withReport, GITHUB_STEP_SUMMARY: summaryFile });
    expect(ok.code).toBe(0);
    const summary = await readFile(summaryFile, "utf8");
    expect(summary).toContain("## Nightly ingest 2026-11-29");
    expect(summary).toContain("### Failed (1)");

    const none = await mkdtemp(join(scratch, "summary-"));
    const missing = await runStep(script, ROOT, { RUNNER_TEMP: none, GITHUB_STEP_SUMMARY: join(none, "summary.md") });
    expect(missing.code).toBe(0);
    expect(await readFile(join(none, "summary.md"), "utf8")).toContain("No report: the ingest could not start, or crashed.");
  });
});

describe("the nightly's commit step (real git, a bare origin and a shallow clone as actions/checkout makes)", () => {
  const BOT = "github-actions[bot]";
  const BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com";

  async function git(cwd: string, ...args: string[]): Promise<string> {
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Editor",
      GIT_AUTHOR_EMAIL: "editor@example.org",
      GIT_COMMITTER_NAME: "Editor",
      GIT_COMMITTER_EMAIL: "editor@example.org",
    };
    const { stdout } = await run("git", args, { cwd, env });
    return stdout.trim();
  }

  /** origin (bare) with one commit; a depth-1 clone of it, with scripts/ linked in so the step finds report-summary. */
  async function repository(): Promise<{ origin: string; work: string }> {
    const base = await mkdtemp(join(scratch, "git-"));
    const origin = join(base, "origin.git");
    const seed = join(base, "seed");
    await git(base, "init", "--quiet", "--bare", "--initial-branch=main", origin);
    await git(base, "init", "--quiet", "--initial-branch=main", seed);
    await mkdir(join(seed, "content/articles/2026"), { recursive: true });
    await writeFile(join(seed, "content/articles/2026/2026-11-20-old.md"), "---\ntitle: Old\n---\n");
    await writeFile(join(seed, ".gitignore"), "scripts\n.cache/\ndist/\n");
    await git(seed, "add", ".");
    await git(seed, "commit", "--quiet", "-m", "seed");
    await git(seed, "push", "--quiet", origin, "main");
    const work = join(base, "work");
    await git(base, "clone", "--quiet", "--depth", "1", `file://${origin}`, work);
    await symlink(join(ROOT, "scripts"), join(work, "scripts"));
    return { origin, work };
  }

  async function commitStep(work: string, report: string): Promise<StepRun> {
    const temp = await mkdtemp(join(scratch, "runner-temp-"));
    await writeFile(join(temp, "ingest-report.json"), report);
    return runStep(stepScript(runs(/git commit/)), work, {
      PATH: `${join(ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      RUNNER_TEMP: temp,
      BRANCH: "main",
      GIT_AUTHOR_NAME: BOT,
      GIT_AUTHOR_EMAIL: BOT_EMAIL,
      GIT_COMMITTER_NAME: BOT,
      GIT_COMMITTER_EMAIL: BOT_EMAIL,
    });
  }

  const NEW_ITEM: ItemReport = {
    url: "https://a.example/new",
    title: "A new one",
    outcome: "new",
    path: "content/articles/2026/2026-11-29-a-new-one.md",
    ms: 1,
  };

  async function writeNight(work: string): Promise<void> {
    await writeFile(join(work, NEW_ITEM.path ?? ""), "---\ntitle: A new one\n---\n");
    await mkdir(join(work, "state"), { recursive: true });
    await writeFile(join(work, "state/ingest-state.json"), '{ "lastRunAt": "2026-11-29T03:18:00.000Z", "pendingBatches": [] }\n');
    // Things a run leaves that must never be committed.
    await mkdir(join(work, ".cache/ingest/http"), { recursive: true });
    await writeFile(join(work, ".cache/ingest/http/abc"), "cached");
    await writeFile(join(work, "stray.txt"), "not content");
  }

  it("commits new articles and the run state as the bot, with the report's message, and pushes", async () => {
    const { origin, work } = await repository();
    await writeNight(work);
    const result = await commitStep(work, reportJson([NEW_ITEM]));
    expect(result.stderr).not.toContain("fatal");
    expect(result.code).toBe(0);
    expect(await git(origin, "log", "-1", "--format=%an <%ae>%n%B", "main")).toBe(
      `${BOT} <${BOT_EMAIL}>\nNightly ingest 2026-11-29: 1 new, 0 updated\n\nnew: A new one (content/articles/2026/2026-11-29-a-new-one.md)`,
    );
    expect((await git(origin, "show", "--name-only", "--format=", "main")).split("\n").sort()).toEqual([
      "content/articles/2026/2026-11-29-a-new-one.md",
      "state/ingest-state.json",
    ]);
  });

  it("makes no commit when nothing changed", async () => {
    const { origin, work } = await repository();
    const before = await git(origin, "rev-parse", "main");
    const result = await commitStep(work, reportJson([]));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Nothing changed: no commit.");
    expect(await git(origin, "rev-parse", "main")).toBe(before);
  });

  it("rebases once on a push made during the run (an editor's fix) and pushes on top of it", async () => {
    const { origin, work } = await repository();
    // An editor pushes while the run is going.
    const editor = join(work, "..", "editor");
    await git(join(work, ".."), "clone", "--quiet", `file://${origin}`, editor);
    await writeFile(join(editor, "content/articles/2026/2026-11-20-old.md"), "---\ntitle: Old, fixed\n---\n");
    await git(editor, "commit", "--quiet", "-am", "Fix a title");
    await git(editor, "push", "--quiet", "origin", "main");

    await writeNight(work);
    const result = await commitStep(work, reportJson([NEW_ITEM]));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("rebasing on it and pushing again");
    expect((await git(origin, "log", "--format=%s", "main")).split("\n")).toEqual([
      "Nightly ingest 2026-11-29: 1 new, 0 updated",
      "Fix a title",
      "seed",
    ]);
  });

  it("after a stopped run (exit 2) commits the run state and nothing else, and pushes", async () => {
    const { origin, work } = await repository();
    await writeNight(work);
    const step = nightly.jobs.ingest.steps.find((s) => s.name === "Commit the run state of a stopped run");
    expect(step?.if).toBe("${{ failure() && steps.ingest.outputs.exit-code == '2' && inputs.dry-run != true }}");
    const temp = await mkdtemp(join(scratch, "runner-temp-"));
    await writeFile(join(temp, "ingest-report.json"), reportJson([NEW_ITEM]));
    const result = await runStep(step!.run!, work, {
      RUNNER_TEMP: temp,
      BRANCH: "main",
      GIT_AUTHOR_NAME: BOT,
      GIT_AUTHOR_EMAIL: BOT_EMAIL,
      GIT_COMMITTER_NAME: BOT,
      GIT_COMMITTER_EMAIL: BOT_EMAIL,
    });
    expect(result.stderr).not.toContain("fatal");
    expect(result.code).toBe(0);
    expect(await git(origin, "log", "-1", "--format=%an %s", "main")).toBe(
      `${BOT} Nightly ingest stopped: links not done kept in the run state`,
    );
    expect(await git(origin, "show", "--name-only", "--format=", "main")).toBe("state/ingest-state.json");
  });

  it("fails when the commit message cannot be made from the report", async () => {
    const { origin, work } = await repository();
    await writeNight(work);
    const before = await git(origin, "rev-parse", "main");
    const result = await commitStep(work, "{ not json");
    expect(result.code).toBe(2);
    expect(await git(origin, "rev-parse", "main")).toBe(before);
  });
});
