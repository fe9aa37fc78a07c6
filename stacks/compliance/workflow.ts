import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Org } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { centralFunction, type CentralFunctionProps } from "../core/central-function.js";
import type { Naming } from "../naming.js";
import { complianceDefinition } from "./definition.js";
import { assumeMemberRoleStatement } from "../member/central-access-role.js";
import type { LambdaFunction } from "../core/lambda-function.js";
import { Schedule } from "../core/schedule.js";
import { StateMachine } from "../core/state-machine.js";
import { complianceFunctionNames } from "../../contracts/functions.js";
import { useCentralKey, catalogEnvironment, readFleetCatalog } from "../core/central-statements.js";
import { channelStatements, reportsObjects } from "./statements.js";
import { EVIDENCE_PREFIX, reportPrefixes } from "./storage.js";
import { MAP_RESULTS_PREFIX } from "../../contracts/compliance-run.js";
import { HISTORY_PREFIX, historyPrefixes } from "../../contracts/compliance-history.js";
import { MISSING_PATCHES_PREFIX } from "../../contracts/patch-sla.js";

/** A compliance function: a central function that also knows where the fleet catalog is. */
export type ComplianceFunctionProps = CentralFunctionProps & { readonly name: ComplianceFunctionName };
type ComplianceFunctionName = (typeof complianceFunctionNames)[keyof typeof complianceFunctionNames];

export interface ComplianceWorkflowProps {
  /** The organization-wide settings: central account, logs, e-mail, compliance schedule. (The accounts reach the functions through the fleet catalog.) */
  readonly org: Org;
  readonly naming: Naming;
  readonly artifacts: FunctionArtifacts;
  readonly key: { readonly arn: string };
  readonly channels: { readonly secretArnPatterns: readonly string[]; readonly topicArns: readonly string[] };
  /** `arn` (derived from the name) for policies; `queue.arn` where AWS checks the queue when it is configured. */
  readonly deadLetterQueue: { readonly arn: string; readonly queue: { readonly arn: string } };
  readonly provider: AwsProvider;
}

/** A compliance function with patchline's defaults (central account, central key, org log retention) and the catalog's location. */
export function complianceFunction(scope: Construct, props: ComplianceWorkflowProps, fn: ComplianceFunctionProps): LambdaFunction {
  const { org, naming } = props;
  const context = {
    naming,
    artifacts: props.artifacts,
    accountId: org.central.accountId,
    logRetentionDays: org.logs.logGroupRetentionDays,
    key: props.key,
    provider: props.provider,
  };
  return centralFunction(scope, fn.name, context, { ...fn, environment: { ...catalogEnvironment(naming), ...fn.environment } });
}

/**
 * The scheduled compliance run: its four functions (targets, collector, report, digest), the state
 * machine that runs them, and the EventBridge Scheduler schedule that starts it.
 */
