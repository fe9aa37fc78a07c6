import type { OrgConfig } from "../../environments/schema/index.js";
import { Naming } from "../naming.js";
import { checkApproverFilterPolicies, checkChannelRoles, checkLogBucketPolicy } from "./central.js";
import { checkCallbackEnvironment } from "./callback-environment.js";
import { checkRequestEnvironment } from "./request-environment.js";
import { problemLine } from "./growth.js";
import { checkChangeCalendars } from "./safety-nets.js";
import { checkBaselinePatchLists, checkCoverageRules, checkHookDocuments, checkMemberPolicies, checkWindowTargets } from "./member.js";

/**
 * Every AWS hard limit the synthesized output of a valid organization can run into, checked
 * against the rendered documents themselves (policies, definitions, documents built by the same
 * functions the constructs use), before anything is synthesized. Problem lines have the form of
 * `parseOrgConfig`'s: `<config path>: <what is wrong, the measured value, the AWS limit, what to do>`.
 * Empty for an organization that fits.
 */
export function checkLimits(config: OrgConfig): string[] {
  const naming = new Naming(config.org);
  const problems = [
    // central account
    ...checkLogBucketPolicy(config, naming),
    ...checkApproverFilterPolicies(config),
    ...checkChannelRoles(config, naming),
    ...checkCallbackEnvironment(config, naming),
    ...checkRequestEnvironment(config, naming),
    // member accounts
    ...checkMemberPolicies(config, naming),
    ...checkWindowTargets(config),
    ...checkBaselinePatchLists(config),
    ...checkHookDocuments(config),
    ...checkCoverageRules(config),
    ...checkChangeCalendars(config),
  ];
  return [...new Set(problems.map(problemLine))];
}
