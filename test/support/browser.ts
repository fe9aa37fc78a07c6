import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";

/** The Chromium the global setup found or installed (PATCHLINE_CHROMIUM); the Debian path when a suite runs on its own. */
export const chromiumPath = process.env.PATCHLINE_CHROMIUM ?? "/usr/bin/chromium";

/** Starts headless Chromium; fails with the fix when it is not installed (these tests must run, not skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium, or set PATCHLINE_CHROMIUM`);
  return chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/**
 * Another site: serves one HTML page at `http://localhost:<port>/`, a different origin (and site)
 * from the `http://127.0.0.1:<port>` the Lambda adapter serves, for cross-site requests in tests.
 */
export async function serveOtherSite(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  // every address: Chromium may reach localhost over IPv6 or IPv4
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}
