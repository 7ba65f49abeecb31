/** The fetcher's connector: DNS once, every address checked against the address rules, then a connection by IP. */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { buildConnector } from "undici";
import { checkAddress, isHostAllowed, type AllowedHost } from "./address-guard.ts";

/** A destination the address rules refuse; thrown by the connector before any socket exists. */
export class RefusedError extends Error {
  readonly code = "THEMATA_REFUSED";
}

export function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** DNS for host names: every address of a name. */
export type Resolve = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** What the connector needs to decide where it may connect. */
export interface AddressRules {
  allow: AllowedHost[];
  resolve: Resolve;
  /** How long resolving may take. */
  timeoutMs: number;
}

export const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, order: "verbatim" })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * The addresses a connection to `hostname:port` may use: the name resolved once, every address
 * checked (one bad address refuses the name: a resolver that mixes public and private answers is
 * how rebinding attacks start). A host in allowHosts skips the check, not the resolution.
 */
export async function checkedAddresses(hostname: string, port: number, rules: AddressRules): Promise<string[]> {
  const literal = isIP(hostname) !== 0;
  let addresses: string[];
  if (literal) {
    addresses = [hostname];
  } else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(codedError("THEMATA_RESOLVE_TIMEOUT", `could not resolve ${hostname} within ${rules.timeoutMs} ms`)),
        rules.timeoutMs,
      );
    });
    try {
      addresses = (await Promise.race([rules.resolve(hostname), timeout])).map((entry) => entry.address);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw codedError("ENOTFOUND", "the DNS answer has no address");
  }
  if (isHostAllowed(rules.allow, hostname, port)) return addresses;
  for (const address of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.ok) {
      const where = literal ? "" : `${hostname} resolves to a non-public address: `;
      throw new RefusedError(`refused: ${where}${verdict.reason}; ${hostname}:${port} is not in allowHosts`);
    }
  }
  return addresses;
}

/**
 * undici's connector, wrapped: it connects only to addresses `checkedAddresses` approved, by IP,
 * so the address checked is the address used (no second DNS lookup to rebind). TLS still verifies
 * the certificate for the host name (undici passes it as `servername`).
 */
export function guardedConnector(rules: AddressRules): buildConnector.connector {
  const connectTo = buildConnector({ timeout: rules.timeoutMs, allowH2: false });
  return (params, callback) => {
    const port = Number(params.port) || (params.protocol === "https:" ? 443 : 80);
    checkedAddresses(params.hostname, port, rules).then(
      (addresses) => {
        const attempt = (index: number) =>
          connectTo({ ...params, hostname: addresses[index]! }, (...result) => {
            if (result[0] !== null && index + 1 < addresses.length) attempt(index + 1);
            else callback(...result);
          });
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}
