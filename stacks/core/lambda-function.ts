import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction as LambdaFunctionResource } from "@cdktf/provider-aws/lib/lambda-function";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { FunctionArtifact } from "../../functions/build.js";
import { policyDocument, type PolicyStatement } from "./iam-policy.js";
import { recordRoleGrants } from "./role-grants.js";

/** The only runtime patchline functions use. */
export const LAMBDA_RUNTIME = "nodejs22.x";
export const LAMBDA_ARCHITECTURE = "arm64";

export interface LambdaFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** Built by `functions/build.ts` before synth. */
  readonly artifact: FunctionArtifact;
  readonly accountId: string;
  /** What the function's role may do besides writing its own logs and traces. */
  readonly statements: readonly PolicyStatement[];
  /** Its environment variables (contracts/functions.ts declares them). @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySizeMb?: number;
  /** Caps concurrent runs (also a ceiling on what abuse can cost). @default - unreserved */
  readonly reservedConcurrency?: number;
  readonly logRetentionDays: number;
  /** Key of the function's log group. */
  readonly logKey: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * A Lambda function the way patchline runs them: nodejs22.x on arm64, code from a deterministic
 * zip (source_code_hash = its SHA-256), its own role, an encrypted JSON log group with retention,
 * X-Ray tracing.
 */
export class LambdaFunction extends Construct {
  readonly function: LambdaFunctionResource;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    const { provider, accountId } = props;
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      provider,
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKey.arn,
    });
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "LambdaForThisAccountOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      provider,
      name: props.functionName,
      assumeRolePolicy: trust.json,
      description: `patchline: role of function ${props.functionName}`,
    });
    const statements: PolicyStatement[] = [
      {
        sid: "WriteOwnLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.logGroup.arn}:*`],
      },
      {
        // X-Ray accepts segments on no particular resource
        sid: "WriteTraces",
        actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        resources: ["*"],
      },
      ...props.statements,
    ];
    const permissions = policyDocument(this, "Permissions", provider, statements);
    // the keys' policies admit the roles whose statements use them (role-grants.ts)
    recordRoleGrants(this, { roleArn: `arn:aws:iam::${accountId}:role/${props.functionName}`, statements });
    const policy = new IamRolePolicy(this, "Policy", { provider, name: "function", role: this.role.name, policy: permissions.json });

    const code = new TerraformAsset(this, "Code", { path: props.artifact.zipPath, type: AssetType.FILE, assetHash: props.artifact.sha256Hex });
    this.function = new LambdaFunctionResource(this, "Function", {
      provider,
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: props.artifact.sha256Base64,
      timeout: props.timeoutSeconds ?? 30,
      memorySize: props.memorySizeMb ?? 256,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: { POWERTOOLS_SERVICE_NAME: props.functionName, ...props.environment } },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      tracingConfig: { mode: "Active" },
      // its first invocations (and an on-failure destination, which Lambda checks against the role) need the permissions in place
      dependsOn: [this.logGroup, policy],
    });
  }
}
