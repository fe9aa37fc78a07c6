import { failedRunsAlarm } from "../core/failed-runs-alarm.js";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { emergencyKeys } from "../../contracts/emergency-patch.js";
import { emergencyFunctionNames } from "../../contracts/functions.js";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { channelDestinations } from "../compliance/channels.js";
import { channelStatements } from "../compliance/statements.js";
import { centralFunction } from "../core/central-function.js";
import { catalogEnvironment, readFleetCatalog, useCentralKey } from "../core/central-statements.js";
import type { LambdaFunction } from "../core/lambda-function.js";
import { SecureBucket } from "../core/secure-bucket.js";
import { StateMachine } from "../core/state-machine.js";
import { assumeMemberRoleStatement } from "../member/central-access-role.js";
import type { Naming } from "../naming.js";
import { promotionsBucketStatements } from "../promotion/install-override-lists.js";
import { emergencyDefinition } from "./definition.js";

export interface EmergencyPatchRunProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly artifacts: FunctionArtifacts;
  /** The central key: logs, the state machine's history, the catalog and the channels' secrets and topics. */
  readonly key: { readonly arn: string };
  /** The platform team's topic: a run that halts or fails raises an alarm there. */
  readonly notifications: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * The wave files, results and install lists of a run stay at least this long (a run may last 10
 * days), else as long as Run Command output (`org.logs.outputRetentionDays`), which they explain.
 */
export const EMERGENCY_MIN_RETENTION_DAYS = 30;

/** The channels a run tells: the failure channels and every environment's notice channels (the run's environment is known at run time). */
export function emergencyChannels(config: OrgConfig): string[] {
  return [...new Set([...config.org.compliance.failureChannels, ...config.environments.flatMap((e) => e.compliance.noticeChannels)])];
}

/**
 * Emergency patch runs (`npm run patch-now`): the bucket of their files, their three functions (the
 * run's own steps, the member-account commands, the messages) and the state machine that runs the
 * waves, with an alarm when a run halts or fails. Nothing here depends on the organization's
 * accounts: the functions read them from the fleet catalog and the plan.
 */
export class EmergencyPatchRun extends Construct {
  readonly functions: Readonly<Record<keyof typeof emergencyFunctionNames, LambdaFunction>>;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: EmergencyPatchRunProps) {
    super(scope, id);
    const { config, naming, key, provider } = props;
    const { org } = config;
    const { accountId, region } = org.central;
    const bucketArn = `arn:aws:s3:::${naming.emergencyBucket}`;

    // SSE-S3: instances read the named patches' lists with their own credentials, which have no grant on the central key
    new SecureBucket(this, "Bucket", {
      provider,
      bucketName: naming.emergencyBucket,
      expireAfterDays: Math.max(org.logs.outputRetentionDays, EMERGENCY_MIN_RETENTION_DAYS),
      noncurrentVersionExpireAfterDays: org.logs.noncurrentVersionRetentionDays,
      policyStatements: promotionsBucketStatements(org.organizationId, emergencyKeys.installLists),
    });

    const context = { naming, artifacts: props.artifacts, accountId, logRetentionDays: org.logs.logGroupRetentionDays, key, provider };
    const run = centralFunction(this, "RunFunction", context, {
      name: emergencyFunctionNames.run,
      description: "checks an emergency run's plan and writes its waves and install list; sums each wave",
      timeoutSeconds: 240,
      memorySizeMb: 512,
      environment: { ...catalogEnvironment(naming), EMERGENCY_BUCKET: naming.emergencyBucket, EMERGENCY_BUCKET_REGION: region },
      statements: [
        readFleetCatalog(naming),
        useCentralKey("DecryptTheCatalog", key, region, ["s3"], ["kms:Decrypt"]),
        {
          sid: "WriteWavesAndInstallLists",
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/${emergencyKeys.runs}*`, `${bucketArn}/${emergencyKeys.installLists}*`],
        },
        { sid: "ReadWaveResults", actions: ["s3:GetObject"], resources: [`${bucketArn}/${emergencyKeys.runs}*`] },
      ],
    });
    const commands = centralFunction(this, "CommandsFunction", context, {
      name: emergencyFunctionNames.commands,
      description: "sends the windows' patch commands to a member account-region of an emergency run and follows them",
      timeoutSeconds: 90,
      environment: {
        MEMBER_ROLE_NAME: naming.emergencyPatchRole,
        OUTPUT_BUCKET: naming.logBucket,
        OUTPUT_BUCKET_REGION: region,
        OUTPUT_KEY_PREFIX_TEMPLATE: naming.runCommandOutputPrefix("{environment}", "{account}", "{region}"),
        RUN_COMMAND_LOG_GROUP: naming.runCommandLogGroup,
      },
      statements: [assumeMemberRoleStatement("AssumeMemberEmergencyPatchRole", naming.emergencyPatchRole, org.organizationId)],
    });
    const channels = channelDestinations(Object.fromEntries(emergencyChannels(config).map((name) => [name, org.channels[name]!])), naming);
    const notify = centralFunction(this, "NotifyFunction", context, {
      name: emergencyFunctionNames.notify,
      description: "tells an emergency run's channels of its start, its waves and its end",
      timeoutSeconds: 120,
      environment: catalogEnvironment(naming),
      statements: [
        readFleetCatalog(naming),
        ...channelStatements(channels),
        useCentralKey("DecryptAndPublish", key, region, ["s3", "sns", "secretsmanager"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
    });
    this.functions = { run, commands, notify };

    const arns = {
      run: naming.centralFunctionArn(emergencyFunctionNames.run),
      commands: naming.centralFunctionArn(emergencyFunctionNames.commands),
      notify: naming.centralFunctionArn(emergencyFunctionNames.notify),
    };
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName: naming.emergencyStateMachine,
      description: "emergency patch run: the windows' install commands, wave by wave",
      definition: emergencyDefinition({ functions: arns, bucket: naming.emergencyBucket }),
      accountId,
      region,
      statements: [
        { sid: "InvokeRunFunctions", actions: ["lambda:InvokeFunction"], resources: Object.values(arns).flatMap((arn) => [arn, `${arn}:*`]) },
        // the waves' Distributed Maps: their children are executions of this state machine
        { sid: "StartChildExecutions", actions: ["states:StartExecution"], resources: [naming.emergencyStateMachineArn] },
        { sid: "FollowChildExecutions", actions: ["states:DescribeExecution", "states:StopExecution"], resources: [`${naming.emergencyExecutionArnPrefix}*`] },
        { sid: "ReadWaveFiles", actions: ["s3:GetObject"], resources: [`${bucketArn}/${emergencyKeys.runs}*`] },
        {
          sid: "WriteChildResults",
          actions: ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
          resources: [`${bucketArn}/${emergencyKeys.mapResults}/*`],
        },
      ],
      key,
      logRetentionDays: org.logs.logGroupRetentionDays,
      provider,
    });

    // a halted run fails its execution on purpose: the platform team hears of it besides the channels
    failedRunsAlarm(this, "HaltedOrFailedRunsAlarm", {
      alarmName: `${naming.emergencyStateMachine}-runs-failed`,
      alarmDescription: "patchline: an emergency patch run halted after a wave, failed, timed out or was aborted; see the state machine's executions",
      stateMachineArn: this.stateMachine.arn,
      topicArn: props.notifications.arn,
      provider,
    });
  }
}
