import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/** The clients of one member account and region, signed with the restore operator role. */
export interface RestoreClients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
}

/** Assumes a role in the member account and returns its clients in the region: injected, so tests use mocked clients. */
export type AssumeRestoreRole = (roleArn: string, region: string, sessionName: string) => Promise<RestoreClients>;

/** The SDK with the caller's credentials (the default chain): STS in the member's region, the role's session for an hour. */
export const assumeRestoreRole: AssumeRestoreRole = async (roleArn, region, sessionName) => {
  const sts = new STSClient({ region });
  const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 3600 }));
  const c = result.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`sts AssumeRole ${roleArn} returned no credentials`);
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  return { ec2: new EC2Client({ region, credentials }), ssm: new SSMClient({ region, credentials }) };
};
