import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, LocalBackend, type TerraformStack } from "cdktf";
import type { Org } from "../environments/schema/index.js";
import type { Naming } from "./naming.js";

export interface DeploymentMode {
  /**
   * Offline: providers get no assume-role, dummy credentials and the skip flags, and state is
   * local, so `terraform plan` runs without AWS access (tests, reviews of rendered output).
   */
  readonly offline: boolean;
  /**
   * Which role the providers assume: `deploy` (org.deployRoleName) or, for pull-request plans,
   * `plan` (org.planRoleName, read-only). Ignored offline. @default "deploy"
   */
  readonly role?: "deploy" | "plan";
}

export interface RegionProvidersProps {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly naming: Naming;
  readonly tags: Readonly<Record<string, string>>;
  readonly mode: DeploymentMode;
}

/** One aws provider per region, keyed by region; each assumes the deploy (or plan) role of the account. */
export function createRegionProviders(stack: TerraformStack, props: RegionProvidersProps): ReadonlyMap<string, AwsProvider> {
  const providers = new Map<string, AwsProvider>();
  for (const region of props.regions) {
    const access = props.mode.offline
      ? {
          accessKey: "offline",
          secretKey: "offline",
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: "true",
          skipRegionValidation: true,
        }
      : {
          assumeRole: [
            {
              roleArn: props.mode.role === "plan" ? props.naming.planRoleArn(props.accountId) : props.naming.deployRoleArn(props.accountId),
              sessionName: "patchline",
            },
          ],
          allowedAccountIds: [props.accountId],
        };
    providers.set(
      region,
      new AwsProvider(stack, `aws-${region}`, {
        alias: region,
        region,
        defaultTags: [{ tags: { ...props.tags } }],
        ...access,
      }),
    );
  }
  return providers;
}

/** Remote state per stack (S3 with S3-native locking), or local state in offline mode. */
export function configureBackend(stack: TerraformStack, stackName: string, backend: Org["stateBackend"], mode: DeploymentMode): void {
  if (mode.offline) {
    new LocalBackend(stack, { path: "terraform.tfstate" });
    return;
  }
  new S3Backend(stack, { bucket: backend.bucket, key: `${backend.keyPrefix}/${stackName}.tfstate`, region: backend.region, encrypt: true });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
