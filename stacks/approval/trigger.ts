import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { forwardedEvents } from "../../contracts/event-patterns.js";
import type { Naming } from "../naming.js";
import { DeadLetterQueue } from "../core/dead-letter-queue.js";
import { policyDocument } from "../core/iam-policy.js";

export interface ApprovalTriggerProps {
  readonly naming: Naming;
  readonly accountId: string;
  readonly region: string;
  /** The central bus member accounts forward their SSM events to. */
  readonly bus: { readonly name: string };
  readonly stateMachineArn: string;
  readonly key: { readonly arn: string };
  /** Where the alarm on undeliverable events goes. */
  readonly alarmTopic: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * Starts the approval state machine for every patch non-compliance event on the central bus. An
 * event EventBridge cannot deliver after its retries lands in an encrypted dead-letter queue, and
 * an alarm tells the platform team.
 */
export class ApprovalTrigger extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ApprovalTriggerProps) {
    super(scope, id);
    const { provider, naming, accountId } = props;
    const ruleArn = naming.approvalTriggerRuleArn;
    const fromThisRule = [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
      { test: "ArnEquals", variable: "aws:SourceArn", values: [ruleArn] },
    ];

    this.rule = new CloudwatchEventRule(this, "Rule", {
      provider,
      name: naming.approvalTriggerRule,
      eventBusName: props.bus.name,
      description: "patchline: starts the approval workflow when an instance's patch compliance turns non-compliant",
      eventPattern: JSON.stringify(forwardedEvents.patchNonCompliant),
    });

    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "EventBridgeForThisRuleOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        conditions: fromThisRule,
      },
    ]);
    const role = new IamRole(this, "Role", {
      provider,
      name: naming.approvalTriggerRole,
      description: "patchline: starts the approval workflow for patch compliance events",
      assumeRolePolicy: trust.json,
    });
    const permissions = policyDocument(this, "Permissions", provider, [
      { sid: "StartApprovalWorkflow", actions: ["states:StartExecution"], resources: [props.stateMachineArn] },
    ]);
    new IamRolePolicy(this, "Policy", { provider, name: "start-approval-workflow", role: role.name, policy: permissions.json });

    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", {
      queueName: naming.approvalTriggerQueue,
      accountId,
      region: props.region,
      key: props.key,
      eventRuleArns: [ruleArn],
      alarm: { topic: props.alarmTopic, description: "patch compliance events could not start the approval workflow; they wait in the dead-letter queue" },
      provider,
    });

    new CloudwatchEventTarget(this, "Target", {
      provider,
      rule: this.rule.name,
      eventBusName: props.bus.name,
      targetId: "approval-workflow",
      arn: props.stateMachineArn,
      roleArn: role.arn,
      deadLetterConfig: { arn: this.deadLetters.queue.arn },
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
    });
  }
}
