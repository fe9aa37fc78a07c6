import { describe, expect, it } from "vitest";
import type { Block, TerraformJson } from "../support/terraform-json.js";
import { quickSightSharedNarrowly } from "./rules/quicksight.js";
import { findings, key } from "./rule-fixtures.js";

const group = "arn:aws:quicksight:us-east-1:100000000001:group/default/platform-team";
const user = "arn:aws:quicksight:eu-west-1:100000000001:user/default/AWSReservedSSO_Platform_0123/jane@example.com";
const workgroup = {
  w: {
    name: "patchline-quicksight",
    configuration: {
      enforce_workgroup_configuration: true,
      result_configuration: { encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: key } },
    },
  },
};

const stack = (resources: Record<string, Record<string, Block>>): TerraformJson => ({ resource: { aws_athena_workgroup: workgroup, ...resources } });
const source = (body: Block) => ({ aws_quicksight_data_source: { s: { type: "ATHENA", data_source_id: "patchline-compliance", ...body } } });

describe("QS1 QuickSight is shared narrowly and queries through the stack's workgroup", () => {
  it("accepts users and groups, and a data source in a workgroup of the stack (by reference or name)", async () => {
    const json = stack({
      ...source({
        parameters: { athena: { work_group: "${aws_athena_workgroup.w.name}" } },
        permission: [{ principal: group, actions: ["quicksight:DescribeDataSource"] }],
      }),
      aws_quicksight_dashboard: { d: { permissions: [{ principal: user, actions: ["quicksight:DescribeDashboard"] }] } },
    });
    expect(await findings(quickSightSharedNarrowly, json)).toEqual([]);
    expect(await findings(quickSightSharedNarrowly, stack(source({ parameters: [{ athena: [{ work_group: "patchline-quicksight" }] }] })))).toEqual([]);
  });

  it("flags a namespace, an account root or a wildcard as principal", async () => {
    const json = stack({
      aws_quicksight_dashboard: { d: { permissions: [{ principal: "arn:aws:quicksight:us-east-1:100000000001:namespace/default", actions: [] }] } },
      aws_quicksight_analysis: { a: { permissions: [{ principal: "arn:aws:iam::100000000001:root", actions: [] }] } },
      aws_quicksight_data_set: { s: { permissions: [{ principal: "arn:aws:quicksight:us-east-1:100000000001:group/default/*", actions: [] }] } },
    });
    expect(await findings(quickSightSharedNarrowly, json)).toEqual([
      "shares with arn:aws:quicksight:us-east-1:100000000001:group/default/*, which is not a QuickSight user or group ARN",
      "shares with arn:aws:iam::100000000001:root, which is not a QuickSight user or group ARN",
      "shares with arn:aws:quicksight:us-east-1:100000000001:namespace/default, which is not a QuickSight user or group ARN",
    ]);
  });

  it("flags an Athena data source in primary or in a workgroup the stack does not have", async () => {
    expect(await findings(quickSightSharedNarrowly, stack(source({ parameters: { athena: {} } })))).toEqual([
      "queries Athena in workgroup primary (none set), not one of the stack's",
    ]);
    expect(await findings(quickSightSharedNarrowly, stack(source({ parameters: { athena: { work_group: "analysts" } } })))).toEqual([
      'queries Athena in workgroup "analysts", not one of the stack\'s',
    ]);
  });
});
