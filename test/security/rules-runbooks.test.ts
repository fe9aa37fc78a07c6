import { describe, expect, it } from "vitest";
import { installRunbook } from "../../stacks/member/runbooks/install-runbook.js";
import { restoreRunbook } from "../../stacks/member/runbooks/restore-runbook.js";
import type { TerraformJson } from "../support/terraform-json.js";
import { findings } from "./rule-fixtures.js";
import { managedPoliciesOnServiceRolesOnly, ssmRunbooksScoped } from "./rules/ssm-runbooks.js";

const document = (content: unknown, extra: Record<string, unknown> = {}): TerraformJson => ({
  resource: { aws_ssm_document: { d: { document_type: "Automation", document_format: "JSON", content: JSON.stringify(content), ...extra } } },
});

describe("SSM1 runbooks are valid, run with a named role and no code", () => {
  it("accepts patchline's runbooks", async () => {
    expect(await findings(ssmRunbooksScoped, document(restoreRunbook()))).toEqual([]);
    const install = installRunbook({
      window: "w",
      command: { document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] } },
      delivery: {
        comment: "patchline w install",
        deliveryTimeoutSeconds: 3600,
        outputS3BucketName: "b",
        outputS3KeyPrefix: "p",
        logGroupName: "/g",
        notification: { topicArn: "arn:aws:sns:us-east-1:1:t", events: ["Failed"], serviceRoleArn: "arn:aws:iam::1:role/r" },
      },
      patchTimeoutSeconds: 3600,
      calendar: "c",
    });
    expect(await findings(ssmRunbooksScoped, document(install))).toEqual([]);
  });

  it("flags a script step, a role that is no parameter, and content that is not JSON", async () => {
    const runbook = { ...restoreRunbook(), assumeRole: "arn:aws:iam::1:role/admin" };
    const withScript = {
      ...runbook,
      mainSteps: [
        ...runbook.mainSteps.slice(0, 1),
        { name: "Run", action: "aws:executeScript", inputs: { Runtime: "python3.11", Handler: "h" } },
        ...runbook.mainSteps.slice(1),
      ],
    };
    expect(await findings(ssmRunbooksScoped, document(withScript))).toEqual([
      'assumeRole "arn:aws:iam::1:role/admin" is not a parameter reference',
      "step Run: no step leads to it",
      "step Run runs code or documents (aws:executeScript)",
      "step Run: the calls of aws:executeScript are not known here; add them",
    ]);
    expect(
      await findings(ssmRunbooksScoped, { resource: { aws_ssm_document: { d: { document_type: "Automation", document_format: "YAML", content: "x" } } } }),
    ).toEqual(["document_format YAML: patchline renders runbooks as JSON"]);
  });
});

describe("IAM6 AWS managed policies only on the service role they are made for", () => {
  const stack = (service: string, policy = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"): TerraformJson => ({
    data: {
      aws_iam_policy_document: {
        trust: { statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] }] },
      },
    },
    resource: {
      aws_iam_role: { r: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } },
      aws_iam_role_policy_attachment: { a: { role: "${aws_iam_role.r.name}", policy_arn: policy } },
    },
  });

  it("accepts AWS Backup's policy on a role only AWS Backup assumes", async () => {
    expect(await findings(managedPoliciesOnServiceRolesOnly, stack("backup.amazonaws.com"))).toEqual([]);
  });

  it("flags it on a role another service assumes, and any other AWS managed policy", async () => {
    expect(await findings(managedPoliciesOnServiceRolesOnly, stack("ssm.amazonaws.com"))).toEqual([
      "attaches arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup to a role not trusted by backup.amazonaws.com alone",
    ]);
    expect(await findings(managedPoliciesOnServiceRolesOnly, stack("backup.amazonaws.com", "arn:aws:iam::aws:policy/AdministratorAccess"))).toEqual([
      "attaches arn:aws:iam::aws:policy/AdministratorAccess, which is not one of the AWS managed policies patchline allows",
    ]);
  });
});
