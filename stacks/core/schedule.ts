import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "./iam-policy.js";
import { recordRoleGrants } from "./role-grants.js";

export interface ScheduleProps {
  readonly scheduleName: string;
  readonly description: string;
  /** `cron(...)` or `rate(...)`, EventBridge Scheduler syntax. */
  readonly expression: string;
  /** IANA zone the cron is read in. @default "UTC" */
  readonly timeZone?: string;
  /** ARN of the state machine or function the schedule starts. */
  readonly targetArn: string;
  /** How the schedule's role starts the target, granted on `targetArn` only; `sid` says why. */
  readonly targetStart: { readonly sid: string; readonly action: "states:StartExecution" | "lambda:InvokeFunction" };
  /** JSON the target gets. */
  readonly input: string;
  /** `arn` (derived from the name) for policies; `queue.arn` where AWS checks the queue when it is configured. */
  readonly deadLetterQueue: { readonly arn: string; readonly queue: { readonly arn: string } };
  /** Encrypts the schedule's input; also the key of the dead-letter queue. */
  readonly key: { readonly arn: string };
  readonly accountId: string;
  readonly region: string;
  readonly provider: AwsProvider;
}

/**
 * An EventBridge Scheduler schedule with its own role (only Scheduler acting for this schedule may
 * assume it), a bounded retry, a dead-letter queue for starts that keep failing, and its input
 * encrypted with the central key.
 */
export class Schedule extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    const { provider, accountId } = props;
    const scheduleArn = `arn:aws:scheduler:${props.region}:${accountId}:schedule/default/${props.scheduleName}`;
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "SchedulerForThisScheduleOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
          { test: "ArnEquals", variable: "aws:SourceArn", values: [scheduleArn] },
        ],
      },
    ]);
    const roleName = `${props.scheduleName}-schedule`;
    this.role = new IamRole(this, "Role", {
      provider,
      name: roleName,
      description: `patchline: ${props.description}`,
      assumeRolePolicy: trust.json,
    });
    const statements: PolicyStatement[] = [
      { sid: props.targetStart.sid, actions: [props.targetStart.action], resources: [props.targetArn] },
      { sid: "DeadLetterUndeliveredStarts", actions: ["sqs:SendMessage"], resources: [props.deadLetterQueue.arn] },
      {
        // the schedule's input and the dead-letter queue are encrypted with this key
        sid: "UseTheCentralKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.key.arn],
      },
    ];
    const permissions = policyDocument(this, "Permissions", provider, statements);
    // the central key's policy admits the roles whose statements use it (role-grants.ts)
    recordRoleGrants(this, { roleArn: `arn:aws:iam::${accountId}:role/${roleName}`, statements });
    new IamRolePolicy(this, "Policy", { provider, name: "schedule", role: this.role.name, policy: permissions.json });
    this.schedule = new SchedulerSchedule(this, "Schedule", {
      provider,
      name: props.scheduleName,
      description: `patchline: ${props.description}`,
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timeZone ?? "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      kmsKeyArn: props.key.arn,
      target: {
        arn: props.targetArn,
        roleArn: this.role.arn,
        input: props.input,
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 },
        deadLetterConfig: { arn: props.deadLetterQueue.queue.arn },
      },
    });
  }
}
