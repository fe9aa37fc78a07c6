import { describe, expect, it } from "vitest";
import { checkDecisionOrigin, originOf } from "./same-origin.js";

const PAGE = "https://abc123.execute-api.eu-west-1.amazonaws.com";

describe("which decision POSTs come from the approval page itself", () => {
  it.each<[string, { secFetchSite?: string; origin?: string }]>([
    ["Sec-Fetch-Site same-origin and the page's Origin (every current browser)", { secFetchSite: "same-origin", origin: PAGE }],
    ["Sec-Fetch-Site same-origin, no Origin", { secFetchSite: "same-origin" }],
    ["Sec-Fetch-Site same-origin, the opaque Origin null", { secFetchSite: "same-origin", origin: "null" }],
    ["Sec-Fetch-Site in capitals", { secFetchSite: "Same-Origin", origin: PAGE }],
    ["no Sec-Fetch-Site (older browsers), the page's exact Origin", { origin: PAGE }],
  ])("accepts %s", (_what, headers) => {
    expect(checkDecisionOrigin(headers, PAGE)).toEqual({ allowed: true });
  });

  it.each<[string, { secFetchSite?: string; origin?: string }, string]>([
    [
      "a cross-site form post",
      { secFetchSite: "cross-site", origin: "https://evil.example" },
      'the browser reports it was sent from another site (Sec-Fetch-Site: "cross-site")',
    ],
    [
      "a post from a sibling subdomain",
      { secFetchSite: "same-site", origin: "https://other.execute-api.eu-west-1.amazonaws.com" },
      'the browser reports it was sent from another site (Sec-Fetch-Site: "same-site")',
    ],
    ["a post the user did not start from any page", { secFetchSite: "none" }, 'the browser reports it was sent from another site (Sec-Fetch-Site: "none")'],
    ["a foreign Origin without Sec-Fetch-Site", { origin: "https://evil.example" }, `it was sent from "https://evil.example", not from ${PAGE}`],
    [
      "same-origin but another Origin (the API's own domain while the edge is the page)",
      { secFetchSite: "same-origin", origin: "https://d111111abcdef8.cloudfront.net" },
      `it was sent from "https://d111111abcdef8.cloudfront.net", not from ${PAGE}`,
    ],
    [
      "the page's host over http",
      { origin: PAGE.replace("https:", "http:") },
      `it was sent from "http://abc123.execute-api.eu-west-1.amazonaws.com", not from ${PAGE}`,
    ],
    ["the page's host on another port", { origin: `${PAGE}:8443` }, `it was sent from "${PAGE}:8443", not from ${PAGE}`],
    ["the page's origin with a suffix", { origin: `${PAGE}.evil.example` }, `it was sent from "${PAGE}.evil.example", not from ${PAGE}`],
    ["the page's origin in capitals", { origin: PAGE.toUpperCase() }, `it was sent from "${PAGE.toUpperCase()}", not from ${PAGE}`],
    ["neither header", {}, "the browser did not say which page sent it (no Sec-Fetch-Site or Origin header)"],
    ["only the opaque Origin null", { origin: "null" }, "the browser did not say which page sent it (no Sec-Fetch-Site or Origin header)"],
    ["empty headers", { secFetchSite: "", origin: "" }, 'the browser reports it was sent from another site (Sec-Fetch-Site: "")'],
  ])("refuses %s", (_what, headers, reason) => {
    expect(checkDecisionOrigin(headers, PAGE)).toEqual({ allowed: false, reason });
  });

  it("bounds what it repeats of a header", () => {
    const check = checkDecisionOrigin({ origin: `https://${"a".repeat(5000)}.example` }, PAGE);
    expect(check.allowed).toBe(false);
    expect((check as { reason: string }).reason.length).toBeLessThan(200);
  });
});

describe("the origin of a configured URL", () => {
  it.each([
    ["https://abc123.execute-api.eu-west-1.amazonaws.com", PAGE],
    ["https://D111111ABCDEF8.cloudfront.net/", "https://d111111abcdef8.cloudfront.net"],
    ["https://approvals.example.com:443/base", "https://approvals.example.com"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
  ])("%s is %s", (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });

  it.each(["", "not a url", "ftp://example.com", "javascript:alert(1)"])("%j has none", (url) => {
    expect(originOf(url)).toBeUndefined();
  });
});
