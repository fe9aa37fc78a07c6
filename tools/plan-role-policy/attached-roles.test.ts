import { describe, expect, it } from "vitest";
import { planRolePolicy, PlanRolePolicyError } from "./policy.js";
import type { StackTypes } from "./stacks.js";

const central = (resources: StackTypes["resources"]): StackTypes => ({
  stack: "central",
  kind: "central",
  resources,
  data: {},
  providerRegions: { aws: "us-east-1" },
});
const statement = (stack: StackTypes, sid: string) =>
  planRolePolicy("central", [stack], "patchline")!
    .documents.flatMap((d) => d.Statement)
    .find((s) => s.Sid === sid);

describe("the plan role's reads of policy attachments", () => {
  it("lists the attached policies of the role named, at any path (QuickSight's role lives below service-role/)", () => {
    const stack = central({
      aws_iam_policy: { Access: { name: "patchline-quicksight-access" } },
      aws_iam_role_policy_attachment: { Attach: { role: "aws-quicksight-service-role-v0", policy_arn: "${aws_iam_policy.Access.arn}" } },
    });
    expect(statement(stack, "ReadAttachedRole")).toEqual({
      Sid: "ReadAttachedRole",
      Effect: "Allow",
      Action: ["iam:ListAttachedRolePolicies"],
      Resource: ["arn:aws:iam::*:role/*/aws-quicksight-service-role-v0", "arn:aws:iam::*:role/aws-quicksight-service-role-v0"],
    });
  });

  it("takes the name of a role of the same stack, and refuses a role it cannot name", () => {
    const own = central({
      aws_iam_role: { Role: { name: "patchline-reader" } },
      aws_iam_role_policy_attachment: { Attach: { role: "${aws_iam_role.Role.name}", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
    });
    expect(statement(own, "ReadAttachedRole")!.Resource).toEqual(["arn:aws:iam::*:role/*/patchline-reader", "arn:aws:iam::*:role/patchline-reader"]);

    const unknown = central({ aws_iam_role_policy_attachment: { Attach: { role: "${var.role}", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } });
    expect(() => planRolePolicy("central", [unknown], "patchline")).toThrow(PlanRolePolicyError);
    expect(() => planRolePolicy("central", [unknown], "patchline")).toThrow(
      'central: aws_iam_role_policy_attachment.Attach: role must be a literal name or a role of the same stack to scope iam:ListAttachedRolePolicies to it (got "${var.role}")',
    );
  });

  it("reads QuickSight resources only below the name prefix, and refuses one named outside it", () => {
    const inside = central({ aws_quicksight_dashboard: { Dashboard: { dashboard_id: "patchline-compliance" } } });
    expect(statement(inside, "ReadQuicksight")).toEqual({
      Sid: "ReadQuicksight",
      Effect: "Allow",
      Action: ["quicksight:DescribeDashboard", "quicksight:DescribeDashboardPermissions", "quicksight:ListTagsForResource"],
      Resource: ["analysis", "dashboard", "dataset", "datasource"].map((type) => `arn:aws:quicksight:*:*:${type}/patchline-*`),
    });
    const outside = central({ aws_quicksight_dashboard: { Dashboard: { dashboard_id: "team-dashboard" } } });
    expect(() => planRolePolicy("central", [outside], "patchline")).toThrow('dashboard_id "team-dashboard" is outside the plan role\'s scope "patchline-*"');
  });
});
