import type { Org } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { emergencyFunctionNames } from "../../contracts/functions.js";
import { stateMachineRoleName } from "../core/state-machine.js";

/**
 * What changes a function's code, what runs with it, or who may call it: denied on patchline's
 * functions to everybody but the deploy role. Layers and the runtime are configuration, aliases and
 * versions choose what code runs, the concurrency and destinations decide whether it runs.
 */
export const FUNCTION_CHANGE_ACTIONS = [
  "lambda:AddPermission",
  "lambda:CreateAlias",
  "lambda:CreateFunctionUrlConfig",
  "lambda:DeleteAlias",
  "lambda:DeleteFunction",
  "lambda:DeleteFunctionCodeSigningConfig",
  "lambda:DeleteFunctionConcurrency",
  "lambda:DeleteFunctionEventInvokeConfig",
  "lambda:DeleteProvisionedConcurrencyConfig",
  "lambda:PublishVersion",
  "lambda:PutFunctionCodeSigningConfig",
  "lambda:PutFunctionConcurrency",
  "lambda:PutFunctionEventInvokeConfig",
  "lambda:PutProvisionedConcurrencyConfig",
  "lambda:PutRuntimeManagementConfig",
  "lambda:RemovePermission",
  "lambda:UpdateAlias",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "lambda:UpdateFunctionEventInvokeConfig",
  "lambda:UpdateFunctionUrlConfig",
] as const;

/**
 * What changes who a patchline role is or what it may do. Whoever changes the trust or the
 * policies of the patch function's role (which member accounts trust) or of the approval state
 * machine's role (the one principal the invoke deny exempts) acts as it. Tags are included because
 * they are a role session's `aws:PrincipalTag`, an input to any attribute-based condition.
 * `iam:CreateRole` is not: nothing trusts the roles by a name pattern, so a new `<prefix>-*` role is
 * nobody's but its creator's.
 */
export const ROLE_CHANGE_ACTIONS = [
  "iam:AttachRolePolicy",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
] as const;

/**
 * What changes what a state machine runs with its role: a new definition of the approval state
 * machine could invoke the patch function without asking anybody, as the exempt role.
 */
export const STATE_MACHINE_CHANGE_ACTIONS = [
  "states:CreateStateMachineAlias",
  "states:DeleteStateMachine",
  "states:DeleteStateMachineAlias",
  "states:DeleteStateMachineVersion",
  "states:PublishStateMachineVersion",
  "states:UpdateStateMachine",
  "states:UpdateStateMachineAlias",
] as const;

export interface ServiceControlPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: "Deny";
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
    readonly Condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  }>;
}

/**
 * A service control policy for the central account (attach it in the management account, to the
 * central account or its OU). Lambda resource policies can only allow, so the guard on the
 * functions' code is an SCP: it binds every principal of the account, administrators included.
 * Code signing is not used: it would need an AWS Signer profile and a signing step between the
 * build and Terraform's upload of the zip the synth built, and it checks only the code, not the
 * configuration (layers, environment, role) that changes what runs just as well.
 *
 * The second statement closes the way around the approval workflow: only the approval state
 * machine's role may invoke the patch function, which patches any instance of the organization it
 * is given. The third keeps anybody from running their own code as a patchline role (passing it to
 * a function or state machine they create) or rewriting the roles; the deploy role is protected
 * with them even when its name is outside the prefix, because whoever becomes it is exempt from
 * everything here. The fourth keeps the state machines' definitions as deployed. The fifth closes
 * the way around an emergency run as the second does for approvals: only the emergency state
 * machine's role, which checks the plan first, invokes the commands function, which sends patch
 * commands to every account it is given.
 */
export function functionGuardPolicy(org: Pick<Org, "central">, naming: Naming): ServiceControlPolicy {
  const account = org.central.accountId;
  const patchFunction = `arn:aws:lambda:*:${account}:function:${naming.approvalFunction("patch")}`;
  const commandsFunction = `arn:aws:lambda:*:${account}:function:${naming.centralFunction(emergencyFunctionNames.commands)}`;
  const deployRole = naming.deployRoleArn(account);
  const prefixRoles = `arn:aws:iam::${account}:role/${naming.prefix}-*`;
  const onlyTheDeployRole = { ArnNotLike: { "aws:PrincipalArn": [deployRole] } };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OnlyTheDeployRoleChangesPatchlineFunctions",
        Effect: "Deny",
        Action: [...FUNCTION_CHANGE_ACTIONS],
        // `*` also matches the functions' versions and aliases (`function:<name>:<qualifier>`)
        Resource: [`arn:aws:lambda:*:${account}:function:${naming.prefix}-*`],
        Condition: onlyTheDeployRole,
      },
      {
        Sid: "OnlyTheApprovalWorkflowInvokesThePatchFunction",
        Effect: "Deny",
        // InvokeAsync is deprecated but still authorized on its own
        Action: ["lambda:InvokeAsync", "lambda:InvokeFunction"],
        Resource: [patchFunction, `${patchFunction}:*`],
        Condition: { ArnNotLike: { "aws:PrincipalArn": [naming.centralRoleArn(stateMachineRoleName(naming.approvalStateMachine))] } },
      },
      {
        Sid: "OnlyTheDeployRolePassesOrChangesPatchlineRoles",
        Effect: "Deny",
        Action: ["iam:PassRole", ...ROLE_CHANGE_ACTIONS],
        Resource: deployRole.startsWith(prefixRoles.slice(0, -1)) ? [prefixRoles] : [prefixRoles, deployRole],
        Condition: onlyTheDeployRole,
      },
      {
        Sid: "OnlyTheDeployRoleChangesPatchlineStateMachines",
        Effect: "Deny",
        Action: [...STATE_MACHINE_CHANGE_ACTIONS],
        // `*` also matches the machines' versions and aliases (`stateMachine:<name>:<qualifier>`)
        Resource: [`arn:aws:states:*:${account}:stateMachine:${naming.prefix}-*`],
        Condition: onlyTheDeployRole,
      },
      {
        Sid: "OnlyTheEmergencyRunInvokesItsCommandsFunction",
        Effect: "Deny",
        Action: ["lambda:InvokeAsync", "lambda:InvokeFunction"],
        Resource: [commandsFunction, `${commandsFunction}:*`],
        Condition: { ArnNotLike: { "aws:PrincipalArn": [naming.centralRoleArn(stateMachineRoleName(naming.emergencyStateMachine))] } },
      },
    ],
  };
}
