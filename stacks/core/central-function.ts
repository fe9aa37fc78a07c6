import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { FunctionName } from "../../contracts/functions.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import type { Naming } from "../naming.js";
import type { PolicyStatement } from "./iam-policy.js";
import { LambdaFunction } from "./lambda-function.js";

/** What every function in the central account shares: where it runs, its code, its logs' key and retention. */
export interface CentralFunctionContext {
  readonly naming: Naming;
  readonly artifacts: FunctionArtifacts;
  readonly accountId: string;
  readonly logRetentionDays: number;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

export interface CentralFunctionProps {
  /** The function's name in contracts/functions.ts; deployed as `<namePrefix>-<name>`. */
  readonly name: FunctionName;
  readonly description: string;
  readonly statements: readonly PolicyStatement[];
  /** @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySizeMb?: number;
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
}

/** patchline's one way to add a central function: its built code, its name from `Naming`, its role and log group. */
export function centralFunction(scope: Construct, id: string, context: CentralFunctionContext, props: CentralFunctionProps): LambdaFunction {
  const artifact = context.artifacts[props.name];
  if (!artifact) throw new Error(`no build of function ${props.name}: the cdktf app builds the functions first (npm run build:functions builds them alone)`);
  return new LambdaFunction(scope, id, {
    functionName: context.naming.centralFunction(props.name),
    description: `patchline: ${props.description}`,
    artifact,
    accountId: context.accountId,
    statements: [...props.statements],
    environment: props.environment,
    timeoutSeconds: props.timeoutSeconds,
    memorySizeMb: props.memorySizeMb,
    reservedConcurrency: props.reservedConcurrency,
    logRetentionDays: context.logRetentionDays,
    logKey: context.key,
    provider: context.provider,
  });
}
