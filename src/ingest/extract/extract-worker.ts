/** Worker-thread entry for extraction: reads pages sent by the pool (worker-pool.ts) one at a time and posts each result back. */
import { parentPort } from "node:worker_threads";
import { extractArticle } from "./extract.ts";
import type { ExtractedArticle } from "../types.ts";

/** A page to read, as the pool sends it. */
export interface ExtractJob {
  id: number;
  html: string;
  url: string;
}

/** What the worker posts: `ready` once its modules are loaded, then a reply per job. */
export type ExtractReply =
  { ready: true } | { id: number; ok: true; article: ExtractedArticle } | { id: number; ok: false; reason: string };

parentPort?.on("message", (job: ExtractJob) => {
  let reply: ExtractReply;
  try {
    reply = { id: job.id, ok: true, article: extractArticle(job.html, job.url) };
  } catch (error) {
    reply = { id: job.id, ok: false, reason: `extraction failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  parentPort!.postMessage(reply);
});

// Loading jsdom, Readability and cheerio takes a while: a page's time limit starts only after.
parentPort?.postMessage({ ready: true } satisfies ExtractReply);
