// What the fetcher refuses, over real HTTP on 127.0.0.0/8: address rules on every hop (before any socket), schemes, redirects, robots.txt.
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createFetcher, type FetcherOptions } from "../../../src/ingest/fetch/fetcher.ts";
import type { Fetcher } from "../../../src/ingest/types.ts";
import { fetchConfig } from "../../../src/ingest/config.ts";
import {
  flaky,
  html,
  recordClientSockets,
  redirect,
  robotsTxt,
  startFixtureWeb,
  type FixtureWeb,
} from "../../../scripts/fixtures/fixture-web.ts";

let web: FixtureWeb;
/** A server on another loopback address that no test allows: it must never see a request. */
let other: FixtureWeb;
let sockets: ReturnType<typeof recordClientSockets>;
const fetchers: Fetcher[] = [];

beforeAll(async () => {
  other = await startFixtureWeb({ "/*": html("<p>you should not be here</p>") }, { host: "127.0.0.2" });
  const chain: Record<string, ReturnType<typeof redirect>> = {};
  for (let i = 1; i <= 6; i++) chain[`/chain/${i}`] = redirect(`/chain/${i - 1}`, 301);
  web = await startFixtureWeb({
    "/page": html("<p>fine</p>"),
    "/chain/0": html("<p>end of the chain</p>"),
    ...chain,
    "/loop-a": redirect("/loop-b"),
    "/loop-b": redirect("/loop-a"),
    "/to-other": redirect(`${other.url}/secret`),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-mapped": redirect(`http://[::ffff:127.0.0.2]:${other.port}/secret`),
  });
});
beforeEach(() => {
  sockets = recordClientSockets();
});
afterEach(async () => {
  sockets.stop();
  // Whatever a test did, every socket it opened went to 127.0.0.1 (never 127.0.0.2, never off the machine).
  expect(sockets.remoteAddresses().filter((address) => address !== undefined && address !== "127.0.0.1")).toEqual([]);
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
afterAll(async () => {
  expect(other.requests).toEqual([]);
  await Promise.all([web.close(), other.close()]);
});

function fetcher(extra: Partial<FetcherOptions> = {}): Fetcher {
  const created = createFetcher({
    ...fetchConfig(),
    allowHosts: [web.hostPort],
    cacheDir: null,
    respectRobots: false,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1000,
    bodyTimeoutMs: 2000,
    retries: 1,
    retryBaseMs: 10,
    ...extra,
  });
  fetchers.push(created);
  return created;
}

describe("address rules", () => {
  test("a redirect to 127.0.0.2 is refused before connecting when only 127.0.0.1:port is allowed", async () => {
    const result = await fetcher().get(`${web.url}/to-other`, "html");
    expect(result).toEqual({
      ok: false,
      reason: `${web.url}/to-other (redirect 1 to ${other.url}/secret): refused: 127.0.0.2 is loopback (127.0.0.0/8); ${other.hostPort} is not in allowHosts`,
    });
    expect(other.requests).toEqual([]);
    expect(sockets.remoteAddresses()).toEqual(["127.0.0.1"]);
  });

  test("a redirect to the IPv4-mapped form of 127.0.0.2 is refused the same way", async () => {
    const result = await fetcher().get(`${web.url}/to-mapped`, "html");
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining("refused: ::ffff:7f00:2 is the IPv4-mapped form of 127.0.0.2, which is loopback (127.0.0.0/8)"),
    });
  });

  test("a redirect to the cloud metadata address is refused without a socket to it", async () => {
    const result = await fetcher().get(`${web.url}/to-metadata`, "html");
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining("refused: 169.254.169.254 is link-local") });
    expect(sockets.remoteAddresses()).toEqual(["127.0.0.1"]);
  });

  test.each([
    ["10.0.0.5", "10.0.0.5 is private (10.0.0.0/8)"],
    ["169.254.169.254", "169.254.169.254 is link-local"],
    ["::ffff:127.0.0.1", "::ffff:127.0.0.1 is the IPv4-mapped form of 127.0.0.1, which is loopback"],
    ["fd00::1", "fd00::1 is unique local (private) (fc00::/7)"],
  ])("a name the resolver maps to %s is refused before any socket is opened", async (address, why) => {
    const asked: string[] = [];
    const result = await fetcher({
      respectRobots: true,
      resolve: async (hostname) => {
        asked.push(hostname);
        return [{ address, family: address.includes(":") ? 6 : 4 }];
      },
    }).get("http://internal.example/admin", "html");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.startsWith("http://internal.example/admin: refused: internal.example resolves to a non-public address: ")).toBe(
        true,
      );
      expect(result.reason).toContain(why);
      expect(result.reason.endsWith("internal.example:80 is not in allowHosts")).toBe(true);
    }
    // Asked once (for robots.txt, the first request); refused there, so the page was never tried.
    expect(asked).toEqual(["internal.example"]);
    expect(sockets.sockets).toEqual([]);
  });

  test.each([
    ["http://2130706433:PORT/page", "127.0.0.1 is loopback"],
    ["http://0x7f.1:PORT/page", "127.0.0.1 is loopback"],
    ["http://[::1]:PORT/page", "::1 is loopback"],
    ["http://0.0.0.0:PORT/page", "0.0.0.0 is unspecified"],
  ])("the literal %s is refused when nothing is allowed", async (template, why) => {
    const result = await fetcher({ allowHosts: [] }).get(template.replace("PORT", String(web.port)), "html");
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(`refused: ${why}`) });
    expect(sockets.sockets).toEqual([]);
  });

  test("allowing 127.0.0.1 on another port does not allow this one", async () => {
    const result = await fetcher({ allowHosts: [`127.0.0.1:${web.port + 1}`] }).get(`${web.url}/page`, "html");
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(`${web.hostPort} is not in allowHosts`) });
    expect(sockets.sockets).toEqual([]);
  });

  test("allowHosts matches names as written: a name that resolves to the allowed 127.0.0.1 is still refused", async () => {
    const before = web.requests.length;
    const result = await fetcher({ resolve: async () => [{ address: "127.0.0.1", family: 4 }] }).get(
      `http://sneaky.example:${web.port}/page`,
      "html",
    );
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining("refused: sneaky.example resolves to a non-public address: 127.0.0.1 is loopback"),
    });
    expect(web.requests.length).toBe(before);
    expect(sockets.sockets).toEqual([]);
  });

  test("an allowed name connects to the address its resolver returned, once, with the name in the Host header", async () => {
    const asked: string[] = [];
    const result = await fetcher({
      allowHosts: [`fixture.test:${web.port}`],
      resolve: async (hostname) => {
        asked.push(hostname);
        return [{ address: "127.0.0.1", family: 4 }];
      },
    }).get(`http://fixture.test:${web.port}/page`, "html");
    expect(result.ok && result.value.text).toBe("<p>fine</p>");
    expect(asked).toEqual(["fixture.test"]);
    expect(sockets.remoteAddresses()).toEqual(["127.0.0.1"]);
    expect(web.requestsTo("/page").at(-1)!.headers.host).toBe(`fixture.test:${web.port}`);
  });

  test("over https, the connection pinned to the checked address still verifies the certificate for the URL's name", async () => {
    // A self-signed certificate for fixture.test only (EC P-256, valid to 2126), trusted by this test process.
    const cert = `-----BEGIN CERTIFICATE-----
MIIBnjCCAUSgAwIBAgIUBqVoiRmXwuibnUHUXztlgmKhc/4wCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMZml4dHVyZS50ZXN0MCAXDTI2MTEyOTA0Mjc1MVoYDzIxMjYx
MTA1MDQyNzUxWjAXMRUwEwYDVQQDDAxmaXh0dXJlLnRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQEnRcWoNl41+csCXUZ4dwjFOaUpuXy1iT5CthV0j17X4pN
Zm3BSV6CjbWsSjgUU0zLheH7lN4SJpv97lYTdUfAo2wwajAdBgNVHQ4EFgQUqGs7
jsgSzqezGZb6JNbOspEzgwYwHwYDVR0jBBgwFoAUqGs7jsgSzqezGZb6JNbOspEz
gwYwDwYDVR0TAQH/BAUwAwEB/zAXBgNVHREEEDAOggxmaXh0dXJlLnRlc3QwCgYI
KoZIzj0EAwIDSAAwRQIgO9cvwMFf75DMJgCIf/1nlYTW2H/OSacp1ta2aG7QUhEC
IQDsUed5zBb1iTqYNtVTsVwJvDN5Qd0wIMCBW7HZ9abFGQ==
-----END CERTIFICATE-----`;
    const key = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmuG4T12IPARnvQad
+ER0lIH2VIoMhE+e7b04apOn4iihRANCAAQEnRcWoNl41+csCXUZ4dwjFOaUpuXy
1iT5CthV0j17X4pNZm3BSV6CjbWsSjgUU0zLheH7lN4SJpv97lYTdUfA
-----END PRIVATE KEY-----`;
    setDefaultCACertificates([...getCACertificates("default"), cert]);
    const server = createServer({ cert, key }, (req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<p>tls to ${req.headers.host}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const f = fetcher({
        allowHosts: [`fixture.test:${port}`, `impostor.test:${port}`],
        retries: 0,
        resolve: async () => [{ address: "127.0.0.1", family: 4 }],
      });
      const good = await f.get(`https://fixture.test:${port}/`, "html");
      expect(good.ok && good.value.text).toBe(`<p>tls to fixture.test:${port}</p>`);
      const impostor = await f.get(`https://impostor.test:${port}/`, "html");
      expect(impostor).toMatchObject({ ok: false, reason: expect.stringContaining("does not match certificate's altnames") });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("an unresolvable name is a clear failure, not retried", async () => {
    const result = await fetcher({
      resolve: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
      },
    }).get("http://nowhere.test/", "html");
    expect(result).toEqual({
      ok: false,
      reason: "http://nowhere.test/: nowhere.test does not resolve (getaddrinfo ENOTFOUND nowhere.test)",
    });
  });
});