export class ComplianceWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Readonly<Record<"targets" | "collector" | "report" | "digest", LambdaFunction>>;

  constructor(scope: Construct, id: string, props: ComplianceWorkflowProps) {
    super(scope, id);
    const { org, naming, key, provider } = props;
    const region = org.central.region;
    const names = complianceFunctionNames;
    const units = org.compliance.organizationalUnits;

    const functions = new Construct(this, "Functions");
    const targets = complianceFunction(functions, props, {
      name: names.targets,
      description: "lists the account-regions of a compliance run",
      timeoutSeconds: 60,
      statements: [
        readFleetCatalog(naming),
        reportsObjects("WriteRunTargets", naming, [reportPrefixes.runs], ["s3:PutObject"]),
        useCentralKey("EncryptRunTargets", key, region, ["s3"], ["kms:Decrypt", "kms:GenerateDataKey"]),
        ...(units.length > 0
          ? [
              {
                // the management account's id is not in config; the organization id pins the units
                sid: "ListAccountsOfConfiguredUnits",
                actions: ["organizations:ListAccountsForParent", "organizations:ListChildren"],
                resources: [`arn:aws:organizations::*:ou/${org.organizationId}/*`],
              },
            ]
          : []),
      ],
    });
    const collector = complianceFunction(functions, props, {
      name: names.collector,
      description: "collects patch compliance of one member account and region",
      timeoutSeconds: 240,
      memorySizeMb: 512,
      environment: { DATA_BUCKET: naming.complianceDataBucket },
      statements: [
        readFleetCatalog(naming),
        assumeMemberRoleStatement("AssumeComplianceReader", naming.complianceReaderRole, org.organizationId),
        reportsObjects("WriteTargetResults", naming, [reportPrefixes.runs], ["s3:PutObject"]),
        useCentralKey("EncryptResults", key, region, ["s3"], ["kms:Decrypt", "kms:GenerateDataKey"]),
        // with a patch SLA, each target's missing patches (the data bucket is SSE-S3: no key grant)
        ...(org.compliance.sla
          ? [{ sid: "WriteMissingPatches", actions: ["s3:PutObject"], resources: [`arn:aws:s3:::${naming.complianceDataBucket}/${MISSING_PATCHES_PREFIX}*`] }]
          : []),
      ],
    });
    const report = complianceFunction(functions, props, {
      name: names.report,
      description: "writes the report of a compliance run",
      // reads every target's result: 30,000 account-regions take about 50 s at 32 reads in flight (bench compliance-run); Lambda's maximum leaves room for far more
      timeoutSeconds: 900,
      memorySizeMb: 1024,
      environment: { EVIDENCE_BUCKET: naming.evidenceBucket, HISTORY_BUCKET: naming.complianceDataBucket },
      statements: [
        readFleetCatalog(naming),
        reportsObjects("ReadTargetResults", naming, [reportPrefixes.runs], ["s3:GetObject"]),
        // the findings CSV is a multipart upload, aborted when the report fails
        reportsObjects("WriteReports", naming, [reportPrefixes.reports], ["s3:PutObject", "s3:AbortMultipartUpload"]),
        useCentralKey("EncryptReports", key, region, ["s3"], ["kms:Decrypt", "kms:GenerateDataKey"]),
        {
          // a run's document is written once; a retry reads it back to tell its own write from another's, and the summary is read and written back
          sid: "WriteEvidence",
          actions: ["s3:GetObject", "s3:PutObject"],
          resources: [`arn:aws:s3:::${naming.evidenceBucket}/${EVIDENCE_PREFIX}*`],
        },
        {
          // the earlier runs' environment lines, newest last: the trend and the change since the last run
          sid: "ListRunHistory",
          actions: ["s3:ListBucket"],
          resources: [`arn:aws:s3:::${naming.complianceDataBucket}`],
          conditions: [{ test: "StringEquals", variable: "s3:prefix", values: [historyPrefixes.environments] }],
        },
        {
          // earlier runs read; this run's lines written once (the data bucket is SSE-S3: no key grant), and read back when a retry finds them
          sid: "ReadWriteRunHistory",
          actions: ["s3:GetObject", "s3:PutObject"],
          resources: [`arn:aws:s3:::${naming.complianceDataBucket}/${HISTORY_PREFIX}*`],
        },
      ],
    });
    const digest = complianceFunction(functions, props, {
      name: names.digest,
      description: "sends the compliance digest to one channel",
      timeoutSeconds: 240,
      memorySizeMb: 512,
      statements: [
        readFleetCatalog(naming),
        reportsObjects("ReadReports", naming, [reportPrefixes.reports], ["s3:GetObject"]),
        ...channelStatements(props.channels),
        useCentralKey("DecryptAndPublish", key, region, ["s3", "sns", "secretsmanager"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
    });
    this.functions = { targets, collector, report, digest };

    const arns = { targets: names.targets, collector: names.collector, report: names.report, digest: names.digest };
    const functionArns = Object.fromEntries(Object.entries(arns).map(([k, name]) => [k, naming.centralFunctionArn(name)])) as Record<keyof typeof arns, string>;
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName: naming.complianceStateMachine,
      description: "compliance run: collect every account and region, report, send the digest",
      definition: complianceDefinition({
        functions: functionArns,
        bucket: naming.reportsBucket,
        maxConcurrency: org.compliance.maxConcurrency,
        toleratedFailurePercentage: org.compliance.toleratedFailurePercentage,
      }),
      accountId: org.central.accountId,
      region,
      statements: [
        { sid: "InvokeRunFunctions", actions: ["lambda:InvokeFunction"], resources: Object.values(functionArns).flatMap((arn) => [arn, `${arn}:*`]) },
        // the Distributed Map: its children are executions of this state machine
        { sid: "StartChildExecutions", actions: ["states:StartExecution"], resources: [naming.complianceStateMachineArn] },
        { sid: "FollowChildExecutions", actions: ["states:DescribeExecution", "states:StopExecution"], resources: [`${naming.complianceExecutionArnPrefix}*`] },
        reportsObjects("ReadRunTargets", naming, [reportPrefixes.runs], ["s3:GetObject"]),
        reportsObjects(
          "WriteChildResults",
          naming,
          [`${MAP_RESULTS_PREFIX}/`],
          ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
        ),
        useCentralKey("ReadTargetsWriteResults", key, region, ["s3"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
      key,
      logRetentionDays: org.logs.logGroupRetentionDays,
      provider,
    });

    new Schedule(this, "Schedule", {
      scheduleName: naming.schedule("compliance"),
      description: "starts the compliance run",
      expression: org.compliance.schedule.expression,
      timeZone: org.compliance.schedule.timeZone,
      targetArn: this.stateMachine.arn,
      targetStart: { sid: "StartComplianceRuns", action: "states:StartExecution" },
      input: "{}",
      deadLetterQueue: props.deadLetterQueue,
      key,
      accountId: org.central.accountId,
      region,
      provider,
    });
  }
}
