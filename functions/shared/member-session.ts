import type { STSClient } from "@aws-sdk/client-sts";
import { surfaceTransient } from "./errors.js";
import { assumeMemberRole, type MemberCredentials } from "./member-role.js";

/**
 * Credentials and clients for calls in member accounts. Step Functions cannot call AWS APIs in
 * another region, so the workflow's member calls run in Lambda: it assumes the member account's
 * approval access role (trusted by this function's role only) and calls the instance's region.
 */
export interface MemberAccess {
  /** Name of the role in every member account (`Naming.approvalAccessRole`). */
  readonly roleName: string;
  readonly sts: STSClient;
  readonly sessionName: string;
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/** Builds one client per account and region, each with credentials of the member role, renewed before they expire. */
export function memberClients<C>(
  access: MemberAccess,
  create: (config: { region: string; credentials: () => Promise<MemberCredentials> }) => C,
): (account: string, region: string) => C {
  const sessions = new Map<string, MemberCredentials>();
  const clients = new Map<string, C>();

  const credentialsFor = (account: string) => async (): Promise<MemberCredentials> => {
    const cached = sessions.get(account);
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS) return cached;
    const roleArn = `arn:aws:iam::${account}:role/${access.roleName}`;
    let credentials: MemberCredentials;
    try {
      credentials = await assumeMemberRole(access.sts, roleArn, access.sessionName);
    } catch (error) {
      surfaceTransient(error, `sts AssumeRole ${roleArn}`);
    }
    sessions.set(account, credentials);
    return credentials;
  };

  return (account, region) => {
    if (!/^\d{12}$/.test(account)) throw new Error(`not an AWS account id: ${JSON.stringify(account)}`);
    const cacheKey = `${account}/${region}`;
    let client = clients.get(cacheKey);
    if (!client) {
      client = create({ region, credentials: credentialsFor(account) });
      clients.set(cacheKey, client);
    }
    return client;
  };
}