describe("schemes and redirects", () => {
  test.each(["file:///etc/passwd", "ftp://127.0.0.1/pub/file.html", "data:text/html,<p>hi</p>", "javascript:alert(1)"])(
    "%s is refused: only http and https",
    async (url) => {
      const result = await fetcher().get(url, "html");
      expect(result).toEqual({ ok: false, reason: `${url}: only http and https URLs are fetched, not ${new URL(url).protocol}` });
      expect(sockets.sockets).toEqual([]);
    },
  );

  test("a redirect to file: is refused at that hop", async () => {
    expect(await fetcher().get(`${web.url}/to-file`, "html")).toEqual({
      ok: false,
      reason: `${web.url}/to-file (redirect 1 to file:///etc/passwd): only http and https URLs are fetched, not file:`,
    });
  });

  test("something that is not a URL is a clear failure", async () => {
    expect(await fetcher().get("not a url", "html")).toEqual({ ok: false, reason: "not a url: not a valid URL" });
  });

  test("five redirects are followed to the page", async () => {
    const result = await fetcher().get(`${web.url}/chain/5`, "html");
    expect(result.ok && [result.value.finalUrl, result.value.text]).toEqual([`${web.url}/chain/0`, "<p>end of the chain</p>"]);
  });

  test("a sixth redirect is refused, and its target never requested", async () => {
    const before = web.requestsTo("/chain/0").length;
    const result = await fetcher().get(`${web.url}/chain/6`, "html");
    expect(result).toEqual({ ok: false, reason: `${web.url}/chain/6 (redirect 5 to ${web.url}/chain/1): more than 5 redirects` });
    expect(web.requestsTo("/chain/0").length).toBe(before);
  });

  test("a redirect loop is caught at the first repeat", async () => {
    const result = await fetcher().get(`${web.url}/loop-a`, "html");
    expect(result).toEqual({
      ok: false,
      reason: `${web.url}/loop-a (redirect 1 to ${web.url}/loop-b): redirect loop: ${web.url}/loop-a again`,
    });
  });
});

