import { describe, expect, it } from "vitest";
import { exampleWith } from "../../test/support/config.js";
import { synthOrg } from "../../test/support/synth.js";
import { resourcesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { parseBusinessHours } from "./business-hours.js";
import type { ResourceChange, StackPlan } from "./plan-json.js";
import { reviewPlans } from "./review.js";

/**
 * The approval workflow's settings live in its state machine's definition and its approvers are
 * topic subscriptions. Terraform's plan of the central stack carries the `definition` string and the
 * subscriptions exactly as synthesized, so the changes here are built from two real synths.
 */
const before = exampleWith(() => undefined);
const after = exampleWith((d) => {
  d.environments.dev.approval.enabled = false;
  d.environments.preprod.approval.reminderCount = 4;
  Object.assign(d.environments.prod.approval, {
    onNoResponse: "approve",
    backupBeforePatch: false,
    approverEmails: ["prod-change-board@example.com", "sre-leads@example.com"],
  });
});

function central(input: typeof before): TerraformJson {
  return synthOrg({ input }).stacks.get("central")!.json;
}

const approvalMachine = (json: TerraformJson) => resourcesOf(json, "aws_sfn_state_machine").find(([, body]) => body.name === "patchline-approval")!;
const approverSubscriptions = (json: TerraformJson) =>
  new Map(resourcesOf(json, "aws_sns_topic_subscription").filter(([name]) => name.includes("_ApproverSubscriptions_")));

function plan(): StackPlan {
  const [was, is] = [central(before), central(after)];
  const [name, beforeMachine] = approvalMachine(was);
  const changes: ResourceChange[] = [
    {
      address: `aws_sfn_state_machine.${name}`,
      mode: "managed",
      type: "aws_sfn_state_machine",
      name,
      change: { actions: ["update"], before: beforeMachine, after: approvalMachine(is)[1] },
    },
  ];
  const [subscriptionsBefore, subscriptionsAfter] = [approverSubscriptions(was), approverSubscriptions(is)];
  for (const [subscription, body] of subscriptionsAfter) {
    if (subscriptionsBefore.has(subscription)) continue;
    changes.push({
      address: `aws_sns_topic_subscription.${subscription}`,
      mode: "managed",
      type: "aws_sns_topic_subscription",
      name: subscription,
      change: { actions: ["create"], before: null, after: body },
    });
  }
  for (const [subscription, body] of subscriptionsBefore) {
    if (subscriptionsAfter.has(subscription)) continue;
    changes.push({
      address: `aws_sns_topic_subscription.${subscription}`,
      mode: "managed",
      type: "aws_sns_topic_subscription",
      name: subscription,
      change: { actions: ["delete"], before: body, after: null },
    });
  }
  return { stack: "central", environment: "central", changes };
}

describe("plan review of approval workflow settings", () => {
  const review = reviewPlans([plan()], {
    promotionOrder: ["dev", "preprod", "prod"],
    configuredApproveAfterDays: { dev: 0, preprod: 7, prod: 14 },
    promotionRecords: {},
    now: new Date("2026-11-24T00:00:00Z"),
    businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
  });
  const lines = (findings: typeof review.risks) => findings.map((f) => `${f.subject}: ${f.message}`);

  it("flags what lets patches reach production with less care", () => {
    expect(lines(review.risks)).toEqual([
      "approval workflow of prod: backup before patch true → false",
      "approval workflow of prod: on no response reject → approve",
    ]);
  });

  it("explains every setting and approver change in plain words, in promotion order", () => {
    expect(lines(review.stacks[0]!.findings.filter((f) => f.severity === "change"))).toEqual([
      "approval workflow of dev: switched off: instances tagged patch-policy=patch-on-approval in it get no approval requests and are not patched by the workflow",
      "approval workflow of preprod: reminders 2 → 4",
      "approvers: destroyed: dev-leads@example.com gets no more approval requests (dev)",
      "approvers: sre-leads@example.com added (prod)",
    ]);
  });
});
