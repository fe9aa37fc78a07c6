import type { PolicyStatement } from "./document.js";
import type { StackTypes } from "./stacks.js";

/**
 * Where the plan role may call kms:Decrypt: only through Step Functions, in the regions of the state
 * machines encrypted with a customer managed key. DescribeStateMachine, which the provider's Read
 * calls, decrypts such a definition with the caller's own permission; without it the refresh fails.
 * Execution input and output stay out of reach: states:DescribeExecution and GetExecutionHistory
 * are denied (denies.ts), and the key policy admits the plan role through Step Functions only.
 *
 * EventBridge Scheduler likewise: a schedule with kms_key_arn keeps its target input (the payload)
 * encrypted with that key, and GetSchedule returns it decrypted, with the caller's permission.
 * The central key's policy admits the plan role through these two services only
 * (stacks/central/notifications.ts).
 */
export function decryptViaServices(stack: StackTypes, problems: string[]): string[] {
  const encrypted: Array<[type: string, service: string, id: string, resource: Record<string, unknown>]> = [
    ...Object.entries(stack.resources.aws_sfn_state_machine ?? {})
      .filter(([, machine]) => ((machine.encryption_configuration ?? {}) as { type?: unknown }).type === "CUSTOMER_MANAGED_KMS_KEY")
      .map(([id, machine]): [string, string, string, Record<string, unknown>] => ["aws_sfn_state_machine", "states", id, machine]),
    ...Object.entries(stack.resources.aws_scheduler_schedule ?? {})
      .filter(([, schedule]) => typeof schedule.kms_key_arn === "string" && schedule.kms_key_arn !== "")
      .map(([id, schedule]): [string, string, string, Record<string, unknown>] => ["aws_scheduler_schedule", "scheduler", id, schedule]),
  ];
  const services = encrypted.flatMap(([type, service, id, resource]) => {
    const provider = typeof resource.provider === "string" ? resource.provider : "aws";
    const region = stack.providerRegions[provider];
    if (region === undefined || region.includes("${")) {
      problems.push(`${stack.stack}: ${type}.${id}: its provider ${provider} has no literal region, so kms:Decrypt through ${service} cannot be scoped to it`);
      return [];
    }
    return [`${service}.${region}.amazonaws.com`];
  });
  return [...new Set(services)].sort();
}

/** The Allow that lets DescribeStateMachine decrypt definitions; none when no state machine is encrypted with a customer managed key. */
export function decryptAllows(viaServices: readonly string[]): PolicyStatement[] {
  if (viaServices.length === 0) return [];
  return [
    {
      Sid: "DecryptDefinitionsThroughTheirServices",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": [...viaServices] } },
    },
  ];
}

/** kms:Decrypt is denied everywhere but through those services (a missing kms:ViaService, a direct call, is denied too). */
export function decryptDeny(viaServices: readonly string[]): PolicyStatement {
  return viaServices.length === 0
    ? { Sid: "DenyDecrypt", Effect: "Deny", Action: ["kms:Decrypt"], Resource: "*" }
    : {
        Sid: "DenyDecryptButThroughStepFunctionsAndScheduler",
        Effect: "Deny",
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: { StringNotEquals: { "kms:ViaService": [...viaServices] } },
      };
}
