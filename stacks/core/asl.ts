import aslValidator from "asl-validator";

/**
 * Amazon States Language, JSONPath flavour, as far as patchline's builders use it. Definitions are
 * plain data built by pure functions; these types keep the builders honest about field names.
 */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  /** Where the error output goes; keep the state's input with e.g. `$.error`. */
  readonly ResultPath?: string | null;
}

interface Transition {
  readonly Next?: string;
  readonly End?: true;
}

interface Paths {
  readonly Comment?: string;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
}

export interface TaskState extends Transition, Paths {
  readonly Type: "Task";
  /** e.g. `arn:aws:states:::aws-sdk:ssm:sendCommand`, `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
  readonly Resource: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string | null;
  /** Cross-account SDK calls: the role Step Functions assumes for this task. */
  readonly Credentials?: { readonly RoleArn: string } | { readonly "RoleArn.$": string };
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface ChoiceRule {
  readonly Variable?: string;
  readonly Next?: string;
  readonly And?: readonly ChoiceRule[];
  readonly Or?: readonly ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly [comparison: string]: unknown;
}

export interface ChoiceState extends Paths {
  readonly Type: "Choice";
  readonly Choices: readonly ChoiceRule[];
  readonly Default?: string;
}

export interface WaitState extends Transition, Paths {
  readonly Type: "Wait";
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

export interface PassState extends Transition, Paths {
  readonly Type: "Pass";
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Result?: unknown;
  readonly ResultPath?: string | null;
}

export interface MapState extends Transition, Paths {
  readonly Type: "Map";
  readonly ItemsPath?: string;
  /** A Distributed Map's items from S3, e.g. `arn:aws:states:::s3:getObject` with `ReaderConfig.InputType` JSON. */
  readonly ItemReader?: {
    readonly Resource: string;
    readonly ReaderConfig?: Readonly<Record<string, unknown>>;
    readonly Parameters: Readonly<Record<string, unknown>>;
  };
  /** Where a Distributed Map writes its children's results (`arn:aws:states:::s3:putObject`). */
  readonly ResultWriter?: { readonly Resource: string; readonly Parameters: Readonly<Record<string, unknown>> };
  readonly ItemSelector?: Readonly<Record<string, unknown>>;
  readonly ItemProcessor: {
    readonly ProcessorConfig?: { readonly Mode: "INLINE" | "DISTRIBUTED"; readonly ExecutionType?: "STANDARD" | "EXPRESS" };
  } & SubDefinition;
  readonly MaxConcurrency?: number;
  readonly ToleratedFailurePercentage?: number;
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string | null;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface ParallelState extends Transition, Paths {
  readonly Type: "Parallel";
  readonly Branches: readonly SubDefinition[];
  readonly ResultPath?: string | null;
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface SucceedState extends Paths {
  readonly Type: "Succeed";
}

export interface FailState {
  readonly Type: "Fail";
  readonly Comment?: string;
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export type State = TaskState | ChoiceState | WaitState | PassState | MapState | ParallelState | SucceedState | FailState;

export interface SubDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}

export interface StateMachineDefinition extends SubDefinition {
  readonly Comment?: string;
  /** A hard deadline for the whole execution. */
  readonly TimeoutSeconds?: number;
}

export class InvalidStateMachineDefinition extends Error {
  override readonly name = "InvalidStateMachineDefinition";
}

/** Throws with every problem asl-validator finds; builders call it so a bad definition never synthesizes. */
export function assertValidDefinition(name: string, definition: StateMachineDefinition): void {
  // the validator writes defaults (QueryLanguage) into what it is given: hand it a copy
  const { isValid, errorsText } = aslValidator(structuredClone(definition));
  if (!isValid) throw new InvalidStateMachineDefinition(`state machine ${name}: ${errorsText("\n")}`);
}

/** `arn:aws:states:::aws-sdk:<service>:<action>`: an AWS SDK integration task resource. */
export const sdkTask = (service: string, action: string): string => `arn:aws:states:::aws-sdk:${service}:${action}`;
