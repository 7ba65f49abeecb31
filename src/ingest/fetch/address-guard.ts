/** Which addresses the fetcher may connect to (public unicast only), and which hosts `allowHosts` lets past that rule. */
import { BlockList, isIP } from "node:net";
import { fail, ok, type Result } from "../../article/result.ts";

interface Range {
  cidr: string;
  label: string;
  list: BlockList;
}

function range(cidr: string, label: string): Range {
  const [network, bits] = cidr.split("/");
  const list = new BlockList();
  list.addSubnet(network!, Number(bits), isIP(network!) === 6 ? "ipv6" : "ipv4");
  return { cidr, label, list };
}

/** IPv4 ranges that are not the public Internet (IANA special-purpose registry, multicast, reserved). */
const IPV4_REFUSED: readonly Range[] = [
  range("0.0.0.0/8", 'unspecified / "this network"'),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local (cloud metadata lives here)"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "IETF protocol assignments"),
  range("192.0.2.0/24", "documentation"),
  range("192.88.99.0/24", "6to4 relay anycast (deprecated)"),
  range("192.168.0.0/16", "private"),
  range("198.18.0.0/15", "benchmarking"),
  range("198.51.100.0/24", "documentation"),
  range("203.0.113.0/24", "documentation"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved (includes broadcast)"),
];

/**
 * IPv6 ranges named for clearer reasons, most specific first (:: and ::1 before ::/96). Anything outside global unicast 2000::/3 is refused
 * whatever its name; inside it, these special blocks are refused too.
 */
const IPV6_REFUSED: readonly Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("::/96", "IPv4-compatible (deprecated)"),
  range("64:ff9b:1::/48", "local-use NAT64"),
  range("100::/64", "discard-only"),
  range("2001::/23", "IETF protocol assignments (includes Teredo)"),
  range("2001:db8::/32", "documentation"),
  range("3fff::/20", "documentation"),
  range("fc00::/7", "unique local (private)"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "site-local (deprecated)"),
  range("ff00::/8", "multicast"),
];
const GLOBAL_UNICAST = range("2000::/3", "global unicast");
/** Forms that carry an IPv4 address inside: judged by the IPv4 address they carry. */
const IPV4_MAPPED = range("::ffff:0:0/96", "IPv4-mapped");
const NAT64 = range("64:ff9b::/96", "NAT64");
const SIX_TO_FOUR = range("2002::/16", "6to4");

/** `fe80::1%eth0` → `fe80::1`; `[::1]` → `::1`. */
function bareAddress(address: string): string {
  const unbracketed = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const zone = unbracketed.indexOf("%");
  return zone === -1 ? unbracketed : unbracketed.slice(0, zone);
}

/** The eight 16-bit groups of an IPv6 address (the URL parser validates and compresses it first). */
function ipv6Groups(address: string): number[] {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes("::") ? canonical.split("::") : [canonical, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === null ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16));
}

function ipv4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

function refusedIpv4(address: string): Range | undefined {
  return IPV4_REFUSED.find((r) => r.list.check(address, "ipv4"));
}

/**
 * `ok(address)` when the address is public unicast, else `fail(why)` naming the range, e.g.
 * `fail("169.254.169.254 is link-local (169.254.0.0/16)")`. Pure: no DNS, no network.
 */
export function checkAddress(input: string): Result<string> {
  const address = bareAddress(input.trim());
  const family = isIP(address);
  if (family === 0) return fail(`${input} is not an IP address`);
  if (family === 4) {
    const refused = refusedIpv4(address);
    return refused ? fail(`${address} is ${refused.label} (${refused.cidr})`) : ok(address);
  }
  const groups = ipv6Groups(address);
  const embedded: [Range, string] | null = IPV4_MAPPED.list.check(address, "ipv6")
    ? [IPV4_MAPPED, ipv4From(groups[6]!, groups[7]!)]
    : NAT64.list.check(address, "ipv6")
      ? [NAT64, ipv4From(groups[6]!, groups[7]!)]
      : SIX_TO_FOUR.list.check(address, "ipv6")
        ? [SIX_TO_FOUR, ipv4From(groups[1]!, groups[2]!)]
        : null;
  if (embedded) {
    const [form, ipv4] = embedded;
    const refused = refusedIpv4(ipv4);
    return refused ? fail(`${address} is the ${form.label} form of ${ipv4}, which is ${refused.label} (${refused.cidr})`) : ok(address);
  }
  const named = IPV6_REFUSED.find((r) => r.list.check(address, "ipv6"));
  if (named?.cidr === "::/96") {
    return fail(`${address} is the ${named.label} form of ${ipv4From(groups[6]!, groups[7]!)} (::/96)`);
  }
  if (named) return fail(`${address} is ${named.label} (${named.cidr})`);
  if (!GLOBAL_UNICAST.list.check(address, "ipv6")) return fail(`${address} is reserved (outside global unicast 2000::/3)`);
  return ok(address);
}

/** One `allowHosts` entry: a host as a URL writes it (lowercase name, IPv4 dotted, IPv6 without brackets), and a port or any. */
export interface AllowedHost {
  host: string;
  port: number | null;
}

/** The canonical form the WHATWG URL parser gives a host, brackets dropped from IPv6. */
export function canonicalHost(host: string): string {
  const hostname = new URL(`http://${isIP(host) === 6 ? `[${host}]` : host}/`).hostname;
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

/**
 * Parses `allowHosts` entries: `127.0.0.1`, `127.0.0.1:8080`, `localhost:3000`, `::1`, `[::1]:8080`.
 * Returns the rules, or the first entry that makes no sense.
 */
export function parseAllowHosts(entries: readonly string[]): Result<AllowedHost[]> {
  const rules: AllowedHost[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    let host = text;
    let port: number | null = null;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
    if (bracketed) {
      host = bracketed[1]!;
      port = bracketed[2] === undefined ? null : Number(bracketed[2]);
    } else if (isIP(text) !== 6) {
      const withPort = /^([^:]+):(\d+)$/.exec(text);
      if (withPort) {
        host = withPort[1]!;
        port = Number(withPort[2]);
      }
    }
    if (port !== null && (port < 1 || port > 65535)) return fail(`allowHosts: "${entry}" has no valid port`);
    if (isIP(host) === 0 && !/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i.test(host)) {
      return fail(`allowHosts: "${entry}" is not a host or host:port (e.g. 127.0.0.1:8080)`);
    }
    try {
      rules.push({ host: canonicalHost(host), port });
    } catch {
      return fail(`allowHosts: "${entry}" is not a host or host:port`);
    }
  }
  return ok(rules);
}

/**
 * Whether a URL's host (as written in the URL, canonicalised) and port are allowed. Matching is on
 * the name in the URL, never on what it resolves to: a public name that resolves to an allowed
 * address is still refused, so allowing `127.0.0.1` cannot be reached through DNS.
 */
export function isHostAllowed(rules: readonly AllowedHost[], host: string, port: number): boolean {
  const wanted = canonicalHost(bareAddress(host));
  return rules.some((rule) => rule.host === wanted && (rule.port === null || rule.port === port));
}
