import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { forwardedEvents } from "../../contracts/event-patterns.js";
import type { Naming } from "../naming.js";
import { policyDocument } from "../core/iam-policy.js";

/** The rule that forwards one kind of event (`patchNonCompliant` → `<prefix>-forward-patch-non-compliant`). */
export function forwardingRuleName(naming: Naming, kind: string): string {
  return `${naming.prefix}-forward-${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The forwarding rules of an account, in any region: one ARN per rule name, the region a
 * wildcard, so that the trust policy stays the same size however many regions share the role
 * (IAM caps a trust policy at 2,048 characters by default, and a role serves up to 64 regions).
 */
export function forwardingRuleArnPatterns(naming: Naming, accountId: string): string[] {
  return Object.keys(forwardedEvents).map((kind) => `arn:aws:events:*:${accountId}:rule/${forwardingRuleName(naming, kind)}`);
}

export interface EventForwardingRoleProps {
  readonly accountId: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
  /** The role's name. @default naming.eventForwardingRole (a region in a stack of its own has its own role) */
  readonly roleName?: string;
}

/**
 * The role EventBridge in a member account uses to put events on the central bus (org-based bus
 * policies require one). Only EventBridge acting for patchline's forwarding rules of this account
 * may assume it: another rule of the account cannot use it to put its events on the central bus.
 */
export class EventForwardingRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: EventForwardingRoleProps) {
    super(scope, id);
    const { provider, naming } = props;
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "EventBridgeForTheForwardingRulesOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: forwardingRuleArnPatterns(naming, props.accountId) },
        ],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      provider,
      name: props.roleName ?? naming.eventForwardingRole,
      description: "patchline: forwards SSM patching events to the central event bus",
      assumeRolePolicy: trust.json,
    });
    const permissions = policyDocument(this, "Permissions", provider, [
      { sid: "PutEventsOnCentralBus", actions: ["events:PutEvents"], resources: [naming.centralEventBusArn] },
    ]);
    new IamRolePolicy(this, "Policy", { provider, name: "forward-to-central-bus", role: this.role.name, policy: permissions.json });
  }
}

export interface EventForwardingProps {
  readonly role: { readonly arn: string };
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** One rule per forwarded event kind on the region's default bus, each targeting the central bus. */
export class EventForwarding extends Construct {
  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    const { provider, naming } = props;
    for (const [kind, pattern] of Object.entries(forwardedEvents)) {
      const rule = new CloudwatchEventRule(this, kind, {
        provider,
        name: forwardingRuleName(naming, kind),
        description: `patchline: forwards ${kind} events to the central bus`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(rule, "Target", {
        provider,
        rule: rule.name,
        targetId: "central-bus",
        arn: naming.centralEventBusArn,
        roleArn: props.role.arn,
        // SSM events are best effort anyway; the scheduled compliance run reconciles what is lost
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      });
    }
  }
}
