// The address rules on their own: which literal addresses are public, and how allowHosts entries match. No network.
import { describe, expect, test } from "vitest";
import { checkAddress, isHostAllowed, parseAllowHosts } from "../../../src/ingest/fetch/address-guard.ts";
import { checkedAddresses } from "../../../src/ingest/fetch/connector.ts";

describe("checkAddress refuses every address that is not public unicast, naming the range", () => {
  test.each([
    ["0.0.0.0", "unspecified", "0.0.0.0/8"],
    ["0.1.2.3", "unspecified", "0.0.0.0/8"],
    ["10.0.0.5", "private", "10.0.0.0/8"],
    ["10.255.255.255", "private", "10.0.0.0/8"],
    ["100.64.0.1", "carrier-grade NAT", "100.64.0.0/10"],
    ["100.127.255.254", "carrier-grade NAT", "100.64.0.0/10"],
    ["127.0.0.1", "loopback", "127.0.0.0/8"],
    ["127.0.0.2", "loopback", "127.0.0.0/8"],
    ["127.255.255.254", "loopback", "127.0.0.0/8"],
    ["169.254.169.254", "link-local", "169.254.0.0/16"],
    ["172.16.0.1", "private", "172.16.0.0/12"],
    ["172.31.255.255", "private", "172.16.0.0/12"],
    ["192.0.0.8", "IETF protocol assignments", "192.0.0.0/24"],
    ["192.0.2.1", "documentation", "192.0.2.0/24"],
    ["192.88.99.1", "6to4 relay", "192.88.99.0/24"],
    ["192.168.1.1", "private", "192.168.0.0/16"],
    ["198.18.0.1", "benchmarking", "198.18.0.0/15"],
    ["198.19.255.255", "benchmarking", "198.18.0.0/15"],
    ["198.51.100.7", "documentation", "198.51.100.0/24"],
    ["203.0.113.9", "documentation", "203.0.113.0/24"],
    ["224.0.0.1", "multicast", "224.0.0.0/4"],
    ["239.255.255.250", "multicast", "224.0.0.0/4"],
    ["240.0.0.1", "reserved", "240.0.0.0/4"],
    ["255.255.255.255", "reserved", "240.0.0.0/4"],
    ["::", "unspecified", "::/128"],
    ["::1", "loopback", "::1/128"],
    ["0:0:0:0:0:0:0:1", "loopback", "::1/128"],
    ["[::1]", "loopback", "::1/128"],
    ["::127.0.0.1", "IPv4-compatible", "127.0.0.1"],
    ["::8.8.8.8", "IPv4-compatible", "8.8.8.8"],
    ["::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "IPv4-mapped form of 127.0.0.1", "loopback"],
    ["0:0:0:0:0:ffff:a9fe:a9fe", "IPv4-mapped form of 169.254.169.254", "link-local"],
    ["::FFFF:10.0.0.1", "IPv4-mapped form of 10.0.0.1", "private"],
    ["::ffff:0.0.0.0", "IPv4-mapped form of 0.0.0.0", "unspecified"],
    ["64:ff9b::10.0.0.1", "NAT64 form of 10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "NAT64 form of 169.254.169.254", "link-local"],
    ["64:ff9b:1::1", "local-use NAT64", "64:ff9b:1::/48"],
    ["2002:a00:1::1", "6to4 form of 10.0.0.1", "private"],
    ["2002:7f00:1::", "6to4 form of 127.0.0.1", "loopback"],
    ["100::1", "discard-only", "100::/64"],
    ["2001::1", "Teredo", "2001::/23"],
    ["2001:2::1", "IETF protocol assignments", "2001::/23"],
    ["2001:db8::1", "documentation", "2001:db8::/32"],
    ["3fff::1", "documentation", "3fff::/20"],
    ["fc00::1", "unique local", "fc00::/7"],
    ["fd00::1", "unique local", "fc00::/7"],
    ["FD12:3456:789A::1", "unique local", "fc00::/7"],
    ["fe80::1", "link-local", "fe80::/10"],
    ["fe80::1%eth0", "link-local", "fe80::/10"],
    ["febf::1", "link-local", "fe80::/10"],
    ["fec0::1", "site-local", "fec0::/10"],
    ["ff02::1", "multicast", "ff00::/8"],
    ["ff0e::fb", "multicast", "ff00::/8"],
    ["4000::1", "reserved", "2000::/3"],
    ["5f00::1", "reserved", "2000::/3"],
    ["e000::1", "reserved", "2000::/3"],
  ])("%s is %s (%s)", (address, label, detail) => {
    const verdict = checkAddress(address);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toContain(label);
      expect(verdict.reason).toContain(detail);
    }
  });
});

describe("checkAddress lets public unicast through, including IPv4 forms of public addresses", () => {
  test.each([
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.169.0.1",
    "198.20.0.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001::200e",
    "2001:200::1",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2002:808:808::1",
  ])("%s is public", (address) => {
    expect(checkAddress(address)).toEqual({ ok: true, value: address });
  });
});

test("checkAddress says a host name or malformed address is not an IP address", () => {
  for (const input of ["example.com", "1.2.3", "::ffff::1::", ""]) {
    expect(checkAddress(input)).toMatchObject({ ok: false, reason: expect.stringContaining("is not an IP address") });
  }
});

describe("allowHosts", () => {
  test("parses host and host:port entries into canonical hosts", () => {
    expect(parseAllowHosts(["127.0.0.1", "127.0.0.1:8080", "LocalHost:3000", "::1", "[::1]:8081", "[fd00::1]"])).toEqual({
      ok: true,
      value: [
        { host: "127.0.0.1", port: null },
        { host: "127.0.0.1", port: 8080 },
        { host: "localhost", port: 3000 },
        { host: "::1", port: null },
        { host: "::1", port: 8081 },
        { host: "fd00::1", port: null },
      ],
    });
  });

  test.each(["127.0.0.1:99999", "127.0.0.1:0", "http://127.0.0.1", "user@host", "host/path", "[::1"])(
    "refuses the malformed entry %s with a clear reason",
    (entry) => {
      expect(parseAllowHosts([entry])).toMatchObject({ ok: false, reason: expect.stringContaining(entry) });
    },
  );

  test("a host with a port allows only that port; a bare host allows every port", () => {
    const rules = parseAllowHosts(["127.0.0.1:8080", "localhost"]);
    if (!rules.ok) throw new Error(rules.reason);
    expect(isHostAllowed(rules.value, "127.0.0.1", 8080)).toBe(true);
    expect(isHostAllowed(rules.value, "127.0.0.1", 8081)).toBe(false);
    expect(isHostAllowed(rules.value, "127.0.0.2", 8080)).toBe(false);
    expect(isHostAllowed(rules.value, "localhost", 1)).toBe(true);
    expect(isHostAllowed(rules.value, "LOCALHOST", 65535)).toBe(true);
  });

  test("matching is on the name as written, never on what a name resolves to", () => {
    const rules = parseAllowHosts(["127.0.0.1"]);
    if (!rules.ok) throw new Error(rules.reason);
    expect(isHostAllowed(rules.value, "localhost", 80)).toBe(false);
    expect(isHostAllowed(rules.value, "127.0.0.1.nip.io", 80)).toBe(false);
  });

  test("IPv6 hosts match whatever way the address is written", () => {
    const rules = parseAllowHosts(["[0:0:0:0:0:0:0:1]:8080"]);
    if (!rules.ok) throw new Error(rules.reason);
    expect(isHostAllowed(rules.value, "::1", 8080)).toBe(true);
    expect(isHostAllowed(rules.value, "[::1]", 8080)).toBe(true);
  });
});

describe("checkedAddresses (what the connector may connect to), with an injected resolver", () => {
  const resolverFor = (addresses: string[]) => async () =>
    addresses.map((address) => ({ address, family: (address.includes(":") ? 6 : 4) as 4 | 6 }));

  test("refuses a name when any one of its addresses is not public", async () => {
    const rules = { allow: [], resolve: resolverFor(["93.184.216.34", "10.0.0.5"]), timeoutMs: 1000 };
    await expect(checkedAddresses("mixed.test", 443, rules)).rejects.toThrow(
      "refused: mixed.test resolves to a non-public address: 10.0.0.5 is private (10.0.0.0/8)",
    );
  });

  test("returns every address of a public name, in the resolver's order", async () => {
    const rules = { allow: [], resolve: resolverFor(["2606:4700::1", "93.184.216.34"]), timeoutMs: 1000 };
    await expect(checkedAddresses("public.test", 443, rules)).resolves.toEqual(["2606:4700::1", "93.184.216.34"]);
  });

  test("an allowed name skips the rules but is still resolved by the injected resolver", async () => {
    const allow = parseAllowHosts(["fixture.test:8080"]);
    if (!allow.ok) throw new Error(allow.reason);
    const rules = { allow: allow.value, resolve: resolverFor(["127.0.0.1"]), timeoutMs: 1000 };
    await expect(checkedAddresses("fixture.test", 8080, rules)).resolves.toEqual(["127.0.0.1"]);
    await expect(checkedAddresses("fixture.test", 8081, rules)).rejects.toThrow("fixture.test:8081 is not in allowHosts");
  });

  test("an IP literal is judged without asking the resolver", async () => {
    let asked = 0;
    const rules = { allow: [], resolve: async () => (asked++, []), timeoutMs: 1000 };
    await expect(checkedAddresses("169.254.169.254", 80, rules)).rejects.toThrow("169.254.169.254 is link-local");
    expect(asked).toBe(0);
  });

  test("a resolver that never answers is a timeout; an empty answer is a failure", async () => {
    await expect(checkedAddresses("slow.test", 80, { allow: [], resolve: () => new Promise(() => {}), timeoutMs: 50 })).rejects.toThrow(
      "could not resolve slow.test within 50 ms",
    );
    await expect(checkedAddresses("none.test", 80, { allow: [], resolve: async () => [], timeoutMs: 50 })).rejects.toThrow(
      "the DNS answer has no address",
    );
  });
});
