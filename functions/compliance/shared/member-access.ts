import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { asError } from "../../shared/errors.js";
import type { MemberCredentials } from "../../shared/member-role.js";
import type { ComplianceErrorName } from "../../../contracts/compliance-run.js";

/** The read clients of one member account and region, signed with the assumed role. */
export interface MemberReadClients {
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly config: ConfigServiceClient;
}

/** Makes the clients a function calls in one member account and region. */
export type MemberReadClientFactory<K extends keyof MemberReadClients = keyof MemberReadClients> = (
  credentials: MemberCredentials,
  region: string,
) => Pick<MemberReadClients, K>;

/**
 * Standard retry mode retries throttling with backoff; five attempts ride out short bursts, and a
 * target that stays throttled fails over to the state machine's own retry (TargetThrottled).
 */
const clientConfig = (credentials: MemberCredentials, region: string) => ({ region, credentials, maxAttempts: 5 });

// One factory per set of clients a function calls: esbuild drops the factories (and SDK clients) a
// handler does not import, so each bundle holds only its own clients.

/** The collector: patch compliance (SSM), tags (EC2), coverage rule results (AWS Config). */
export const complianceReadClients: MemberReadClientFactory = (credentials, region) => ({
  ssm: new SSMClient(clientConfig(credentials, region)),
  ec2: new EC2Client(clientConfig(credentials, region)),
  config: new ConfigServiceClient(clientConfig(credentials, region)),
});

/** Failure notifications: window and command names (SSM), instance tags (EC2). */
export const failureLookupClients: MemberReadClientFactory<"ssm" | "ec2"> = (credentials, region) => ({
  ssm: new SSMClient(clientConfig(credentials, region)),
  ec2: new EC2Client(clientConfig(credentials, region)),
});

/** Impending-patch notices: the instances a window targets (EC2). */
export const windowInstanceClients: MemberReadClientFactory<"ec2"> = (credentials, region) => ({ ec2: new EC2Client(clientConfig(credentials, region)) });

/** The target stayed throttled through the SDK's retries; the state machine retries it, then records it unreachable. */
export class TargetThrottled extends Error {
  override readonly name: ComplianceErrorName = "TargetThrottled";
}

const accessErrors = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError"]);
// a region the account has not opted into, or credentials the region does not accept
const regionErrors = new Set(["UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "RegionDisabledException", "OptInRequired"]);

/** An error the AWS SDK raised for a service's answer (it carries the response metadata), not one of our own. */
export function isServiceError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "$metadata" in error;
}

/**
 * Why a target cannot be read, in words for the digest, or undefined when the error is not about
 * reaching the target (a defect or an outage, which should fail loudly).
 */
export function unreachableReason(error: unknown, what: string): string | undefined {
  const e = asError(error);
  if (accessErrors.has(e.name)) return `${what}: access denied (${e.name})`;
  if (regionErrors.has(e.name)) return `${what}: the region is not enabled for this account or rejects its credentials (${e.name})`;
  return undefined;
}
