import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";

/** Temporary credentials of an assumed member role, in the shape SDK clients accept. */
export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/**
 * Assumes a role in a member account for 15 minutes, the shortest session STS grants. The session
 * name says who and why in the member account's CloudTrail. Both workflows reach member accounts
 * this way; each has its own role there (`Naming.approvalAccessRole`, `Naming.complianceReaderRole`).
 */
export async function assumeMemberRole(sts: STSClient, roleArn: string, sessionName: string): Promise<MemberCredentials> {
  const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 900 }));
  const c = result.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`sts AssumeRole ${roleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
