import { describe, expect, test } from "vitest";
import { encodeFragmentTerm, textFragmentUrl } from "../../src/lib/text-fragment.ts";

describe("text fragment links", () => {
  test("dashes, commas, ampersands and quotes are percent-encoded, so none reads as directive syntax", () => {
    expect(encodeFragmentTerm("state-of-the-art, fast & cheap")).toBe("state%2Dof%2Dthe%2Dart%2C%20fast%20%26%20cheap");
    expect(encodeFragmentTerm(`He said "yes" and 'no'`)).toBe("He%20said%20%22yes%22%20and%20'no'");
    expect(encodeFragmentTerm("an en – dash and an em — dash")).toBe("an%20en%20%E2%80%93%20dash%20and%20an%20em%20%E2%80%94%20dash");
  });
  test("non-ASCII text is encoded as UTF-8", () => {
    expect(encodeFragmentTerm("Zürich “quoted” 東京")).toBe("Z%C3%BCrich%20%E2%80%9Cquoted%E2%80%9D%20%E6%9D%B1%E4%BA%AC");
  });
  test("a short quote is the whole directive; a long one is its first and last five words", () => {
    expect(textFragmentUrl("https://example.test/a", "The lab raised $1.2 billion.")).toBe(
      "https://example.test/a#:~:text=The%20lab%20raised%20%241.2%20billion.",
    );
    expect(textFragmentUrl("https://example.test/a", "one two three four five six seven eight nine ten eleven twelve")).toBe(
      "https://example.test/a#:~:text=one%20two%20three%20four%20five,eight%20nine%20ten%20eleven%20twelve",
    );
  });
  test("a quote cut with an ellipsis links by its start; an existing fragment is replaced", () => {
    expect(textFragmentUrl("https://example.test/a#top", "one two three…")).toBe("https://example.test/a#:~:text=one%20two%20three");
  });
});
