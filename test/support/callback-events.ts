/**
 * API Gateway HTTP API events (payload format 2.0) of the approval page, as a browser on the page's
 * own origin sends them; a test changes what it is about.
 */
export const PAGE_ORIGIN = "https://abc123.execute-api.us-east-1.amazonaws.com";

export function getEvent(query: string, approvalId: string) {
  return {
    routeKey: "GET /approvals/{approvalId}",
    rawPath: `/approvals/${approvalId}`,
    rawQueryString: query,
    pathParameters: { approvalId },
    requestContext: { http: { method: "GET", sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" } },
  };
}

export interface PostOptions {
  readonly claims?: Record<string, unknown>;
  readonly contentType?: string;
  /** Headers instead of the same-origin browser's `Sec-Fetch-Site` and `Origin` (undefined drops one). */
  readonly headers?: Record<string, string | undefined>;
}

export function postEvent(approvalId: string, fields: Record<string, string>, options: PostOptions = {}) {
  const headers = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
    "sec-fetch-site": "same-origin",
    origin: PAGE_ORIGIN,
    ...options.headers,
  };
  return {
    routeKey: "POST /approvals/{approvalId}",
    rawPath: `/approvals/${approvalId}`,
    rawQueryString: "",
    pathParameters: { approvalId },
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)),
    body: Buffer.from(new URLSearchParams(fields).toString()).toString("base64"),
    isBase64Encoded: true,
    requestContext: {
      http: { method: "POST", sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims } } } : {}),
    },
  };
}
