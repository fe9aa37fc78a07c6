import { accountStackLayout } from "../../contracts/stack-layout.js";
import { operatingSystems, type Org, type OrgConfig } from "../../environments/schema/index.js";
import { approvalAccessStatements } from "../approval/access-role.js";
import { approvalPatchDocuments } from "../approval/settings.js";
import { coverageGuardPolicies } from "../member/coverage-policies.js";
import { complianceReaderStatements } from "../member/compliance.js";
import { hookDocumentJson } from "../member/hook-documents.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import { emergencyPatchScope, emergencyPatchStatements } from "../member/emergency-patch-role.js";
import { instanceOutputStatements } from "../member/instance-output-policy.js";
import { maintenanceWindowRoleStatements } from "../member/maintenance-window-role.js";
import { explicitPatches } from "../member/patch-baselines.js";
import { referencedHookDocuments, windowPatchGroups } from "../member/regional-patching.js";
import type { Naming } from "../naming.js";
import { restoreAutomationStatements } from "../member/runbooks/restore-roles.js";
import { patchAutomationStatements } from "../member/runbooks/roles.js";
import { safetyNets, usesRunbooks } from "../../environments/schema/safety-nets.js";
import { awsLimits, count } from "./aws.js";
import { firstThatDoesNotFit, type LimitProblem } from "./growth.js";
import { iamPolicyCharacters } from "./policy-json.js";

export interface RegionPolicy {
  /** The policy document's construct path (logical id prefix) in the member stack. */
  readonly id: string;
  readonly what: string;
  readonly limit: number;
  readonly kind: "role" | "managed";
  /** Statements for an account of `environment` in `regions`; undefined when the account has no such policy. */
  readonly statements: (environment: OrgConfig["environments"][number], accountId: string, regions: readonly string[]) => PolicyStatement[] | undefined;
}

/**
 * The IAM policies of a member account's stack that name each of its regions. The windows' role
 * covers the regions of the account's own stack; a region in a stack of its own has its own role
 * (contracts/stack-layout.ts).
 */
export function regionPolicies(naming: Naming, org: Pick<Org, "maxRegionsPerStack" | "freezes" | "patchGroupTagKey">): RegionPolicy[] {
  const role = awsLimits.iamRolePolicyCharacters;
  const stackRegions = (regions: readonly string[]) => accountStackLayout(regions, org.maxRegionsPerStack).accountStackRegions;
  const nets = (env: OrgConfig["environments"][number]) => safetyNets(org, env);
  return [
    {
      id: "Account_MaintenanceWindowRole_Permissions",
      what: "maintenance window role's policy",
      limit: role,
      kind: "role",
      statements: (env, id, regions) =>
        maintenanceWindowRoleStatements(
          id,
          stackRegions(regions),
          naming,
          naming.maintenanceWindowRole,
          usesRunbooks(nets(env)) ? { automationRoleName: naming.patchAutomationRole() } : undefined,
        ),
    },
    {
      id: "Account_PatchAutomation_Permissions",
      what: "install runbooks' role's policy",
      limit: role,
      kind: "role",
      statements: (env, id, regions) =>
        usesRunbooks(nets(env))
          ? patchAutomationStatements(
              {
                accountId: id,
                regions: stackRegions(regions),
                nets: nets(env),
                windowRoleName: naming.maintenanceWindowRole,
                backupRoleName: naming.backupServiceRole(),
              },
              naming,
            )
          : undefined,
    },
    {
      id: "Account_Restore_Automation_Permissions",
      what: "restore runbook's role's policy",
      limit: role,
      kind: "role",
      statements: (env, id, regions) => (nets(env).backups ? restoreAutomationStatements(id, regions) : undefined),
    },
    {
      id: "Account_ComplianceReaderRole_Access_Permissions",
      what: "compliance reader role's policy",
      limit: role,
      kind: "role",
      statements: (_, id, regions) => complianceReaderStatements(id, regions),
    },
    {
      id: "Account_ApprovalAccessRole_Permissions",
      what: "approval access role's policy",
      limit: role,
      kind: "role",
      statements: (env, id, regions) =>
        env.approval?.enabled
          ? approvalAccessStatements(
              id,
              regions,
              naming,
              approvalPatchDocuments(env, env.approval, naming),
              nets(env).freezes.length > 0 ? naming.changeCalendar : undefined,
            )
          : undefined,
    },
    {
      id: "Account_EmergencyPatchRole_Permissions",
      what: "emergency patch role's policy",
      limit: role,
      kind: "role",
      statements: (env, id, regions) => {
        const scope = emergencyPatchScope(env, naming);
        return scope ? emergencyPatchStatements(id, regions, naming, scope, org.patchGroupTagKey) : undefined;
      },
    },
    {
      id: "Account_InstanceOutputPolicy_Document",
      what: "instance output policy (managed)",
      limit: awsLimits.iamManagedPolicyCharacters,
      kind: "managed",
      statements: (env, id, regions) => instanceOutputStatements(env.name, id, regions, naming),
    },
  ];
}

/**
 * Member accounts' IAM policies grow with their regions. An account id is always 12 digits, so one
 * measurement per environment's region list and per account that lists its own regions is exact.
 */
