import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Naming } from "../../stacks/naming.js";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** What the policy is derived from: the resource types and data sources of one synthesized stack. */
export interface StackTypes {
  readonly stack: string;
  readonly kind: StackKind;
  /** type → name → attributes, as in cdk.tf.json. */
  readonly resources: Blocks;
  readonly data: Blocks;
  /** The region of each `aws` provider, by the name resources use for it (`aws.<alias>`, or `aws` for the default). */
  readonly providerRegions: Readonly<Record<string, string>>;
}

/** The central stack runs in the central account; every other stack in a member account. */
export type StackKind = "central" | "member";

export class SynthOutputError extends Error {}

/** Reads `stacks/<stack>/cdk.tf.json` of every stack in a synth output folder (`cdktf.out`). */
export function readSynthesizedStacks(outdir: string): StackTypes[] {
  const root = join(outdir, "stacks");
  const names = existsSync(root) ? readdirSync(root).sort() : [];
  const stacks = names.filter((name) => existsSync(join(root, name, "cdk.tf.json")));
  if (stacks.length === 0) {
    throw new SynthOutputError(`${outdir} holds no synthesized stack (stacks/<stack>/cdk.tf.json): run npm run synth first, or name the synth output folder`);
  }
  return stacks.map((stack) => {
    const file = join(root, stack, "cdk.tf.json");
    let json: { resource?: Blocks; data?: Blocks; provider?: { aws?: { alias?: string; region?: string }[] } };
    try {
      json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
    } catch (error) {
      throw new SynthOutputError(`${file} is not JSON: ${(error as Error).message}`);
    }
    const providerRegions = Object.fromEntries(
      (json.provider?.aws ?? []).flatMap((p) => (typeof p.region === "string" ? [[p.alias === undefined ? "aws" : `aws.${p.alias}`, p.region]] : [])),
    );
    return { stack, kind: stack === Naming.centralStack ? "central" : "member", resources: json.resource ?? {}, data: json.data ?? {}, providerRegions };
  });
}
