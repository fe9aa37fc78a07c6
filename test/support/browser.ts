import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** The Chromium the global setup found or installed (PATCHLINE_CHROMIUM); the Debian path when a suite runs on its own. */
export const chromiumPath = process.env.PATCHLINE_CHROMIUM ?? "/usr/bin/chromium";

/** Starts headless Chromium; fails with the fix when it is not installed (these tests must run, not skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium, or set PATCHLINE_CHROMIUM`);
  return chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}