export function checkMemberPolicies(config: OrgConfig, naming: Naming): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const env of config.environments) {
    const shapes: { path: (string | number)[]; accountId: string; regions: readonly string[]; whose: string }[] = [];
    const inherits = env.accounts.find((a) => a.regions === undefined);
    if (inherits) shapes.push({ path: [env.name, "regions"], accountId: inherits.id, regions: env.regions, whose: `each ${env.name} account` });
    env.accounts.forEach((a, i) => {
      if (a.regions) shapes.push({ path: [env.name, "accounts", i, "regions"], accountId: a.id, regions: a.regions, whose: `account ${a.name}` });
    });
    for (const shape of shapes) {
      for (const policy of regionPolicies(naming, config.org)) {
        const characters = (n: number) => {
          const statements = policy.statements(env, shape.accountId, shape.regions.slice(0, n));
          return statements ? iamPolicyCharacters(statements) : 0;
        };
        const measured = characters(shape.regions.length);
        if (measured <= policy.limit) continue;
        const fitting = firstThatDoesNotFit(shape.regions.length, (n) => characters(n) <= policy.limit) - 1;
        problems.push({
          path: shape.path,
          message:
            `with these ${count(shape.regions.length)} regions the ${policy.what} of ${shape.whose} names every region and would be ${count(measured)} characters, ` +
            `above IAM's ${count(policy.limit)} per ${policy.kind === "role" ? "role" : "managed policy"} (white space not counted); the first ${count(fitting)} fit: patch the account${shape.whose.startsWith("each") ? "s" : ""} in fewer regions`,
        });
      }
    }
  }
  return problems;
}

/** A window's targets select its patch groups by their patch group tag: one value per group. */
export function checkWindowTargets(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.ssmTargetValues;
  return config.environments.flatMap((env) =>
    env.maintenanceWindows.flatMap((window, w) => {
      const groups = windowPatchGroups(env, window.name);
      if (groups.length <= limit || (!window.scan && !window.install)) return [];
      return [
        {
          path: [env.name, "maintenanceWindows", w],
          message: `${JSON.stringify(window.name)} scans and patches ${count(groups.length)} patch groups; its targets select them by their ${config.org.patchGroupTagKey} tag and Systems Manager allows ${limit} tag values per target: spread the groups over more windows`,
        },
      ];
    }),
  );
}

/** A baseline lists the template's explicitly approved (rejected) patches and the environment's. */
export function checkBaselinePatchLists(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.ssmBaselineExplicitPatches;
  const problems: LimitProblem[] = [];
  for (const env of config.environments) {
    const systems = new Set(env.patchGroups.flatMap((g) => g.operatingSystems));
    for (const os of operatingSystems.filter((o) => systems.has(o))) {
      const template = config.org.baselines[os];
      if (!template) continue;
      for (const list of ["approvedPatches", "rejectedPatches"] as const) {
        const patches = new Set(explicitPatches(template[list], env[list][os]));
        if (patches.size <= limit) continue;
        problems.push({
          path: [env.name, list, os],
          message: `with org.baselines.${os}.${list} the ${env.name} ${os} baseline would list ${count(patches.size)} ${list === "approvedPatches" ? "approved" : "rejected"} patches, and a patch baseline holds at most ${limit}: list at most ${limit} in org.baselines.${os}.${list} and ${env.name}.${list}.${os} together`,
        });
      }
    }
  }
  return problems;
}

/** A hook document is created in every account and region whose windows use it. */
export function checkHookDocuments(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.ssmDocumentBytes;
  const used = new Set(config.environments.flatMap((env) => referencedHookDocuments(config.org, env).map((d) => d.name)));
  return config.org.hookDocuments.flatMap((doc, i) => {
    const bytes = Buffer.byteLength(hookDocumentJson(doc), "utf8");
    if (!used.has(doc.name) || bytes <= limit) return [];
    return [
      {
        path: ["org", "hookDocuments", i],
        message: `${JSON.stringify(doc.name)} would be a ${count(bytes)}-byte document, above Systems Manager's ${count(limit)}-byte (64 KB) limit per document: move the commands into a script on the instances (or in S3) that the hook runs`,
      },
    ];
  });
}

/** The coverage rules' Guard policies list the environment's patch groups and windows. */
export function checkCoverageRules(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.configPolicyTextCharacters;
  return config.environments.flatMap((env) => {
    if (!env.compliance.tagCompliance) return [];
    const policies = coverageGuardPolicies({
      patchGroups: env.patchGroups.map((g) => g.name),
      patchGroupTagKey: config.org.patchGroupTagKey,
      windows: env.maintenanceWindows.map((w) => w.name),
    });
    const checked = [
      { text: policies["patch-group-tag"], path: [env.name, "patchGroups"], what: "patch group names" },
      { text: policies["maintenance-window-tag"], path: [env.name, "maintenanceWindows"], what: "maintenance window names" },
    ];
    return checked
      .filter((c) => c.text.length > limit)
      .map((c) => ({
        path: c.path,
        message: `the AWS Config rule that checks instance tags (compliance.tagCompliance) lists the ${env.name} ${c.what} in its Guard policy, which would be ${count(c.text.length)} characters, above AWS Config's ${count(limit)} per custom policy rule: use fewer or shorter names`,
      }));
  });
}
