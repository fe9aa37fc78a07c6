import { commandParametersOfTask } from "../../test/support/install-task.js";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleNaming } from "../../test/support/construct-synth.js";
import { exampleWith } from "../../test/support/config.js";
import { fixtureRecord, PROMOTED_AT, promoteExactly } from "../../test/support/promotion.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { memberStackEntries } from "../app/stack-list.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { Naming } from "../naming.js";
import { Testing } from "cdktf";
import { patchGroupCommands } from "./patch-commands.js";

const configWith = (change: Parameters<typeof exampleWith>[0] = () => {}, promoted = false) => {
  const draft = exampleWith(change);
  return parseOrgConfig(promoted ? { ...draft, promotions: { prod: fixtureRecord(draft) } } : draft, { now: PROMOTED_AT });
};
const environment = (config: ReturnType<typeof configWith>, name: string) => config.environments.find((e) => e.name === name)!;

/** The install tasks' parameters of one member stack of the example, as Terraform gets them. */
function installTaskParameters(config: ReturnType<typeof configWith>, stackName: string): Record<string, string[]>[] {
  const entry = memberStackEntries(config).find((e) => e.name === stackName)!;
  const stack = new MemberAccountStack(Testing.app(), entry.name, {
    org: config.org,
    environment: entry.environment,
    account: entry.account,
    naming: new Naming(config.org),
    mode: { offline: true },
  });
  const json = JSON.parse(Testing.synth(stack)) as Parameters<typeof bodiesOf>[0];
  return bodiesOf(json, "aws_ssm_maintenance_window_task")
    .filter((t) => t.name === "install")
    .map((t) => Object.fromEntries(commandParametersOfTask(t).map((p) => [p.name, p.values])));
}

describe("how an environment's patch groups are patched outside the window", () => {
  it("is the window's install command, with its patch groups", () => {
    expect(patchGroupCommands(environment(configWith(), "prod"), exampleNaming, "NoReboot")).toEqual([
      {
        window: "prod-monthly",
        patchGroups: ["web-prod", "app-prod", "data-prod"],
        windowInstalls: true,
        document: "AWS-RunPatchBaselineWithHooks",
        parameters: {
          Operation: ["Install"],
          RebootOption: ["RebootIfNeeded"],
          PreInstallHookDocName: ["patchline-record-running-services"],
          PostInstallHookDocName: ["patchline-verify-services"],
          OnExitHookDocName: ["patchline-verify-services"],
        },
      },
    ]);
  });

  it("is what the window's install task sends, in the member stack (hook documents by reference there)", () => {
    const config = configWith();
    const [command] = patchGroupCommands(environment(config, "prod"), exampleNaming, "NoReboot");
    const tasks = installTaskParameters(config, "prod-payments-prod");
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(Object.keys(task)).toEqual(Object.keys(command!.parameters));
      expect(task.Operation).toEqual(command!.parameters.Operation);
      expect(task.RebootOption).toEqual(command!.parameters.RebootOption);
      expect(task.PreInstallHookDocName![0]).toMatch(/^\$\{aws_ssm_document\.\S+\.name\}$/);
    }
  });

  it("carries the promoted list when the environment installs exactly its promoted patches, as the install task does", () => {
    const config = configWith((d) => {
      promoteExactly(d);
    }, true);
    const [command] = patchGroupCommands(environment(config, "prod"), exampleNaming, "NoReboot");
    const url = `https://s3.us-east-1.amazonaws.com/${exampleNaming.promotionsBucket}/prod/install-override-list.yaml`;
    expect(command).toMatchObject({
      document: "AWS-RunPatchBaseline",
      parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], InstallOverrideList: [url] },
    });
    expect(installTaskParameters(config, "prod-payments-prod")[0]).toEqual(command!.parameters);
  });

  it("for each window that only scans: AWS-RunPatchBaseline with the approval's reboot option", () => {
    const config = configWith((d) => {
      delete d.environments.dev.maintenanceWindows[0].install;
      d.environments.dev.maintenanceWindows.push({ ...d.environments.dev.maintenanceWindows[0], name: "dev-spare" });
      d.environments.dev.patchGroups[2].maintenanceWindow = "dev-spare";
    });
    expect(patchGroupCommands(environment(config, "dev"), exampleNaming, "NoReboot")).toEqual([
      {
        window: "dev-weekly",
        patchGroups: ["web-dev", "app-dev"],
        windowInstalls: false,
        document: "AWS-RunPatchBaseline",
        parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
      },
      {
        window: "dev-spare",
        patchGroups: ["data-dev"],
        windowInstalls: false,
        document: "AWS-RunPatchBaseline",
        parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
      },
    ]);
  });
});
