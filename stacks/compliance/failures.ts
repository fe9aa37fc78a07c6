import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";
import { forwardedEvents } from "../../contracts/event-patterns.js";
import type { Naming } from "../naming.js";
import { assumeMemberRoleStatement } from "../member/central-access-role.js";
import type { LambdaFunction } from "../core/lambda-function.js";
import { complianceFunctionNames } from "../../contracts/functions.js";
import { useCentralKey, readFleetCatalog } from "../core/central-statements.js";
import { channelStatements } from "./statements.js";
import { complianceFunction, type ComplianceWorkflowProps } from "./workflow.js";

/** A rule that notifies the failure channels: on which bus, and what it matches. */
interface FailureRule {
  readonly id: string;
  readonly name: string;
  /** Custom bus name; undefined for the account's default bus. */
  readonly bus?: string;
  readonly pattern: unknown;
}

/** The rules and their ARNs, derived from names (the dead-letter queue policy names them before they exist). */
export function failureRules(naming: Naming, region: string, accountId: string): (FailureRule & { arn: string })[] {
  const rules: FailureRule[] = [
    {
      id: "MaintenanceWindowFailed",
      name: `${naming.prefix}-notify-maintenance-window-failed`,
      bus: naming.centralEventBus,
      pattern: forwardedEvents.maintenanceWindowFailed,
    },
    {
      id: "PatchCommandFailed",
      name: `${naming.prefix}-notify-patch-command-failed`,
      bus: naming.centralEventBus,
      pattern: forwardedEvents.patchCommandFailed,
    },
    {
      id: "InstallStoppedBeforePatching",
      name: `${naming.prefix}-notify-install-stopped`,
      bus: naming.centralEventBus,
      pattern: forwardedEvents.installStoppedBeforePatching,
    },
    {
      id: "ComplianceRunFailed",
      name: `${naming.prefix}-notify-compliance-run-failed`,
      pattern: {
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: [naming.complianceStateMachineArn] },
      },
    },
  ];
  return rules.map((r) => ({ ...r, arn: `arn:aws:events:${region}:${accountId}:rule/${r.bus ? `${r.bus}/` : ""}${r.name}` }));
}

/**
 * Failure notifications: maintenance-window executions and patch commands that fail or time out in
 * member accounts (forwarded to the central bus) and compliance runs that fail, each turned by a
 * small function into a message with account, region, window, instance and status for the failure
 * channels. Deliveries that fail end in the dead-letter queue.
 */
export class FailureNotifications extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: ComplianceWorkflowProps) {
    super(scope, id);
    const { org, naming, key, provider } = props;
    const region = org.central.region;
    // the notices ledger (notices.ts) also records which window executions' freeze skips were told
    const ledgerArn = `arn:aws:dynamodb:${region}:${org.central.accountId}:table/${naming.patchNoticesTable}`;
    this.function = complianceFunction(this, props, {
      name: complianceFunctionNames.failures,
      description: "notifies the failure channels of failed maintenance windows, patch commands and compliance runs",
      timeoutSeconds: 120,
      environment: { NOTICES_TABLE: naming.patchNoticesTable },
      statements: [
        readFleetCatalog(naming),
        assumeMemberRoleStatement("AssumeComplianceReader", naming.complianceReaderRole, org.organizationId),
        { sid: "ClaimFreezeMessages", actions: ["dynamodb:PutItem"], resources: [ledgerArn] },
        ...channelStatements(props.channels),
        { sid: "DeadLetterFailedInvocations", actions: ["sqs:SendMessage"], resources: [props.deadLetterQueue.arn] },
        useCentralKey("UseTheCentralKey", key, region, ["s3", "sns", "secretsmanager", "sqs", "dynamodb"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
    });
    new LambdaFunctionEventInvokeConfig(this, "AsyncInvocations", {
      provider,
      functionName: this.function.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 6 * 3600,
      destinationConfig: { onFailure: { destination: props.deadLetterQueue.queue.arn } },
    });

    for (const rule of failureRules(naming, region, org.central.accountId)) {
      const eventRule = new CloudwatchEventRule(this, rule.id, {
        provider,
        name: rule.name,
        description: `patchline: notifies the failure channels (${rule.id})`,
        eventBusName: rule.bus,
        eventPattern: JSON.stringify(rule.pattern),
      });
      new CloudwatchEventTarget(eventRule, "Target", {
        provider,
        rule: eventRule.name,
        eventBusName: rule.bus,
        targetId: "failure-notifications",
        arn: this.function.function.arn,
        retryPolicy: { maximumEventAgeInSeconds: 6 * 3600, maximumRetryAttempts: 20 },
        deadLetterConfig: { arn: props.deadLetterQueue.queue.arn },
      });
      new LambdaPermission(eventRule, "Permission", {
        provider,
        statementId: `events-${rule.id}`,
        action: "lambda:InvokeFunction",
        functionName: this.function.function.functionName,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
        sourceAccount: org.central.accountId,
      });
    }
  }
}
