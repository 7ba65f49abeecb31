/** robots.txt for the fetcher: where it lives, what an answer means (RFC 9309), and whether a URL may be fetched. */
import robotsParser from "robots-parser";
import { fail, ok, type Result } from "../../article/result.ts";

export interface RobotsRules {
  /** Whether our crawler may fetch this URL (a URL of the same origin as the robots.txt). */
  allows(url: string): boolean;
}

/** No robots.txt (or one that says nothing to us): everything may be fetched. */
export const ALLOW_ALL: RobotsRules = { allows: () => true };

/** `https://example.com/a/b?c` → `https://example.com/robots.txt`. */
export function robotsUrlFor(url: URL): string {
  return `${url.origin}/robots.txt`;
}

/**
 * The rules in a robots.txt for a user agent. The group whose name matches the agent's product
 * token (`ThemataBot` from `ThemataBot/0.1 (+https://…)`, case-insensitive) applies; else `*`.
 */
export function parseRobots(robotsTxtUrl: string, text: string, userAgent: string): RobotsRules {
  const robots = robotsParser(robotsTxtUrl, text);
  // undefined means the URL is of another origin; rules are only ever asked about their own.
  return { allows: (url) => robots.isAllowed(url, userAgent) !== false };
}

/**
 * What a robots.txt answer means (RFC 9309 §2.3.1): 2xx → its rules; 4xx (404, 410, even 401/403)
 * → no rules, allow all; anything else (5xx after retries) → the site is unreachable, fetch nothing.
 */
export function robotsFromResponse(robotsTxtUrl: string, status: number, text: string, userAgent: string): Result<RobotsRules> {
  if (status >= 200 && status < 300) return ok(parseRobots(robotsTxtUrl, text, userAgent));
  if (status >= 400 && status < 500) return ok(ALLOW_ALL);
  return fail(`robots.txt answered HTTP ${status}, so the site is treated as disallowing everything`);
}
