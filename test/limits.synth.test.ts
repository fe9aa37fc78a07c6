import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../environments/schema/index.js";
import { checkLimits } from "../stacks/limits/index.js";
import { synthCommand } from "../stacks/app/synth-command.js";
import { exampleOrganization } from "./fixtures/organizations/example/index.js";
import { generatedOrganization } from "./fixtures/organizations/generated.js";
import { scratchFolders } from "./support/scratch.js";

describe("an organization past an AWS size limit", () => {
  const { folder } = scratchFolders("patchline-limits-");

  it("the example organization is within every limit", () => {
    expect(checkLimits(parseOrgConfig(exampleOrganization))).toEqual([]);
  });

  it("is a configuration problem: synth exits 1, lists each limit like any other problem, and writes nothing", async () => {
    const parent = folder();
    const outdir = join(parent, "cdktf.out");
    const reported: string[] = [];
    // 1,500 accounts, prod's in 26 regions (past its approval access role) with 51 rejected patches in its Windows baseline
    const input = structuredClone(generatedOrganization({ accounts: 1_500 }));
    input.environments.prod!.regions = [
      ...["us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
      ...["ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ca-central-1", "ca-west-1"],
      ...["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1"],
    ];
    input.org.baselines!.WINDOWS!.rejectedPatches = Array.from({ length: 50 }, (_, i) => `KB${5_000_000 + i}`);
    input.environments.prod!.rejectedPatches = { WINDOWS: ["KB6000000"] };
    const code = await synthCommand({
      input,
      env: { CDKTF_OUTDIR: outdir, PATCHLINE_OFFLINE: "1", PATCHLINE_SYNTH_WORKERS: "2" },
      reportProblems: (m) => reported.push(m),
    });
    expect(code).toBe(1);
    expect(reported.join("\n").split("\n")).toEqual([
      "patchline configuration has 2 problems:",
      expect.stringMatching(/^ {2}- prod\.regions: with these 26 regions the approval access role's policy of each prod account /),
      expect.stringMatching(
        /^ {2}- prod\.rejectedPatches\.WINDOWS: with org\.baselines\.WINDOWS\.rejectedPatches the prod WINDOWS baseline would list 51 rejected patches/,
      ),
    ]);
    expect(existsSync(outdir)).toBe(false);
  });
});
