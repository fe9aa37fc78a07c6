/**
 * Was a decision POST sent by the approval page itself? A third-party page holding a link can make
 * a victim's browser post the form (a cross-site request forgery); browsers say where a request
 * comes from in headers a page cannot set: `Sec-Fetch-Site` (Fetch Metadata) and `Origin`.
 *
 * - `Sec-Fetch-Site`, when sent, must be `same-origin` (`same-site`, `cross-site` and `none` are
 *   refused: a sibling subdomain is another site's code too).
 * - `Origin`, when sent (and not the opaque `null`), must be exactly the page's origin: scheme,
 *   host and port. With the CloudFront edge that is the distribution's origin, so a page served
 *   straight from the API's own domain cannot decide around the edge.
 * - At least one of the two must vouch for the request: a POST that says neither is refused.
 */
export type OriginCheck = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface OriginHeaders {
  readonly secFetchSite?: string;
  readonly origin?: string;
}

/** `https://Example.COM:443/path` → `https://example.com`; undefined when it is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Header values are whatever the client sent: bounded and printable before they reach a page or a log. */
const shown = (value: string) => JSON.stringify(value.slice(0, 100));

export function checkDecisionOrigin(headers: OriginHeaders, pageOrigin: string): OriginCheck {
  const site = headers.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== "same-origin")
    return { allowed: false, reason: `the browser reports it was sent from another site (Sec-Fetch-Site: ${shown(site)})` };
  const origin = headers.origin?.trim();
  // browsers send "null" for origins they do not disclose: it vouches for nothing, and accuses nothing
  const disclosed = origin !== undefined && origin !== "" && origin !== "null";
  if (disclosed && origin !== pageOrigin) return { allowed: false, reason: `it was sent from ${shown(origin)}, not from ${pageOrigin}` };
  if (site === "same-origin" || disclosed) return { allowed: true };
  return { allowed: false, reason: "the browser did not say which page sent it (no Sec-Fetch-Site or Origin header)" };
}
