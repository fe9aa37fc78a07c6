import { SSMClient } from "@aws-sdk/client-ssm";
import type { STSClient } from "@aws-sdk/client-sts";
import type { EmergencyErrors } from "../../../contracts/emergency-patch.js";
import { asError, isTransientAwsError, TransientAwsError } from "../../shared/errors.js";
import { assumeMemberRole, type MemberCredentials } from "../../shared/member-role.js";

/** The target's member role could not be assumed (no such role yet, trust changed, account closed): the run records the target as unreachable. */
export class TargetUnreachable extends Error {
  override readonly name: (typeof EmergencyErrors)["targetUnreachable"] = "TargetUnreachable";
}

/** An SSM client in a member account and region, with the emergency patch role's credentials; assumed first, so that "unreachable" is told apart from a refused call. */
export type MemberSsm = (account: string, region: string) => Promise<SSMClient>;

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Assumes `<account>:role/<roleName>` (trusted by this function's role only) once per account
 * while its session lasts, and builds a client of the region with it. A refusal of STS is
 * TargetUnreachable; throttling is TransientAwsError, which the state machine retries.
 */
export function memberSsm(access: { readonly roleName: string; readonly sts: STSClient; readonly sessionName: string }): MemberSsm {
  const sessions = new Map<string, MemberCredentials>();
  return async (account, region) => {
    if (!/^\d{12}$/.test(account)) throw new Error(`not an AWS account id: ${JSON.stringify(account)}`);
    let credentials = sessions.get(account);
    if (!credentials?.expiration || credentials.expiration.getTime() - Date.now() <= REFRESH_BEFORE_EXPIRY_MS) {
      const roleArn = `arn:aws:iam::${account}:role/${access.roleName}`;
      try {
        credentials = await assumeMemberRole(access.sts, roleArn, access.sessionName);
      } catch (thrown) {
        const error = asError(thrown);
        if (isTransientAwsError(thrown)) throw new TransientAwsError(`sts AssumeRole ${roleArn}: ${error.message}`);
        throw new TargetUnreachable(`cannot assume ${roleArn} (${error.name}: ${error.message}); is the member stack of this account deployed?`);
      }
      sessions.set(account, credentials);
    }
    return new SSMClient({ region, credentials });
  };
}
