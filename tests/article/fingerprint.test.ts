// Fingerprints: short hashes that stay equal for equal values and change with any change.
import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint } from "../../src/article/fingerprint.ts";

describe("fingerprint", () => {
  it("is 12 hex digits and stable across runs", () => {
    expect(fingerprint("Hello")).toMatch(/^[0-9a-f]{12}$/);
    // sha256('"Hello"') starts with these digits: a changed algorithm would mark every field edited.
    expect(fingerprint("Hello")).toBe("c25bf945aaff");
  });
  it("ignores key order and undefined keys", () => {
    expect(fingerprint({ a: 1, b: [1, 2], c: undefined })).toBe(fingerprint({ b: [1, 2], a: 1 }));
  });
  it("reads a date and its ISO string as the same value", () => {
    expect(fingerprint(new Date("2026-06-24T00:00:00Z"))).toBe(fingerprint("2026-06-24T00:00:00.000Z"));
  });
  it("changes with any change of value, order in a list or type", () => {
    const base = fingerprint({ tags: ["a", "b"], heat: 55 });
    expect(fingerprint({ tags: ["b", "a"], heat: 55 })).not.toBe(base);
    expect(fingerprint({ tags: ["a", "b"], heat: 56 })).not.toBe(base);
    expect(fingerprint({ tags: ["a", "b"], heat: "55" })).not.toBe(base);
  });
  it("writes canonical JSON with sorted keys at every depth", () => {
    expect(canonicalJson({ z: { y: 1, x: [{ b: 2, a: 1 }] }, a: null })).toBe('{"a":null,"z":{"x":[{"a":1,"b":2}],"y":1}}');
  });
});
