import type { OrgConfig } from "../../environments/schema/index.js";
import { approverSubscriptions } from "../approval/data.js";
import { logBucketStatements } from "../central/log-bucket.js";
import { channelDestinations } from "../compliance/channels.js";
import { channelStatements } from "../compliance/statements.js";
import { secureBucketPolicyStatements } from "../core/secure-bucket.js";
import type { Naming } from "../naming.js";
import { awsLimits, count, ordinal } from "./aws.js";
import { firstThatDoesNotFit, type LimitProblem } from "./growth.js";
import { iamPolicyCharacters, policyBytes } from "./policy-json.js";

/** The central log bucket's policy has one run-command prefix per environment. */
export function checkLogBucketPolicy(config: OrgConfig, naming: Naming): LimitProblem[] {
  const limit = awsLimits.s3BucketPolicyBytes;
  const names = config.environments.map((e) => e.name);
  const bytes = (n: number) => policyBytes(secureBucketPolicyStatements(naming.logBucket, logBucketStatements(config.org.organizationId, names.slice(0, n))));
  const measured = bytes(names.length);
  if (measured <= limit) return [];
  const first = firstThatDoesNotFit(names.length, (n) => bytes(n) <= limit);
  return [
    {
      path: [names[first - 1]!],
      message: `is the ${ordinal(first)} of ${count(names.length)} environments: the central log bucket policy has a run-command prefix per environment and would be ${count(measured)} bytes, above S3's ${count(limit)}-byte (20 KB) limit per bucket policy; ${count(first - 1)} environments fit: merge environments`,
    },
  ];
}

/** An approver's subscription filters on the environments they approve for: at most 150 values. */
export function checkApproverFilterPolicies(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.snsFilterPolicyCombinations;
  const approving = config.environments.filter((e) => e.approval?.enabled);
  const subscriptions = approverSubscriptions(approving.map((e) => ({ environment: e.name, emails: e.approval!.approverEmails })));
  return subscriptions
    .filter((s) => s.environments.length > limit)
    .map((s) => {
      const env = approving.filter((e) => e.approval!.approverEmails.includes(s.email))[limit]!;
      return {
        path: [env.name, "approval", "approverEmails", env.approval!.approverEmails.indexOf(s.email)],
        message: `${JSON.stringify(s.email)} approves in ${count(s.environments.length)} environments; its subscription to the approvals topic filters on them and SNS allows ${limit} values per filter policy: give the ${ordinal(limit + 1)} and later environments another approver address`,
      };
    });
}

/**
 * The part of the three central function roles that send through every channel (patch notices,
 * failure notifications, digest) that does not grow with the channels: their largest policy without its
 * channel statements, white space not counted, for the example organization. The notices, failures
 * and digest constructs build their statements inline, so this part is a measured number, not a
 * rendering: it varies by some tens of characters with the name prefix, organization id, region and
 * sender address, hence "about" in the problem line. stacks/limits/artifacts.test.ts synthesizes the
 * central stack and compares, so a change to those roles fails that test instead of going unmeasured.
 * The emergency run's messages function sends through some channels only (failure and notice
 * channels) and stays within this part too (the same test).
 */
export const CHANNEL_ROLE_FIXED_CHARACTERS = 1_466;

/** Every channel adds its secret or topic ARN to the policy of each function that sends through channels. */
export function checkChannelRoles(config: OrgConfig, naming: Naming): LimitProblem[] {
  const limit = awsLimits.iamRolePolicyCharacters;
  const names = Object.keys(config.org.channels);
  const characters = (n: number) => {
    const channels = Object.fromEntries(Object.entries(config.org.channels).slice(0, n));
    return CHANNEL_ROLE_FIXED_CHARACTERS + iamPolicyCharacters(channelStatements(channelDestinations(channels, naming)));
  };
  const measured = characters(names.length);
  if (measured <= limit) return [];
  const first = firstThatDoesNotFit(names.length, (n) => characters(n) <= limit);
  return [
    {
      path: ["org", "channels", names[first - 1]!],
      message:
        `is the ${ordinal(first)} of ${count(names.length)} channels: the roles of the functions that send through channels (patch notices, failure notifications, digest) list every channel's secret or topic, ` +
        `and the largest role policy would be about ${count(measured)} characters, above IAM's ${count(limit)} per role (white space not counted); ${count(first - 1)} channels fit: remove channels nothing uses, or shorten channel names`,
    },
  ];
}