describe("robots.txt", () => {
  let site: FixtureWeb;
  beforeAll(async () => {
    site = await startFixtureWeb({
      "/robots.txt": robotsTxt("User-agent: *\nDisallow: /\n\nUser-agent: ThemataBot\nDisallow: /private\nAllow: /"),
      "/public": html("<p>public</p>"),
      "/private/page": html("<p>private</p>"),
    });
  });
  afterAll(() => site.close());

  test("our group's Disallow is honoured, its Allow lets the rest through, and robots.txt is fetched once", async () => {
    const f = fetcher({ allowHosts: [site.hostPort], respectRobots: true });
    const results = await Promise.all([
      f.get(`${site.url}/public`, "html"),
      f.get(`${site.url}/private/page`, "html"),
      f.get(`${site.url}/public?again=1`, "html"),
    ]);
    expect(results[0]!.ok && results[0]!.value.text).toBe("<p>public</p>");
    expect(results[1]).toEqual({ ok: false, reason: `${site.url}/private/page: robots.txt disallows /private/page` });
    expect(results[2]!.ok).toBe(true);
    expect(site.requestsTo("/robots.txt")).toHaveLength(1);
    expect(site.requestsTo("/private/page")).toHaveLength(0);
    expect(site.requestsTo("/robots.txt")[0]!.headers["user-agent"]).toMatch(/^ThemataBot\//);
  });

  test("with respectRobots off, robots.txt is not even fetched", async () => {
    const before = site.requestsTo("/robots.txt").length;
    const result = await fetcher({ allowHosts: [site.hostPort], respectRobots: false }).get(`${site.url}/private/page`, "html");
    expect(result.ok).toBe(true);
    expect(site.requestsTo("/robots.txt").length).toBe(before);
  });

  test("a missing robots.txt (404) allows everything", async () => {
    const result = await fetcher({ respectRobots: true }).get(`${web.url}/page`, "html");
    expect(result.ok).toBe(true);
    expect(web.requestsTo("/robots.txt").at(-1)!.status).toBe(404);
  });

  test("a robots.txt that keeps answering 503 means nothing is fetched from that site", async () => {
    const down = await startFixtureWeb({
      "/robots.txt": flaky({ failures: 100, status: 503, then: robotsTxt("") }),
      "/page": html("<p>page</p>"),
    });
    try {
      const result = await fetcher({ allowHosts: [down.hostPort], respectRobots: true, retries: 1 }).get(`${down.url}/page`, "html");
      expect(result).toEqual({
        ok: false,
        reason: `${down.url}/page: robots.txt could not be read (HTTP 503 Service Unavailable; gave up after 2 attempts), so nothing is fetched from ${down.url}`,
      });
      expect(down.requestsTo("/page")).toHaveLength(0);
    } finally {
      await down.close();
    }
  });
});
