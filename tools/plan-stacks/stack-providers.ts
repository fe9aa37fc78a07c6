import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The regions of a synthesized stack's aws provider configurations, one per provider process
 * terraform starts: from `cdk.tf.json`, or from `cdk.tf` of `cdktf synth --hcl`. None when the
 * folder holds neither (a stack that does not exist in that synth).
 */
export function providerRegions(stackDir: string): string[] {
  const json = join(stackDir, "cdk.tf.json");
  if (existsSync(json)) {
    const providers = (JSON.parse(readFileSync(json, "utf8")) as { provider?: { aws?: { region?: string }[] } }).provider?.aws ?? [];
    return providers.map((p) => p.region ?? "");
  }
  const hcl = join(stackDir, "cdk.tf");
  if (!existsSync(hcl)) return [];
  return [...readFileSync(hcl, "utf8").matchAll(/^provider "aws" \{([\s\S]*?)^\}/gm)].map((block) => /^\s*region\s*=\s*"([^"]*)"/m.exec(block[1]!)?.[1] ?? "");
}
