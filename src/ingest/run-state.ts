/** What one run leaves for the next: its time, Message Batches still running with their items, deferred items and failed links. */
import { readFile } from "node:fs/promises";
import { z } from "astro/zod";
import { fail, ok, type Result } from "../article/result.ts";
import type { Candidate, PendingBatch } from "./types.ts";
import { writeFileAtomic } from "./shared/atomic-file.ts";

const candidateSchema = z.object({
  url: z.string(),
  title: z.string(),
  via: z.string(),
  seenAt: z.coerce.date(),
  hn: z.object({ id: z.string(), points: z.number(), comments: z.number(), text: z.string().optional() }).optional(),
});

const pendingSchema = z.object({
  /** The batch as the provider recorded it (id, custom ids, what answers are checked against). */
  batch: z.custom<PendingBatch>((value) => typeof value === "object" && value !== null && "batchId" in value),
  /** The items it summarizes, so the next run can prepare them again and write their articles. */
  candidates: z.array(candidateSchema),
});

const failedLinkSchema = z.object({
  candidate: candidateSchema,
  failures: z.number().int().min(1),
  firstFailedAt: z.coerce.date(),
  lastFailedAt: z.coerce.date(),
  nextTryAt: z.coerce.date(),
  reason: z.string(),
  gaveUp: z.boolean(),
});

export const runStateSchema = z.object({
  lastRunAt: z.coerce.date().nullable().default(null),
  pendingBatches: z.array(pendingSchema).default([]),
  /** Candidates the last run's deadline left unattempted: the next run tries them first. */
  deferred: z.array(candidateSchema).default([]),
  /** Links whose fetch failed, with their back-off (src/ingest/sources/carried-over.ts). */
  failedLinks: z.array(failedLinkSchema).default([]),
});

export type RunState = z.infer<typeof runStateSchema>;
export type PendingWork = { batch: PendingBatch; candidates: Candidate[] };

export const EMPTY_RUN_STATE: RunState = { lastRunAt: null, pendingBatches: [], deferred: [], failedLinks: [] };

/** Reads the state file; a missing file is a first run, a broken one a clear failure. */
export async function readRunState(file: string): Promise<Result<RunState>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return ok(EMPTY_RUN_STATE);
    return fail(`${file}: cannot read the run state (${(error as Error).message})`);
  }
  try {
    const parsed = runStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      return fail(`${file}: not a run state: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    return ok(parsed.data);
  } catch (error) {
    return fail(`${file}: not JSON (${(error as Error).message})`);
  }
}

/** Writes the state atomically, so a killed run leaves the previous state whole. */
export async function writeRunState(file: string, state: z.input<typeof runStateSchema>): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { exclusive: false });
}
