import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { organization } from "../../test/fixtures/organizations/minimal/index.js";
import { scratchFolders } from "../../test/support/scratch.js";
import { terraform, terraformVersion } from "../../test/support/terraform.js";
import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { COMMITTED_PROVIDER_LOCK, lockedProviders, PROVIDER_LOCK_FILE, writeProviderLocks } from "./provider-lock.js";
import { synthesize } from "./synth.js";

const scratch = scratchFolders("patchline-provider-lock-");
const committed = readFileSync(COMMITTED_PROVIDER_LOCK, "utf8");

/**
 * The committed lock file is what every stack's `terraform init` installs by: synth puts it into
 * each stack, and init against the provider mirror accepts it as it is, and refuses a provider
 * whose checksum it does not hold.
 */
describe("the committed provider lock file", () => {
  let outdir: string;
  let stacks: string[];

  beforeAll(async () => {
    terraformVersion();
    outdir = scratch.folder();
    ({ stacks } = await synthesize({ input: organization, mode: { offline: false }, artifacts: loadFunctionArtifacts(), outdir, workers: 1 }));
  }, 120_000);

  it("is in every synthesized stack, and pins each provider a stack requires at the version it requires", () => {
    const locked = lockedProviders();
    for (const stack of stacks) {
      const dir = join(outdir, "stacks", stack);
      expect(readFileSync(join(dir, PROVIDER_LOCK_FILE), "utf8"), stack).toBe(committed);
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as {
        terraform: { required_providers: Record<string, { source: string; version: string }> };
      };
      for (const { source, version } of Object.values(json.terraform.required_providers)) {
        const address = `registry.terraform.io/${source.includes("/") ? source : `hashicorp/${source}`}`;
        expect(locked.get(address)?.version, `${stack}: ${address}`).toBe(version);
      }
    }
    // the linux_amd64 package's hash (CI and the mirror) and the registry's signed zip hashes
    expect(locked.get("registry.terraform.io/hashicorp/aws")?.hashes.filter((h) => h.startsWith("h1:"))).toHaveLength(1);
    expect(locked.get("registry.terraform.io/hashicorp/aws")?.hashes.filter((h) => h.startsWith("zh:")).length).toBeGreaterThan(1);
  });

  it("is accepted unchanged by terraform init against the provider mirror (-lockfile=readonly)", () => {
    const dir = join(outdir, "stacks", stacks[0]!);
    terraform(["init", "-input=false", "-no-color", "-backend=false", "-lockfile=readonly"], dir);
    expect(readFileSync(join(dir, PROVIDER_LOCK_FILE), "utf8")).toBe(committed);
  }, 300_000);

  it("makes init refuse a provider whose checksum it does not hold", () => {
    const tampered = join(scratch.folder(), PROVIDER_LOCK_FILE);
    // a lock file that trusts other builds only: what a swapped provider in a mirror or cache looks like to init
    writeFileSync(tampered, committed.replace(/"h1:[^"]+"/, '"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'));
    const stack = stacks.at(-1)!;
    writeProviderLocks(outdir, [stack], tampered);
    expect(() => terraform(["init", "-input=false", "-no-color", "-backend=false", "-lockfile=readonly"], join(outdir, "stacks", stack))).toThrow(
      /checksum|does not match/i,
    );
  }, 300_000);
});
