/**
 * The parts of an API Gateway HTTP API request (payload format 2.0) the callback reads, parsed
 * defensively: anything may arrive here, and nothing about it may make the function fail.
 */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ApprovalRequest {
  readonly method: string;
  /** From the route's `{approvalId}`. */
  readonly approvalId?: string;
  readonly query: ReadonlyMap<string, string>;
  /** The form fields of a POST, when the body is a form. */
  readonly form?: ReadonlyMap<string, string>;
  /** Why the body could not be read as a form. */
  readonly formProblem?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** `Sec-Fetch-Site` and `Origin`: which page sent a POST, as the browser says (./same-origin.ts). */
  readonly secFetchSite?: string;
  readonly origin?: string;
  /** The viewer's IP as CloudFront reports it (`CloudFront-Viewer-Address`, port removed); anyone bypassing the edge can send it too. */
  readonly viewerAddress?: string;
  /** Claims of a JWT that API Gateway's authorizer verified. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Larger than any form this page sends. */
export const MAX_BODY_BYTES = 4096;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Printable, bounded text for the audit trail (user agents are whatever the client says). */
function auditText(value: unknown, max: number): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes from form values
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return clean === "" ? undefined : clean.slice(0, max);
}

/** First value of each parameter; a parameter given twice is ambiguous and dropped. */
function params(search: URLSearchParams): Map<string, string> {
  const seen = new Map<string, string>();
  const duplicated = new Set<string>();
  for (const [key, value] of search) {
    if (seen.has(key)) duplicated.add(key);
    seen.set(key, value);
  }
  for (const key of duplicated) seen.delete(key);
  return seen;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return text(value);
  return undefined;
}

function readForm(event: Record<string, unknown>, headers: Record<string, unknown>): { form?: Map<string, string>; formProblem?: string } {
  const body = text(event.body);
  if (body === undefined || body === "") return { formProblem: "the request has no form data" };
  const contentType = header(headers, "content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") return { formProblem: "the request is not a form submission" };
  const bytes = event.isBase64Encoded === true ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.byteLength > MAX_BODY_BYTES) return { formProblem: "the form data is too large" };
  return { form: params(new URLSearchParams(bytes.toString("utf8"))) };
}

/** `198.51.100.7:46532` or `2001:db8::7:46532` → the address without the port. */
function viewerAddress(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^([0-9A-Fa-f:.]{2,45}):[0-9]{1,5}$/.exec(value.trim());
  return match?.[1];
}

/** Reads what the callback needs; never throws, whatever `event` is. */
export function readRequest(event: unknown): ApprovalRequest {
  const e = isRecord(event) ? event : {};
  const context = isRecord(e.requestContext) ? e.requestContext : {};
  const http = isRecord(context.http) ? context.http : {};
  const headers = isRecord(e.headers) ? e.headers : {};
  const pathParameters = isRecord(e.pathParameters) ? e.pathParameters : {};
  const authorizer = isRecord(context.authorizer) ? context.authorizer : {};
  const jwt = isRecord(authorizer.jwt) ? authorizer.jwt : {};
  const method = (text(http.method) ?? "").toUpperCase();
  const rawQuery = text(e.rawQueryString) ?? "";
  return {
    method,
    approvalId: text(pathParameters.approvalId),
    query: rawQuery.length > MAX_BODY_BYTES ? new Map() : params(new URLSearchParams(rawQuery)),
    ...(method === "POST" ? readForm(e, headers) : {}),
    sourceIp: auditText(http.sourceIp, 64),
    userAgent: auditText(http.userAgent ?? header(headers, "user-agent"), 512),
    secFetchSite: header(headers, "sec-fetch-site"),
    origin: header(headers, "origin"),
    viewerAddress: viewerAddress(header(headers, "cloudfront-viewer-address")),
    claims: isRecord(jwt.claims) ? jwt.claims : undefined,
  };
}
