import { describe, expect, it } from "vitest";
import { exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { InstanceInstallListsPolicy } from "./instance-install-lists-policy.js";

describe("InstanceInstallListsPolicy (member account, for instance profiles)", () => {
  const json = synthConstruct((stack, provider) => new InstanceInstallListsPolicy(stack, "Lists", { environment: "prod", naming: exampleNaming, provider }));

  it("lets an instance read its own environment's install lists only: the promoted patches and its emergency runs' named patches", () => {
    expect(bodiesOf(json, "aws_iam_policy")[0]).toMatchObject({ name: "patchline-instance-install-lists" });
    expect(statementsOf(json, "aws_iam_policy", "policy")).toEqual([
      expect.objectContaining({
        sid: "ReadThisEnvironmentsInstallLists",
        effect: "Allow",
        actions: ["s3:GetObject"],
        resources: [
          "arn:aws:s3:::patchline-promotions-100000000001-us-east-1/prod/install-override-list.yaml",
          "arn:aws:s3:::patchline-emergency-100000000001-us-east-1/install-lists/prod/*",
        ],
      }),
    ]);
  });
});
