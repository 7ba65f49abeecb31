/** The fetcher's retry rules: which statuses and network errors are worth another try, and how each failure reads. */

/** 429 and 5xx, except the two that say the server will never do it (501 Not Implemented, 505 HTTP Version). */
export function isRetryableWebStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Network error codes worth another try: the next attempt may well connect. */
const RETRYABLE_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "THEMATA_RESOLVE_TIMEOUT",
]);

export interface ErrorLimits {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBytes: number;
}

export interface DescribedError {
  reason: string;
  retryable: boolean;
  /** The address rules said no. */
  refused?: boolean;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A thrown request error in a maintainer's words, and whether to try again. */
export function describeError(error: unknown, url: URL, limits: ErrorLimits): DescribedError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "THEMATA_REFUSED":
      return { reason: message, retryable: false, refused: true };
    case "THEMATA_RESOLVE_TIMEOUT":
      return { reason: message, retryable: true };
    case "UND_ERR_CONNECT_TIMEOUT":
      return { reason: `could not connect to ${url.host} within ${limits.connectTimeoutMs} ms`, retryable: true };
    case "UND_ERR_HEADERS_TIMEOUT":
      return { reason: `no response headers within ${limits.headersTimeoutMs} ms`, retryable: true };
    case "UND_ERR_BODY_TIMEOUT":
      return { reason: `the body stalled for ${limits.bodyTimeoutMs} ms`, retryable: false };
    case "THEMATA_BODY_DEADLINE":
      return { reason: `the body did not arrive within ${limits.bodyTimeoutMs} ms`, retryable: false };
    case "UND_ERR_RES_EXCEEDED_MAX_SIZE": {
      const decompressed = /decompressed/i.test(message);
      return {
        reason: `the body is larger than ${megabytes(limits.maxBytes)}${decompressed ? " once decompressed" : ""} (maxBytes); download stopped`,
        retryable: false,
      };
    }
    case "ENOTFOUND":
      return { reason: `${url.hostname} does not resolve (${message})`, retryable: false };
  }
  if (typeof code === "string" && RETRYABLE_ERRORS.has(code)) {
    return { reason: message.includes(code) ? message : `${message} (${code})`, retryable: true };
  }
  if (typeof code === "string" && code.startsWith("Z_"))
    return { reason: `the body could not be decompressed: ${message}`, retryable: false };
  return { reason: message, retryable: false };
}
