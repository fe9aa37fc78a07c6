import { describe, expect, it } from "vitest";
import { exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { forwardedEvents } from "../../contracts/event-patterns.js";
import { EventForwarding, EventForwardingRole } from "./event-forwarding.js";

describe("EventForwarding", () => {
  const json = synthConstruct((stack, provider) => {
    const role = new EventForwardingRole(stack, "Role", { accountId: "400000000002", naming: exampleNaming, provider });
    new EventForwarding(stack, "Forwarding", { role: role.role, naming: exampleNaming, provider });
  });

  it("has one rule per forwarded event kind on the default bus", () => {
    const rules = bodiesOf(json, "aws_cloudwatch_event_rule");
    expect(rules.map((r) => r.name).sort()).toEqual([
      "patchline-forward-install-stopped-before-patching",
      "patchline-forward-maintenance-window-failed",
      "patchline-forward-patch-command-failed",
      "patchline-forward-patch-non-compliant",
    ]);
    expect(rules.every((r) => r.event_bus_name === undefined)).toBe(true);
    const nonCompliant = rules.find((r) => r.name === "patchline-forward-patch-non-compliant")!;
    expect(JSON.parse(nonCompliant.event_pattern as string)).toEqual(forwardedEvents.patchNonCompliant);
  });

  it("matches compliance status case-insensitively, because SSM sends `non_compliant`", () => {
    expect(forwardedEvents.patchNonCompliant.detail["compliance-status"]).toEqual([{ "equals-ignore-case": "non_compliant" }]);
  });

  it("targets the central bus with the forwarding role and a bounded retry policy", () => {
    for (const target of bodiesOf(json, "aws_cloudwatch_event_target")) {
      expect(target).toMatchObject({
        arn: "arn:aws:events:us-east-1:100000000001:event-bus/patchline-central",
        role_arn: expect.stringMatching(/^\$\{aws_iam_role\..+\.arn\}$/),
        retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
      });
    }
  });

  it("lets the role put events only on the central bus, assumed only by EventBridge for this account", () => {
    expect(statementsOf(json, "aws_iam_role_policy", "policy")).toEqual([
      expect.objectContaining({ actions: ["events:PutEvents"], resources: ["arn:aws:events:us-east-1:100000000001:event-bus/patchline-central"] }),
    ]);
    expect(statementsOf(json, "aws_iam_role", "assume_role_policy")[0]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["400000000002"] },
        {
          test: "ArnLike",
          variable: "aws:SourceArn",
          values: [
            "arn:aws:events:*:400000000002:rule/patchline-forward-patch-non-compliant",
            "arn:aws:events:*:400000000002:rule/patchline-forward-maintenance-window-failed",
            "arn:aws:events:*:400000000002:rule/patchline-forward-patch-command-failed",
            "arn:aws:events:*:400000000002:rule/patchline-forward-install-stopped-before-patching",
          ],
        },
      ],
    });
  });

  it("is assumable for exactly the forwarding rules of the stack, in whatever region, and for no other rule of the account", () => {
    const patterns = statementsOf(json, "aws_iam_role", "assume_role_policy")[0]!.conditions.find((c) => c.variable === "aws:SourceArn")!.values;
    const matches = (arn: string) => patterns.some((p) => new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\*/g, "[^:]*")}$`).test(arn));
    for (const rule of bodiesOf(json, "aws_cloudwatch_event_rule")) {
      for (const region of ["us-east-1", "eu-central-1"]) expect(matches(`arn:aws:events:${region}:400000000002:rule/${rule.name}`)).toBe(true);
    }
    expect(matches("arn:aws:events:us-east-1:400000000002:rule/someone-elses-rule")).toBe(false);
    expect(matches("arn:aws:events:us-east-1:400000000003:rule/patchline-forward-patch-non-compliant")).toBe(false);
  });
});
