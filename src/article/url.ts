/** URL normalisation for dedupe (tracking params, case, slashes), the dedupe key, and a display domain. */

/**
 * Query parameters that only track where a click came from. Matched case-insensitively;
 * every `utm_*` parameter is dropped too. Parameters that can change the page (`id`, `p`,
 * `page`, `source`…) are never on this list.
 */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // Link referrers
  "ref",
  "ref_src",
  "ref_url",
  "referrer_id",
  // Ad click ids: Facebook, Google, Microsoft, Yandex, Twitter/X, TikTok, LinkedIn
  "fbclid",
  "gclid",
  "gclsrc",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "yclid",
  "twclid",
  "ttclid",
  "li_fat_id",
  // Mailchimp, HubSpot, Marketo, Vero, Olytics: newsletter links
  "mc_cid",
  "mc_eid",
  "_hsenc",
  "_hsmi",
  "__hstc",
  "__hssc",
  "__hsfp",
  "hsctatracking",
  "mkt_tok",
  "vero_id",
  "vero_conv",
  "oly_anon_id",
  "oly_enc_id",
  "wickedid",
  "rb_clickid",
  // Instagram shares, Google Analytics cross-domain linker, Adobe campaign ids
  "igshid",
  "igsh",
  "_ga",
  "_gl",
  "s_kwcid",
  "s_cid",
]);

/** True for a query parameter name that only tracks (see TRACKING_PARAMS). */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("utm_") || TRACKING_PARAMS.has(lower);
}

function decodeParamName(part: string): string {
  const name = part.split("=", 1)[0].replace(/\+/g, " ");
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The query without tracking parameters, the rest sorted by name (stable, so repeated
 * names keep their order). Each kept `name=value` is copied byte for byte: re-encoding
 * through URLSearchParams would turn `?v` into `?v=` and `%20` into `+`, which some
 * servers read differently.
 */
function cleanQuery(search: string): string {
  const kept = search
    .replace(/^\?/, "")
    .split("&")
    .filter((part) => part !== "" && !isTrackingParam(decodeParamName(part)))
    .map((part) => ({ part, name: decodeParamName(part) }));
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.length ? `?${kept.map((k) => k.part).join("&")}` : "";
}

/**
 * A link as its source wrote it, made absolute against `base`, without its fragment (never sent
 * to the server): the exact address to fetch (servers may answer only that spelling, e.g. with
 * its trailing slash). Null when it is not an http(s) URL.
 */
export function linkedUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
  url.hash = "";
  return url.href;
}

/**
 * The normalised form of an http(s) URL, or null when `raw` is not one.
 * See `normalizeUrl` for the rules.
 */
export function tryNormalizeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  // WHATWG URL parsing already lowercases the scheme and host, drops default ports (:80 on
  // http, :443 on https), resolves `.`/`..` segments and percent-encodes what must be.
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  url.hash = "";
  url.hostname = url.hostname.replace(/\.$/, "");
  url.search = cleanQuery(url.search);
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, "") || "/";
  return url.href;
}

/**
 * One spelling for one page, so the same link from two sources (or a later night) is seen
 * as the same: scheme and host lowercased, default port dropped, fragment dropped, tracking
 * parameters (`utm_*`, `ref`, `fbclid`… see TRACKING_PARAMS) removed, the other parameters
 * sorted by name, trailing slashes dropped from the path (the root keeps its `/`).
 *
 * Kept as given, on purpose: the scheme (a site may not serve https, and a fetch of the
 * http URL follows the site's own redirect; the pipeline re-normalises the final URL), the
 * `www.` of the host (some hosts serve different sites with and without it), and the case
 * of the path (paths are case-sensitive). `urlKey` compares URLs without those differences.
 *
 * Anything that is not an http(s) URL comes back trimmed and otherwise unchanged.
 */
export function normalizeUrl(raw: string): string {
  return tryNormalizeUrl(raw) ?? raw.trim();
}

/**
 * The dedupe key of a URL: its normalised form with `https` for `http` and without a leading
 * `www.`. Two links with the same key are treated as the same article (the same path on the
 * same site over http and https, with and without www, is the same page in practice), while
 * each keeps its own normalised URL for fetching.
 */
export function urlKey(raw: string): string {
  const normalized = tryNormalizeUrl(raw);
  if (!normalized) return raw.trim();
  const url = new URL(normalized);
  url.protocol = "https:";
  url.hostname = url.hostname.replace(/^www\./, "");
  return url.href;
}

/**
 * The site's name as shown on cards: the host without `www.` (`https://www.techstrong.ai/x`
 * → `techstrong.ai`), without a port. For a string that is not a URL, the string itself.
 */
export function displayDomain(raw: string): string {
  try {
    return new URL(raw.trim()).hostname.replace(/\.$/, "").replace(/^www\d*\./, "");
  } catch {
    return raw.trim();
  }
}
