import { describe, expect, it } from "vitest";
import { displayDomain, isTrackingParam, normalizeUrl, tryNormalizeUrl, urlKey } from "../../src/article/url.ts";

describe("normalizeUrl", () => {
  it.each([
    ["lowercases scheme and host, keeps path case", "HTTPS://Example.COM/Some/Path", "https://example.com/Some/Path"],
    ["drops the default https port", "https://example.com:443/a", "https://example.com/a"],
    ["drops the default http port", "http://example.com:80/a", "http://example.com/a"],
    ["keeps a non-default port", "https://example.com:8443/a", "https://example.com:8443/a"],
    ["drops the fragment", "https://example.com/a#section-2", "https://example.com/a"],
    ["drops utm_* parameters", "https://example.com/a?utm_source=hn&utm_medium=x&UTM_Campaign=y", "https://example.com/a"],
    [
      "drops ref, ref_src, fbclid, gclid, mc_cid, mc_eid, igshid",
      "https://example.com/a?ref=hn&ref_src=twsrc&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5",
      "https://example.com/a",
    ],
    ["keeps meaningful parameters, sorted by name", "https://example.com/a?b=2&utm_source=x&a=1", "https://example.com/a?a=1&b=2"],
    ["keeps repeated names in their order", "https://example.com/a?tag=z&id=1&tag=a", "https://example.com/a?id=1&tag=z&tag=a"],
    ["copies kept parameters byte for byte", "https://example.com/watch?v&q=a%20b", "https://example.com/watch?q=a%20b&v"],
    ["drops empty query parts and a bare ?", "https://example.com/a?&&", "https://example.com/a"],
    ["drops a trailing slash from the path", "https://example.com/a/b/", "https://example.com/a/b"],
    ["drops several trailing slashes", "https://example.com/a//", "https://example.com/a"],
    ["keeps the root slash", "https://example.com/", "https://example.com/"],
    ["adds the root slash to a bare host", "https://example.com", "https://example.com/"],
    ["keeps www. (compared away by urlKey)", "https://www.example.com/a", "https://www.example.com/a"],
    ["keeps http (not upgraded blindly)", "http://example.com/a", "http://example.com/a"],
    ["drops the host's trailing dot", "https://example.com./a", "https://example.com/a"],
    ["resolves dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"],
    ["trims surrounding whitespace", "  https://example.com/a \n", "https://example.com/a"],
    ["keeps the HN thread id", "https://news.ycombinator.com/item?id=41234567", "https://news.ycombinator.com/item?id=41234567"],
    ["encodes an IDN host as punycode", "https://bücher.example/x", "https://xn--bcher-kva.example/x"],
    [
      "everything at once",
      "HTTP://WWW.Example.com:80/Blog/Post/?utm_source=rss&b=2&a=1&fbclid=abc#comments",
      "http://www.example.com/Blog/Post?a=1&b=2",
    ],
  ])("%s", (_name, input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it("is idempotent", () => {
    const once = normalizeUrl("HTTP://WWW.Example.com:80/Blog/?utm_source=rss&b=2&a=1#x");
    expect(normalizeUrl(once)).toBe(once);
  });

  it("leaves what is not an http(s) URL trimmed and otherwise unchanged", () => {
    expect(normalizeUrl(" not a url ")).toBe("not a url");
    expect(normalizeUrl("ftp://example.com/a/")).toBe("ftp://example.com/a/");
    expect(tryNormalizeUrl("ftp://example.com/a/")).toBeNull();
    expect(tryNormalizeUrl("file:///etc/passwd")).toBeNull();
    expect(tryNormalizeUrl("javascript:alert(1)")).toBeNull();
    expect(tryNormalizeUrl("/relative/path")).toBeNull();
  });
});

describe("urlKey", () => {
  it("treats http and https, with and without www, as the same page", () => {
    const key = urlKey("https://example.com/a");
    expect(urlKey("http://example.com/a")).toBe(key);
    expect(urlKey("https://www.example.com/a/")).toBe(key);
    expect(urlKey("HTTP://WWW.EXAMPLE.COM/a?utm_source=x#top")).toBe(key);
  });

  it("still tells different paths, path case and parameters apart", () => {
    expect(urlKey("https://example.com/a")).not.toBe(urlKey("https://example.com/A"));
    expect(urlKey("https://example.com/a?id=1")).not.toBe(urlKey("https://example.com/a?id=2"));
    expect(urlKey("https://blog.example.com/a")).not.toBe(urlKey("https://example.com/a"));
  });
});

describe("isTrackingParam", () => {
  it("knows tracking names in any case and spares meaningful ones", () => {
    expect(isTrackingParam("utm_anything")).toBe(true);
    expect(isTrackingParam("FBCLID")).toBe(true);
    expect(isTrackingParam("id")).toBe(false);
    expect(isTrackingParam("source")).toBe(false);
    expect(isTrackingParam("reference")).toBe(false);
  });
});

describe("displayDomain", () => {
  it.each([
    ["https://www.techstrong.ai/articles/x", "techstrong.ai"],
    ["https://techstrong.ai/", "techstrong.ai"],
    ["https://blog.example.com:8080/a", "blog.example.com"],
    ["http://www2.example.org/a", "example.org"],
    ["https://NEWS.Example.COM/a", "news.example.com"],
  ])("%s → %s", (input, expected) => {
    expect(displayDomain(input)).toBe(expected);
  });
});
