/** What a fetch asks for and gets: Accept headers, media types, sniffing, and charset decoding of bodies. */

import type { Accept } from "../types.ts";

export type { Accept };

/** What a request is for: a caller's kind of resource, or our own robots.txt lookup (any type). */
export type Kind = Accept | "robots";

export const ACCEPT_HEADER: Record<Kind, string> = {
  html: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
  feed: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
  json: "application/json,*/*;q=0.1",
  image: "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8",
  text: "text/plain,text/*;q=0.9",
  robots: "text/plain,*/*;q=0.1",
};

/** Whether a media type (lowercase, no parameters) is what the caller asked for. */
export function acceptsType(kind: Kind, type: string): boolean {
  switch (kind) {
    case "html":
      return type === "text/html" || type === "application/xhtml+xml";
    case "feed":
      return /^(application|text)\/([\w.+-]+\+)?xml$/.test(type);
    case "json":
      return /^application\/([\w.+-]+\+)?json$/.test(type);
    case "image":
      return type.startsWith("image/");
    case "text":
      return type.startsWith("text/");
    case "robots":
      return true;
  }
}

/** `text/html; charset=UTF-8` → `text/html`. */
export function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** A media type from the first bytes, for the rare response without a Content-Type header. */
export function sniffMediaType(body: Buffer): string {
  const head = body
    .subarray(0, 1024)
    .toString("latin1")
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, "")
    .trimStart();
  if (head.startsWith("%PDF-")) return "application/pdf";
  if (head.startsWith("\x89PNG")) return "image/png";
  if (head.startsWith("\xFF\xD8\xFF")) return "image/jpeg";
  if (head.startsWith("GIF8")) return "image/gif";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return "image/webp";
  if (/^<(!doctype html|html|head|body)[\s>]/i.test(head)) return "text/html";
  if (head.startsWith("<?xml") || head.startsWith("<rss") || head.startsWith("<feed")) return "application/xml";
  if (head.startsWith("{") || head.startsWith("[")) return "application/json";
  return "application/octet-stream";
}

/** The encoding TextDecoder knows a label by, or null (e.g. `latin1` → `windows-1252`, `klingon` → null). */
function encodingFor(label: string | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, "")).encoding;
  } catch {
    return null;
  }
}

/**
 * The charset to decode a text body with: a byte-order mark; else the Content-Type header's
 * `charset`; else, for HTML, `<meta charset>` or `<meta http-equiv … charset=…>` in the first
 * 1024 bytes (as browsers prescan), for XML its declaration's `encoding`; else UTF-8.
 */
export function charsetOf(body: Buffer, contentType: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  const fromHeader = encodingFor(/;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType)?.[1]);
  if (fromHeader) return fromHeader;
  const type = mediaType(contentType);
  const head = body.subarray(0, 1024).toString("latin1");
  if (type === "text/html" || type === "application/xhtml+xml" || type === "") {
    const meta = encodingFor(/<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1]);
    // The HTML spec: a meta tag cannot switch to UTF-16 (the bytes were read as ASCII to find it).
    if (meta) return meta.startsWith("utf-16") ? "utf-8" : meta === "x-user-defined" ? "windows-1252" : meta;
  }
  if (type.endsWith("xml") || type === "") {
    const declared = encodingFor(/^<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1]);
    if (declared) return declared;
  }
  return "utf-8";
}

/** Body bytes as text in their charset (malformed bytes become U+FFFD; a BOM is dropped). */
export function decodeBody(body: Buffer, contentType: string): string {
  return new TextDecoder(charsetOf(body, contentType)).decode(body);
}
