import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { exampleConfig, exampleNaming } from "../../test/support/construct-synth.js";
import { statementsOf } from "../../test/support/policies.js";
import type { TerraformJson } from "../../test/support/terraform-json.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { logBucketStatements } from "./log-bucket.js";

const bucketArn = exampleNaming.logBucketArn;
const writes = logBucketStatements(
  exampleConfig.org.organizationId,
  exampleConfig.environments.map((e) => e.name),
)({ name: exampleNaming.logBucket, arn: bucketArn }).find((s) => s.actions.includes("s3:PutObject"))!;

/** Whether the bucket policy lets a principal of `account` put the object `key` (policy variable resolved as IAM does). */
const bucketAdmits = (account: string, key: string) =>
  (writes.resources ?? []).some((pattern) => {
    const resolved = pattern.replaceAll("&{aws:PrincipalAccount}", account);
    return new RegExp(`^${resolved.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(`${bucketArn}/${key}`);
  });

/** Every `output_s3_key_prefix` in a stack (the maintenance window tasks' Run Command output). */
function outputPrefixes(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(outputPrefixes);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "output_s3_key_prefix" && typeof v === "string" ? [v] : outputPrefixes(v)));
}

const members = exampleConfig.environments.flatMap((environment) =>
  environment.accounts.map((account) => {
    const stack = new MemberAccountStack(Testing.app(), exampleNaming.memberStack(environment.name, account), {
      org: exampleConfig.org,
      environment,
      account,
      naming: exampleNaming,
      mode: { offline: true },
    });
    return { environment: environment.name, account: account.id, json: JSON.parse(Testing.synth(stack)) as TerraformJson };
  }),
);

describe("writers of the central log bucket and its policy agree: each account writes below its own account id only", () => {
  it("confines the bucket's writes with the aws:PrincipalAccount policy variable, for principals of the organization", () => {
    expect(writes.resources!.every((r) => r.includes("/&{aws:PrincipalAccount}/"))).toBe(true);
    expect(writes.conditions).toEqual([{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [exampleConfig.org.organizationId] }]);
  });

  it.each(members.map((m) => [`${m.environment}/${m.account}`, m] as const))(
    "%s: every maintenance window task writes where its own account may, and no other account may",
    (_, member) => {
      const prefixes = outputPrefixes(member.json.resource);
      expect(prefixes.length).toBeGreaterThan(0);
      for (const prefix of prefixes) {
        expect(prefix.startsWith(`run-command/${member.environment}/${member.account}/`), prefix).toBe(true);
        expect(bucketAdmits(member.account, `${prefix}/command-id/i-0abc/stdout`), prefix).toBe(true);
        expect(bucketAdmits("999999999999", `${prefix}/command-id/i-0abc/stdout`), prefix).toBe(false);
      }
    },
  );

  it.each(members.map((m) => [`${m.environment}/${m.account}`, m] as const))(
    "%s: the instances' output policy grants exactly its own account's prefix",
    (_, member) => {
      // the output policy by its name: the stack has other managed policies for instances (the install lists' read policy)
      const outputPolicy = (body: Record<string, unknown>) => body.name === exampleNaming.instanceOutputPolicy;
      const put = statementsOf(member.json, "aws_iam_policy", "policy", outputPolicy).find((s) => s.actions.includes("s3:PutObject"))!;
      expect(put.resources).toEqual([`${bucketArn}/run-command/${member.environment}/${member.account}/*`]);
      expect(bucketAdmits(member.account, `run-command/${member.environment}/${member.account}/x`)).toBe(true);
    },
  );

  it("the approval patch function's output prefix, filled for an account, is one that account may write", () => {
    const prefix = exampleNaming.runCommandOutputPrefix("{environment}", "{account}", "{region}");
    const filled = prefix.replace("{environment}", "prod").replace("{account}", "400000000002").replace("{region}", "us-east-1");
    expect(bucketAdmits("400000000002", `${filled}/approval/a-1/cmd/i-0abc/stdout`)).toBe(true);
    expect(bucketAdmits("400000000003", `${filled}/approval/a-1/cmd/i-0abc/stdout`)).toBe(false);
  });
});
