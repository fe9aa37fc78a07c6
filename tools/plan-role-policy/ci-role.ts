import type { PolicyDocument } from "./document.js";

export interface CiRoleInput {
  readonly planRoleName: string;
  readonly stateBackend: { readonly bucket: string; readonly keyPrefix: string };
}

/**
 * The pull-request job's own role (PATCHLINE_PLAN_CI_ROLE_ARN). The S3 backend has no role of its
 * own (stacks/providers.ts), so terraform reads state with the job's credentials: the state objects
 * only, never their lock files (plan-stacks plans with -lock=false, so a review never blocks a
 * deploy), and the workspace listing the backend makes (prefix `env:/`). The providers then
 * assume the plan role of each account.
 */
export function ciRolePolicy(input: CiRoleInput): PolicyDocument {
  const { bucket, keyPrefix } = input.stateBackend;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AssumePlanRoles", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: `arn:aws:iam::*:role/${input.planRoleName}` },
      {
        Sid: "ListStateKeys",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": [`${keyPrefix}/*`, "env:/*"] } },
      },
      { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::${bucket}/${keyPrefix}/*.tfstate` },
    ],
  };
}
