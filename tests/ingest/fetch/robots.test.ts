// robots.txt rules: our agent's group or `*`, and what each answer status means. No network.
import { describe, expect, test } from "vitest";
import { parseRobots, robotsFromResponse, robotsUrlFor } from "../../../src/ingest/fetch/robots.ts";

const UA = "ThemataBot/0.1 (+https://themata.ai/about/)";
const ROBOTS = "https://example.com/robots.txt";

describe("parseRobots", () => {
  test("applies the ThemataBot group, matched case-insensitively on the product token", () => {
    const rules = parseRobots(ROBOTS, "User-agent: themataBOT\nDisallow: /private\n\nUser-agent: *\nDisallow: /", UA);
    expect(rules.allows("https://example.com/public/page")).toBe(true);
    expect(rules.allows("https://example.com/private/page")).toBe(false);
  });

  test("falls back to the * group when no group names us", () => {
    const rules = parseRobots(ROBOTS, "User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /drafts/", UA);
    expect(rules.allows("https://example.com/drafts/x")).toBe(false);
    expect(rules.allows("https://example.com/posts/x")).toBe(true);
  });

  test("honours Allow over a shorter Disallow, wildcards and query strings", () => {
    const rules = parseRobots(ROBOTS, "User-agent: *\nDisallow: /a/\nAllow: /a/open\nDisallow: /*.pdf$\nDisallow: /search?", UA);
    expect(rules.allows("https://example.com/a/closed")).toBe(false);
    expect(rules.allows("https://example.com/a/open/page")).toBe(true);
    expect(rules.allows("https://example.com/files/report.pdf")).toBe(false);
    expect(rules.allows("https://example.com/search?q=ai")).toBe(false);
    expect(rules.allows("https://example.com/searching")).toBe(true);
  });

  test("an empty or garbage robots.txt allows everything", () => {
    expect(parseRobots(ROBOTS, "", UA).allows("https://example.com/x")).toBe(true);
    expect(parseRobots(ROBOTS, "<html><body>Not found</body></html>", UA).allows("https://example.com/x")).toBe(true);
  });
});

describe("robotsFromResponse (RFC 9309 answers)", () => {
  test("2xx: the file's rules", () => {
    const result = robotsFromResponse(ROBOTS, 200, "User-agent: *\nDisallow: /", UA);
    expect(result.ok && result.value.allows("https://example.com/x")).toBe(false);
  });

  test.each([401, 403, 404, 410])("HTTP %i: no rules, everything allowed", (status) => {
    const result = robotsFromResponse(ROBOTS, status, "User-agent: *\nDisallow: /", UA);
    expect(result.ok && result.value.allows("https://example.com/x")).toBe(true);
  });

  test.each([500, 501, 302])("HTTP %i: the site is treated as disallowing everything, with the reason", (status) => {
    expect(robotsFromResponse(ROBOTS, status, "", UA)).toEqual({
      ok: false,
      reason: `robots.txt answered HTTP ${status}, so the site is treated as disallowing everything`,
    });
  });
});

test("robotsUrlFor keeps scheme, host and port and drops path and query", () => {
  expect(robotsUrlFor(new URL("http://127.0.0.1:8080/a/b?c=d#e"))).toBe("http://127.0.0.1:8080/robots.txt");
  expect(robotsUrlFor(new URL("https://Example.COM/x"))).toBe("https://example.com/robots.txt");
});
