/** Extraction off the main thread: a small pool of worker threads, each page within a time and a memory limit. */
import { Worker } from "node:worker_threads";
import type { Result } from "../../article/result.ts";
import type { ExtractConfig } from "../config.ts";
import type { ExtractedArticle } from "../types.ts";
import type { ExtractJob, ExtractReply } from "./extract-worker.ts";

const WORKER_FILE = new URL("./extract-worker.ts", import.meta.url);

interface Pending {
  job: ExtractJob;
  resolve: (result: Result<ExtractedArticle>) => void;
}

/** One worker thread and the job it is on, if any. */
interface Slot {
  worker: Worker;
  /** Its modules are loaded: page time limits start only then. */
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
  /** Samples the busy worker's heap against `memoryMb`. */
  watch: NodeJS.Timeout | null;
}

/** How often a busy worker's heap is sampled, in milliseconds. */
const HEAP_SAMPLE_MS = 100;

/**
 * Runs `extractArticle` in up to `limits.workers` threads. A page past `timeoutSeconds`, or
 * past `memoryMb` of heap, fails alone: its worker is ended and replaced, and the other pages
 * go on. Idle workers do not keep the process alive; `close()` ends them at once.
 */
export class ExtractorPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private readonly limits: ExtractConfig;

  constructor(limits: ExtractConfig) {
    this.limits = limits;
  }

  /** Reads one page in a worker; a failure names why (time, memory, a crash), never throws. */
  extract(html: string, url: string): Promise<Result<ExtractedArticle>> {
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, html, url }, resolve });
      this.dispatch();
    });
  }

  /** Ends every worker; pages still waiting fail. */
  async close(): Promise<void> {
    for (const pending of this.queue.splice(0)) pending.resolve({ ok: false, reason: "extraction was stopped" });
    await Promise.all(this.slots.splice(0).map((slot) => this.end(slot, { ok: false, reason: "extraction was stopped" })));
  }

  private dispatch(): void {
    // Enough workers for the queue (a starting worker counts: it takes a page once ready).
    const idle = this.slots.filter((slot) => !slot.busy).length;
    for (let n = Math.min(this.queue.length - idle, this.limits.workers - this.slots.length); n > 0; n--) this.spawn();
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.busy) continue;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        void this.replace(slot, {
          ok: false,
          reason: `extraction took longer than ${this.limits.timeoutSeconds} s (extract.timeoutSeconds)`,
        });
      }, this.limits.timeoutSeconds * 1000);
      slot.watch = setInterval(() => void this.checkHeap(slot), HEAP_SAMPLE_MS);
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): void {
    // The pool ends a worker past `memoryMb` itself (sampling its heap): V8's own heap limit
    // can end the whole process instead of the worker, so it is set well above, as a backstop.
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb * 2 + 512 } });
    const slot: Slot = { worker, ready: false, busy: null, timer: null, watch: null };
    worker.unref();
    worker.on("message", (reply: ExtractReply) => {
      if ("ready" in reply) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      if (!slot.busy || slot.busy.job.id !== reply.id) return;
      this.finish(slot, reply.ok ? { ok: true, value: reply.article } : { ok: false, reason: reply.reason });
      this.dispatch();
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const reason =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `extraction needed more than ${this.limits.memoryMb} MB (extract.memoryMb)`
          : `extraction failed: ${error.message}`;
      void this.replace(slot, { ok: false, reason });
    });
    worker.on("exit", () => {
      // A worker that ends on its own (a crash) fails its page; the pool starts another when needed.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      if (slot.busy) this.finish(slot, { ok: false, reason: "extraction stopped unexpectedly" });
      this.dispatch();
    });
    this.slots.push(slot);
  }

  private async checkHeap(slot: Slot): Promise<void> {
    const job = slot.busy;
    const heap = await slot.worker.getHeapStatistics().catch(() => null);
    if (!heap || !job || slot.busy !== job) return;
    if (heap.used_heap_size > this.limits.memoryMb * 2 ** 20) {
      await this.replace(slot, { ok: false, reason: `extraction needed more than ${this.limits.memoryMb} MB (extract.memoryMb)` });
    }
  }

  private finish(slot: Slot, result: Result<ExtractedArticle>): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.watch) clearInterval(slot.watch);
    slot.timer = null;
    slot.watch = null;
    const pending = slot.busy;
    slot.busy = null;
    slot.worker.unref();
    pending?.resolve(result);
  }

  /** Fails the slot's page with `result`, ends its worker and lets the queue go on in a new one. */
  private async replace(slot: Slot, result: Result<ExtractedArticle>): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    await this.end(slot, result);
    this.dispatch();
  }

  private async end(slot: Slot, result: Result<ExtractedArticle>): Promise<void> {
    this.finish(slot, result);
    await slot.worker.terminate();
  }
}

const shared = new Map<string, ExtractorPool>();

/**
 * The process's pool for these limits, made on first use. Worker threads are a process
 * resource like sockets: one pool serves every run in the process (tests run many), and its
 * idle workers never keep the process alive.
 */
export function sharedExtractorPool(limits: ExtractConfig): ExtractorPool {
  const key = `${limits.timeoutSeconds}/${limits.memoryMb}/${limits.workers}`;
  let pool = shared.get(key);
  if (!pool) shared.set(key, (pool = new ExtractorPool(limits)));
  return pool;
}
