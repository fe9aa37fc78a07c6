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

/** The role session's credentials, as the SDK clients take them. */
interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** A session this close to its end is renewed when the SDK asks (it asks within 5 minutes of the end). */
const RENEW_BEFORE_MS = 10 * 60_000;

/**
 * The SDK with the caller's credentials (the default chain): STS in the member's region, sessions
 * of an hour (role chaining, e.g. from an SSO role, allows no more). Following a restore can take
 * longer, so the clients renew the session before it ends instead of failing with ExpiredToken.
 * The first session is taken at once: a role the caller may not assume fails here, before anything starts.
 */
export const assumeRestoreRole: AssumeRestoreRole = async (roleArn, region, sessionName) => {
  const sts = new STSClient({ region });
  const assume = async (): Promise<SessionCredentials> => {
    const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 3600 }));
    const c = result.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`sts AssumeRole ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  let session = await assume();
  // the SDK asks again only when the session is within minutes of its end; one renewal serves both clients
  let renewal: Promise<SessionCredentials> | undefined;
  const credentials = async (): Promise<SessionCredentials> => {
    if (!session.expiration || session.expiration.getTime() - Date.now() >= RENEW_BEFORE_MS) return session;
    renewal ??= assume().finally(() => (renewal = undefined));
    session = await renewal;
    return session;
  };
  return { ec2: new EC2Client({ region, credentials }), ssm: new SSMClient({ region, credentials }) };
};
