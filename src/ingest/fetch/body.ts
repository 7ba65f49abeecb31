/** Reading response bodies within a size cap and a whole-body time limit, and dropping the ones we do not read. */
import type { Dispatcher } from "undici";
import { codedError } from "./connector.ts";

export type ResponseBody = Dispatcher.ResponseData["body"];

export interface BodyLimits {
  /** Largest body accepted, counted after decompression. */
  maxBytes: number;
  /** The whole body, first byte to last. */
  bodyTimeoutMs: number;
}

/** The whole body, or a thrown coded error: `UND_ERR_RES_EXCEEDED_MAX_SIZE` past maxBytes, `THEMATA_BODY_DEADLINE` past the time limit. */
export async function readBody(body: ResponseBody, limits: BodyLimits): Promise<Buffer> {
  // undici's bodyTimeout is between chunks; this bounds the whole body, so a drip cannot last forever.
  const deadline = setTimeout(() => body.destroy(codedError("THEMATA_BODY_DEADLINE", "body deadline")), limits.bodyTimeoutMs);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        const tooLarge = codedError("UND_ERR_RES_EXCEEDED_MAX_SIZE", "body over maxBytes");
        body.destroy(tooLarge);
        throw tooLarge;
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  } finally {
    clearTimeout(deadline);
  }
}

/** Drops a body we will not read; the error listener keeps the abort from being an unhandled 'error'. */
export function abandon(body: ResponseBody): void {
  body.on("error", () => {}).destroy();
}

/** Reads and throws away a small body (so the connection can be reused), within the body time limit and the caller's signal. */
export async function discard(body: ResponseBody, bodyTimeoutMs: number, signal?: AbortSignal): Promise<void> {
  const limit = AbortSignal.timeout(bodyTimeoutMs);
  await body.dump({ limit: 64 * 1024, signal: signal ? AbortSignal.any([limit, signal]) : limit }).catch(() => {});
}
