import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { environmentNamed, exampleConfig, exampleNaming } from "../test/support/construct-synth.js";
import { bodiesOf, type TerraformJson } from "../test/support/terraform-json.js";
import { MemberAccountStack } from "./member-account-stack.js";

function synth(offline: boolean, accountIndex = 1, envName = "prod", role?: "deploy" | "plan"): TerraformJson {
  const environment = environmentNamed(envName);
  const account = environment.accounts[accountIndex]!;
  const app = Testing.app();
  const stack = new MemberAccountStack(app, exampleNaming.memberStack(envName, account), {
    org: exampleConfig.org,
    environment,
    account,
    naming: exampleNaming,
    mode: { offline, ...(role ? { role } : {}) },
  });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

describe("MemberAccountStack", () => {
  it("has one provider per region, each assuming the deploy role of the account and refusing other accounts", () => {
    const providers = synth(false).provider!.aws!;
    expect(providers).toEqual([
      expect.objectContaining({
        alias: "us-east-1",
        region: "us-east-1",
        assume_role: [{ role_arn: "arn:aws:iam::400000000002:role/patchline-deploy", session_name: "patchline" }],
        allowed_account_ids: ["400000000002"],
      }),
      expect.objectContaining({
        alias: "eu-west-1",
        region: "eu-west-1",
        assume_role: [{ role_arn: "arn:aws:iam::400000000002:role/patchline-deploy", session_name: "patchline" }],
        allowed_account_ids: ["400000000002"],
      }),
    ]);
  });

  it("for pull-request plans, assumes the read-only plan role instead", () => {
    expect(synth(false, 1, "prod", "plan").provider!.aws!.map((p) => p.assume_role)).toEqual([
      [{ role_arn: "arn:aws:iam::400000000002:role/patchline-plan", session_name: "patchline" }],
      [{ role_arn: "arn:aws:iam::400000000002:role/patchline-plan", session_name: "patchline" }],
    ]);
  });

  it("tags every resource with the organization's tags, the stack and the environment", () => {
    const [first] = synth(false).provider!.aws!;
    expect(first!.default_tags).toEqual([
      {
        tags: {
          Owner: "platform-team",
          CostCenter: "cc-4711",
          "patchline:managed-by": "patchline",
          "patchline:stack": "prod-web-prod",
          "patchline:environment": "prod",
        },
      },
    ]);
  });

  it("keeps state in S3 per stack with S3-native locking", () => {
    expect(synth(false).terraform!.backend).toEqual({
      s3: { bucket: "example-patchline-tfstate", key: "patchline/prod-web-prod.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });

  it("offline: no role, dummy credentials, skip flags and local state", () => {
    const json = synth(true);
    for (const provider of json.provider!.aws!) {
      expect(provider).not.toHaveProperty("assume_role");
      expect(provider).toMatchObject({
        access_key: "offline",
        secret_key: "offline",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: "true",
        skip_region_validation: true,
      });
    }
    expect(json.terraform!.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  it("creates account-wide IAM once, with the first region's provider", () => {
    const json = synth(true);
    const roles = bodiesOf(json, "aws_iam_role");
    expect(roles.map((r) => r.name).sort()).toEqual([
      "patchline-approval-access",
      "patchline-compliance-reader",
      // an emergency run's commands (docs/safety-nets.md)
      "patchline-emergency-patch",
      "patchline-event-forwarding",
      "patchline-maintenance-window",
      // prod's window backs up before install (docs/safety-nets.md)
      "patchline-patch-automation",
      "patchline-pre-patch-backup",
      "patchline-restore-automation",
      "patchline-restore-operator",
    ]);
    expect(roles.every((r) => r.provider === "aws.us-east-1")).toBe(true);
  });

  it("has no approval access role when its environment does not use the approval workflow", () => {
    const environment = { ...environmentNamed("dev"), approval: undefined };
    const app = Testing.app();
    const stack = new MemberAccountStack(app, "dev-payments-dev", {
      org: exampleConfig.org,
      environment,
      account: environment.accounts[0]!,
      naming: exampleNaming,
      mode: { offline: true },
    });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    expect(bodiesOf(json, "aws_iam_role").map((r) => r.name)).not.toContain("patchline-approval-access");
  });

  it("creates the regional patching resources in every region with that region's provider", () => {
    const json = synth(true);
    const windows = bodiesOf(json, "aws_ssm_maintenance_window");
    expect(windows.map((w) => w.provider).sort()).toEqual(["aws.eu-west-1", "aws.us-east-1"]);
    expect(bodiesOf(json, "aws_ssm_patch_baseline").filter((b) => b.provider === "aws.eu-west-1")).toHaveLength(5);
  });

  it("uses the account's own region list when it has one", () => {
    const environment = environmentNamed("dev");
    const account = { ...environment.accounts[0]!, regions: ["eu-central-1", "us-west-2"] };
    const app = Testing.app();
    const stack = new MemberAccountStack(app, "dev-payments-dev", {
      org: exampleConfig.org,
      environment,
      account,
      naming: exampleNaming,
      mode: { offline: true },
    });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    expect(json.provider!.aws!.map((p) => p.region)).toEqual(["eu-central-1", "us-west-2"]);
  });
});
