/** Short, stable hashes of field values: how the writer tells an editor's change from its own. */
import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted and dates as ISO strings, so equal values always give equal
 * text whatever their key order or whether a date came from YAML or from code.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonical(item);
    }
    return out;
  }
  return value;
}

/** First 12 hex digits of sha256 of the canonical JSON: 48 bits, short enough to sit in a file. */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 12);
}

/** Full sha256 (hex) of some bytes, e.g. a stored image. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
