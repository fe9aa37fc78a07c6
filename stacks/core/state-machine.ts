import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import stringify from "json-stable-stringify";
import { assertValidDefinition, type StateMachineDefinition } from "./asl.js";
import { policyDocument, type PolicyStatement } from "./iam-policy.js";
import { recordRoleGrants } from "./role-grants.js";

/** A state machine's role is named after it (the central key's policy and the function guard name it). */
export const stateMachineRoleName = (stateMachineName: string): string => `${stateMachineName}-state-machine`;

export interface StateMachineProps {
  /** Physical name (from `Naming`): the ARN is derived from it, so other stacks and policies can name it. */
  readonly stateMachineName: string;
  /** What the workflow does, for the role's description. */
  readonly description: string;
  /**
   * The ASL definition, from a pure builder. Resource ARNs in it are plain strings derived from
   * config (never Terraform references), so the definition is validated at synth and reads in full
   * in a plan.
   */
  readonly definition: StateMachineDefinition;
  readonly accountId: string;
  readonly region: string;
  /** What the workflow's tasks may do. */
  readonly statements: readonly PolicyStatement[];
  /** Customer managed key for the definition, execution history and the log group. */
  readonly key: { readonly arn: string };
  readonly logRetentionDays: number;
  readonly provider: AwsProvider;
}

/**
 * The definition string Terraform gets (`aws_sfn_state_machine.definition`). Stable key order: the
 * same definition renders to the same string, so plans show real changes only.
 */
export const renderDefinition = (definition: StateMachineDefinition): string => stringify(definition, { space: 2 }) ?? "";

/**
 * A Standard state machine the way patchline runs them: validated definition, its own role that
 * only Step Functions acting for this state machine may assume, execution history and definition
 * encrypted with the central key, every transition logged without execution data (inputs carry task
 * tokens and instance details), X-Ray tracing.
 */
export class StateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** Derived from the name: usable in policies of other stacks and in definitions. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id);
    const { provider, accountId, region, stateMachineName } = props;
    assertValidDefinition(stateMachineName, props.definition);
    this.arn = `arn:aws:states:${region}:${accountId}:stateMachine:${stateMachineName}`;

    // the vended-logs prefix keeps the account's CloudWatch Logs resource policy small
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      provider,
      name: `/aws/vendedlogs/states/${stateMachineName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.key.arn,
    });
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "StepFunctionsForThisStateMachineOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["states.amazonaws.com"] }],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [this.arn] },
        ],
      },
    ]);
    const roleName = stateMachineRoleName(stateMachineName);
    this.role = new IamRole(this, "Role", {
      provider,
      name: roleName,
      description: `patchline: ${props.description}`,
      assumeRolePolicy: trust.json,
    });
    const statements: PolicyStatement[] = [
      {
        sid: "EncryptOwnExecutionData",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.key.arn],
        conditions: [{ test: "StringEquals", variable: "kms:EncryptionContext:aws:states:stateMachineArn", values: [this.arn] }],
      },
      {
        // CloudWatch Logs delivery for Step Functions is configured through these account-level APIs
        sid: "DeliverExecutionLogs",
        actions: [
          "logs:CreateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:DescribeLogGroups",
          "logs:DescribeResourcePolicies",
          "logs:GetLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:UpdateLogDelivery",
        ],
        resources: ["*"],
      },
      {
        // X-Ray accepts segments on no particular resource
        sid: "WriteTraces",
        actions: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        resources: ["*"],
      },
      ...props.statements,
    ];
    const permissions = policyDocument(this, "Permissions", provider, statements);
    // the central key's policy admits the roles whose statements use it (role-grants.ts)
    recordRoleGrants(this, { roleArn: `arn:aws:iam::${accountId}:role/${roleName}`, statements });
    const policy = new IamRolePolicy(this, "Policy", { provider, name: "state-machine", role: this.role.name, policy: permissions.json });

    this.stateMachine = new SfnStateMachine(this, "StateMachine", {
      provider,
      name: stateMachineName,
      type: "STANDARD",
      roleArn: this.role.arn,
      definition: renderDefinition(props.definition),
      loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: `${this.logGroup.arn}:*` },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: props.key.arn, kmsDataKeyReusePeriodSeconds: 300 },
      // Step Functions checks the role's log and key permissions when it creates the state machine
      dependsOn: [policy],
    });
  }
}
