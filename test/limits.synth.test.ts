import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseOrgConfig } from "../environments/schema/index.js";
import { checkLimits } from "../stacks/limits/index.js";
import { synthCommand } from "../stacks/app/synth-command.js";
import { exampleOrganization } from "./fixtures/organizations/example/index.js";
import { generatedOrganization } from "./fixtures/organizations/generated.js";

describe("an organization past an AWS size limit", () => {
  const scratch: string[] = [];
  afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("the example organization is within every limit", () => {
    expect(checkLimits(parseOrgConfig(exampleOrganization))).toEqual([]);
  });

  it("is a configuration problem: synth exits 1, lists each limit like any other problem, and writes nothing", async () => {
    const parent = mkdtempSync(join(tmpdir(), "patchline-limits-"));
    scratch.push(parent);
    const outdir = join(parent, "cdktf.out");
    const reported: string[] = [];
    // 1,500 accounts in two regions (past the compliance run), and 51 rejected patches in prod's Windows baseline
    const input = structuredClone(generatedOrganization({ accounts: 1_500 }));
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
      expect.stringMatching(
        /^ {2}- dev\.accounts\[400\]: brings the scheduled compliance run to 802 account-regions \(the organization has 3,000\); a run carries at most 800, /,
      ),
      expect.stringMatching(
        /^ {2}- prod\.rejectedPatches\.WINDOWS: with org\.baselines\.WINDOWS\.rejectedPatches the prod WINDOWS baseline would list 51 rejected patches/,
      ),
    ]);
    expect(existsSync(outdir)).toBe(false);
  });
});
