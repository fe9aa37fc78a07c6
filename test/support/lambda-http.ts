import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LambdaHttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A route as API Gateway matches it: method and a path template with `{name}` segments. */
export interface Route {
  readonly method: string;
  readonly path: string;
}

function match(route: Route, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const want = route.path.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name) {
      if (got[i] === "") return undefined;
      params[name] = decodeURIComponent(got[i]!);
    } else if (segment !== got[i]) return undefined;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves a Lambda handler the way an API Gateway HTTP API does (payload format 2.0): only the
 * given routes reach it, everything else gets API Gateway's 404. For browser tests.
 */
export async function serveLambda(
  routes: readonly Route[],
  handler: (event: unknown) => Promise<LambdaHttpResponse>,
): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const route = routes.map((r) => ({ r, params: match(r, method, url.pathname) })).find((m) => m.params);
    if (!route) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
      return;
    }
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(",") : (v ?? "")]));
    const event = {
      version: "2.0",
      routeKey: `${route.r.method} ${route.r.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ""),
      headers,
      pathParameters: route.params,
      ...(body.length > 0 ? { body: body.toString("base64"), isBase64Encoded: true } : {}),
      requestContext: { http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: req.socket.remoteAddress, userAgent: headers["user-agent"] } },
    };
    const response = await handler(event);
    res.writeHead(response.statusCode, { ...response.headers }).end(response.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
