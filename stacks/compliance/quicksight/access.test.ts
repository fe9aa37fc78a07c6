import { describe, expect, it } from "vitest";
import { isUnscopable } from "../../../test/security/iam-catalog.js";
import { quickSightAccessStatements } from "./access.js";
import { leftOutActions, managedPolicyActions } from "./athena-access.js";

const statements = quickSightAccessStatements({
  region: "us-east-1",
  accountId: "100000000001",
  workgroup: "patchline-quicksight",
  database: "patchline_compliance",
  dataBucket: "patchline-patch-data-100000000001-us-east-1",
  reportsBucket: "patchline-reports-100000000001-us-east-1",
  keyArn: "arn:aws:kms:us-east-1:100000000001:key/0e6b1d9c-0000-4000-8000-000000000001",
});
const granted = new Set(statements.flatMap((s) => s.actions));

describe("QuickSight's service role, measured against AWS's AWSQuicksightAthenaAccess", () => {
  it("grants every action of the managed policy that is not left out with a reason, and leaves out none it grants", () => {
    const unaccounted = managedPolicyActions.filter((a) => !granted.has(a) && leftOutActions[a] === undefined);
    expect(unaccounted).toEqual([]);
    expect(managedPolicyActions.filter((a) => granted.has(a) && leftOutActions[a] !== undefined)).toEqual([]);
    // the reasons name only actions of the managed policy
    expect(Object.keys(leftOutActions).filter((a) => !(managedPolicyActions as readonly string[]).includes(a))).toEqual([]);
  });

  it("grants nothing beyond the managed policy but the central key's two actions for the encrypted results", () => {
    const beyond = [...granted].filter((a) => !(managedPolicyActions as readonly string[]).includes(a));
    expect(beyond.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
  });

  it("includes the list and streaming calls a hand-picked subset missed", () => {
    for (const action of ["athena:ListWorkGroups", "athena:ListDataCatalogs", "athena:GetQueryResultsStream", "athena:BatchGetQueryExecution"]) {
      expect(granted).toContain(action);
    }
  });

  it('scopes every action the Service Authorization Reference allows: "*" only for the three without a resource type', async () => {
    const onStar = statements.filter((s) => s.resources?.includes("*"));
    expect(onStar.map((s) => s.sid)).toEqual(["ListWorkgroupsCatalogsAndEngineVersions"]);
    for (const action of onStar.flatMap((s) => s.actions)) expect(await isUnscopable(action), action).toBe(true);
    const workgroup = statements.find((s) => s.sid === "RunQueriesInTheQuickSightWorkgroup")!;
    expect(workgroup.resources).toEqual(["arn:aws:athena:us-east-1:100000000001:workgroup/patchline-quicksight"]);
  });
});
